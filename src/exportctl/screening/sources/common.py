"""Helpers every list reader shares: file identity, dates in file names, country names → ISO codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

# 2026-02-27 anywhere in a name, or 20251115 leading it (the EU FSF names its downloads so)
DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})|^(\d{4})(\d{2})(\d{2})(?=\D)")


# Words that make a name an organisation rather than a person (lists that do not say which).
COMPANY_WORDS = frozenset(
    [
        "INC",
        "LTD",
        "LIMITED",
        "CORP",
        "CORPORATION",
        "CO",
        "COMPANY",
        "LLC",
        "LLP",
        "GMBH",
        "AG",
        "AB",
        "SA",
        "SL",
        "SRL",
        "SPA",
        "BV",
        "NV",
        "PLC",
        "PTE",
        "PVT",
        "FZE",
        "FZC",
        "FZCO",
        "OOO",
        "OAO",
        "ZAO",
        "AO",
        "PAO",
        "PJSC",
        "JSC",
        "OJSC",
        "CJSC",
        "TRADING",
        "TRADE",
        "INTERNATIONAL",
        "GROUP",
        "HOLDING",
        "HOLDINGS",
        "INDUSTRIES",
        "INDUSTRIE",
        "INDUSTRIAL",
        "AIRLINES",
        "AIRWAYS",
        "AIR",
        "AVIATION",
        "ENTERPRISE",
        "ENTERPRISES",
        "TECHNOLOGY",
        "TECHNOLOGIES",
        "TECHNIK",
        "ELECTRONICS",
        "ENGINEERING",
        "SERVICES",
        "SYSTEMS",
        "SOLUTIONS",
        "COMPUTERS",
        "METALS",
        "SHIPPING",
        "BANK",
        "FOUNDATION",
        "INSTITUTE",
        "UNIVERSITY",
        "ESTABLISHMENT",
        "ORGANIZATION",
        "ORGANISATION",
        "ASSOCIATION",
        "FACTORY",
        "PLANT",
        "VERTRIEBS",
        "TRUST",
        "FUND",
        "CHARITY",
        "COMMITTEE",
        "COUNCIL",
        "AGENCY",
        "MINISTRY",
        "CENTER",
        "CENTRE",
        "CORPS",
        "MOVEMENT",
        "FRONT",
        "ARMY",
        "PARTY",
        "BRIGADE",
        "BRIGADES",
        "NETWORK",
    ]
)
_WORD = re.compile(r"[A-Z]+")


def company_like(name: str) -> bool:
    """True when a name carries a legal form or trade word (INC, LTD, GMBH, AIRLINES …): an organisation."""
    return bool(set(_WORD.findall(name.upper().replace(".", ""))) & COMPANY_WORDS)


def person_reordered(name: str) -> str | None:
    """'SMITH, John' → 'John SMITH' (the order lists write individuals in); None when not of that form."""
    last, sep, first = name.partition(",")
    first, last = first.strip(), last.strip()
    if not sep or not first or not last or "," in first or first.rstrip(".").upper() in {"JR", "SR", "II", "III"}:
        return None
    return f"{first} {last}"


class ListFileError(ValueError):
    """A list file that cannot be read as its format. The message names the file and the row or element."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def iso_date(value: str | None) -> dt.date | None:
    """The date an ISO 8601 date or timestamp starts with; None when absent or not a date."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def date_in_name(path: Path) -> dt.date | None:
    found = DATE_IN_NAME.search(path.name)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def xml_records(path: Path, root: str, records: frozenset[str]) -> Iterator[tuple[etree._Element, etree._Element]]:
    """Each record element of a list's XML file with the document's root, streamed: a record is cleared once the
    caller has read it, so the full list's size does not matter. Tags compare by local name (namespaces vary).
    """
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    top: etree._Element | None = None
    try:
        for event, element in etree.iterparse(str(path), events=("start", "end"), huge_tree=True):
            name = etree.QName(element).localname
            if event == "start":
                if top is None:
                    if name != root:
                        raise ListFileError(f"{path}: root element is <{name}>, not <{root}>")
                    top = element
                continue
            if name not in records or top is None:
                continue
            yield top, element
            element.clear(keep_tail=True)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise ListFileError(f"{path}: not well-formed XML at line {exc.lineno}: {exc.msg}") from exc
    if top is None:
        raise ListFileError(f"{path}: empty XML document")
