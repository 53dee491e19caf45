"""US Entity List: Supplement No. 4 to 15 CFR part 744, from the eCFR XML of part 744 (root `DIV5`).

The supplement is one table (`DIV9 N="Supplement No. 4 to Part 744"`, `TABLE/TBODY/TR`, five `TD`s): Country,
Entity, License requirement, License review policy, Federal Register citation. The Country cell is written only
on a country's first row; the rows below continue it. A row whose Country, requirement, policy and citation
cells are all empty continues the entry above (BIS splits long entries, e.g. Huawei's 22 affiliates, over
several rows): its entity text is appended to that entry, so one entry is one `ListedEntity`.

The Entity cell is free text, written in a few ways over the decades:
- `Name, address; and address.` — the name is the first comma-separated part, with the legal-form parts
  (`Co., Ltd.`, `, OAO`) and an organisation's unit parts (`Academy of …, Institute of …`) that follow it;
- `Name, a.k.a., the following N aliases:` then one alias a line, each led by an em dash, then a blank line
  and the addresses; the last alias line sometimes runs on into the address;
- `Name (a.k.a. A; a.k.a. B; f.k.a. C), address` and `Name, a.k.a., A, B, address` inline;
- sub-entities, whose names are kept as aliases of the entry (they share its licence requirement): an italic
  `Subordinate institution` heading, an italic name (Huawei's affiliates), or a further em-dash line after the
  addresses (`… and the following four subordinate entities:`). Text after "The following addresses apply to
  …:" is addresses of all of them.
Where an inline alias ends and the address begins is decided by the first comma-separated part that looks like
an address (a digit, a street word such as Road or Bldg., or a country name, then with the city before it).
`(See alternate addresses under Pakistan)` cross-references go to `remarks`, after the FR citations.

Superscript footnote numbers (¹ ² ³ ⁴ ⁵: the foreign-direct-product rules of § 734.9 that apply to the
entity) are taken out of the text and kept in `concerns` as "footnote N"; superscripts in fractions (1¹⁄₂) and
ordinals (9ᵗʰ) are text. One row has its requirement and policy cells swapped: they are put back.

`kind` is company for a name with a legal form or an organisation's word, person for two to six capitalised
words (the list does not say which), unknown otherwise.

`countries`: the Country column's code, then the countries the addresses end with (Hong Kong addresses of
entities listed under China give HK). "CRIMEA REGION OF UKRAINE" is UA. A Country name that cannot be mapped is
an error, as is an entry without a name.

`entity_id` is `us-el:<country code>-<10 hex>`, a hash of the Country column and the entry's name (a second
entry with the same name in the same country gets `-2`): rows are inserted alphabetically, so row numbers would
shift and `lists diff` would report spurious changes. The eCFR XML carries no issue date (its paths read
`_SUBSTITUTE_DATE_`): `published` is the date in the file name.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from exportctl.countries import country_code
from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import (
    ListFileError,
    company_like,
    date_in_name,
    file_sha256,
    xml_records,
)

LIST_ID = "us-el"
ROOT = "DIV5"
RECORDS = frozenset({"TR"})
PROGRAM = "Entity List"
SUPPLEMENT = re.compile(r"^Supplement No\.\s*4 to Part 744$", re.IGNORECASE)
COUNTRY_NAMES = {"china, people's republic of": "CN", "crimea region of ukraine": "UA"}

# Markers the cell text carries (private-use characters, which str.split() keeps): a sub-entity starts (italic
# heading or name); an italic "and" between two aliases or addresses.
SUB = "\ue000"
AND = "\ue001"
NAME_END = "\ue002"  # after an italic name: where it ends
CONNECTORS = {"", "and", "or", ",", ";"}
SUB_HEADING = re.compile(r"^subordinate institution:?$", re.IGNORECASE)
FOOTNOTE = re.compile(r"^[,\s]*(\d+)$")

AKA = re.compile(r"\(?\s*(?:\b[af]\.k\.a\b\.?|\baka\b|\bformerly known as\b|\bformerly\b),?", re.IGNORECASE)
# "the following three aliases:", "and the following alias:", "including the following alias:", "the one alias:"
FOLLOWING = re.compile(
    rf"^[\s,{AND}]*(?:and|including|as|the|follow|following)\s+(?:[\w-]+\s+){{0,4}}?(?:alias(?:es)?|aliaes|entity|entities)"
    r"\b[^:\n]*:?",
    re.IGNORECASE,
)
# Where an entry's aliases start: an a.k.a., or "…, the following one alias:" written without it
ALIASES_START = re.compile(rf"{AKA.pattern}|,\s*(?:and\s+)?the following (?:[\w-]+\s+)?alias", re.IGNORECASE)
TO_INCLUDE = re.compile(r",?\s*(?:and\s+)?to include the following\b[^.:]*[.:]", re.IGNORECASE)
HEADING_LIST = re.compile(r"^The following (?P<name>[^:\n]+):\s*\n", re.IGNORECASE)
SHARED_ADDRESSES = re.compile(r"The following addresses apply to [^:]*:", re.IGNORECASE)
SUBORDINATE_OF = re.compile(r"^(?P<parent>.+?)\s+subordinate institution:\s*[—-]?\s*", re.IGNORECASE | re.DOTALL)
HEADINGS = re.compile(r"^\s*(?:affiliated entities|subordinate institutions?)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
ADDRESSES_FOR = re.compile(r"^\s*Address(?:es)? for [^:\n]*:", re.IGNORECASE | re.MULTILINE)
SEE = re.compile(r"\(\s*See\b[^()]*(?:\([^()]*\)[^()]*)*\)\.?", re.IGNORECASE)
POLICY = re.compile(r"^(?:(?:presumption|policy) of (?:denial|approval)|case-by-case)", re.IGNORECASE)
# Split after a comma or semicolon; with sentences also after ". " (not after "No." or an initial: "A.A. Raspletin")
PARTS = re.compile(r"(?<=[,;])")
SENTENCE_PARTS = re.compile(r"(?<=[,;])|(?<=\.\s)(?<!No\.\s)(?<!\b[A-Z]\.\s)|(?<=[a-z]\.)(?=\d)")

# Words only an address has (whole words, any case), after the first part of a name. Not the short ones (St., Mah.,
# No.) that names abbreviate too ("… SAN. TIC. LTD. ST"): a real address has a number as well.
ADDRESS_WORDS = re.compile(
    r"\b(?:ul|street|road|rd|avenue|ave|blvd|boulevard|building|bldg|floor|unit|room|suite|block|blk|p\.?\s?o|box|"
    r"flat|shop|lane|district|village|zone|tower|plaza|sector|square|highway|ulitsa|prospekt|pereulok|shosse|"
    r"embankment|house|apt|apartment|office|caddesi|sokak|mahallesi|jalan|calle|rue|strasse|straße|chome|"
    r"province|oblast|krai|township|airport)\b",
    re.IGNORECASE,
)
# Parts that continue a name after a comma: "Co., Ltd.", ", OAO", ", Inc.", ", S.A. de C.V."
LEGAL_FORM_WORDS = (
    "LTD LIMITED CO INC LLC LLP CORP JSC OAO OOO ZAO PAO AO OJSC CJSC PJSC NPO FGUP FSUE GMBH AG KG SA SL SRL SPA SARL "
    "SAS SAL BV NV PLC PTE PVT PTY FZE FZC FZCO FZ FZO DMCC WLL SPC SDN BHD TIC SAN STI SIRKETI AS AB OY KFT DOO SRO "
    "LDA DE CV RL SAPI PT TBK KK FGBU FGBUN FKP GUP MUP INCORPORATED"
)
LEGAL_FORMS = frozenset(LEGAL_FORM_WORDS.split())
ABBREVIATIONS = LEGAL_FORMS | {"CORP", "BROS", "JR", "SR", "ST", "NO", "DR", "MR", "PHARM", "TECH", "IND", "INT"}
# Parts that name a unit of the organisation before them: "Academy of Military Medical Sciences, Institute of …",
# "Tactical Missile Corporation, Joint Stock Company Avangard", "JLD Technology, Hong Kong Co., Ltd."
UNIT = re.compile(
    r"\b(?:institute|institution|academy|laboratory|branch|bureau|department|division)\b|"
    r"^\s*(?:(?:public )?joint[ -]stock company|[PO]?JSC|N?PAO|OAO|AO|NPO|FSUE|subsidiary)\b|"
    r"\b(?:co|ltd|limited|llc|inc|corp)\.?\s*$",
    re.IGNORECASE,
)
# Words a person's name does not have (besides common.COMPANY_WORDS): "Lapcom Computer Stores" is not a person.
ORG_WORDS = re.compile(
    r"\b(?:address|computers?|stores?|shops?|zone|farm|pharm|lab|labs|academy|bureau|plant|works|concern|office|"
    r"base|station|airport|field|complex|commission|importers?|exporters?|electronics?|electric|energy|machinery|"
    r"equipment|supply|supplies|solutions?|tech|design|research|sciences?|scientific|marine|power|construction|"
    r"consulting|logistics|cargo|freight|express|global|general|national|federal|state|republic|ministry|navy|"
    r"force|defen[cs]e|military|aerospace|space|nuclear|oil|gas|petroleum|chemicals?|medical|pharma|software|"
    r"networks?|digital|data|optics|semiconductors?|materials|metal|steel|machines?|motors|telecom|communications|"
    r"media|partners|associates|consultants|union|laboratory|department|division|branch|university|school|college|"
    r"hospital|shipyard|kompaniya|obshchestvo|zavod|neft|gaz|nii|npp|npo|oao|ooo|zao|oy|ou|sarl|sas|sdn|bhd|uab|"
    r"ltda|eood|ood|sirketi|anonim|incorporated|cloud|system|hub|micro|huawei|police|security|service|public|"
    r"municipality|municipal|prefecture|representative|resort|link|engineers|sons|tooling|the|of|and|for)\b",
    re.IGNORECASE,
)
PERSON_WORD = r"(?:[A-Z][a-z'’-]+|[A-Z]\.?|Dr\.|\([A-Z][a-z'’-]+\)|(?:al|bin|ibn|ur|de|van|von|el)\b)"
PERSON_NAME = re.compile(rf"^{PERSON_WORD}(?: {PERSON_WORD}){{1,5}}$")


@dataclass
class _Row:
    """One table row as text; `footnotes` from every cell."""

    number: int
    line: int
    country: str
    entity: str
    licence: str
    policy: str
    citation: str
    footnotes: list[str] = field(default_factory=list)


@dataclass
class _Names:
    """What one piece of an Entity cell names: its name first, then its aliases, and its addresses."""

    names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    def add(self, other: _Names) -> None:
        self.names += other.names
        self.addresses += other.addresses


def _flat(text: str) -> str:
    return " ".join(text.split())


def _flat_line(text: str | None) -> str:
    """Text with its source line breaks as spaces: only <br/> breaks a cell's line."""
    return (text or "").replace("\n", " ")


def _cell(td: etree._Element, footnotes: list[str]) -> str:
    """A cell's text with line breaks, the SUB and AND markers; footnote superscripts go to `footnotes`."""
    parts = [_flat_line(td.text)]
    for element in td.iterdescendants():
        text = _flat_line(element.text)
        footnote = FOOTNOTE.match(text) if element.tag == "sup" else None
        if element.tag == "br":
            parts.append("\n")
        elif footnote and not (element.tail or "").startswith("\u2044"):  # not the 1 of 1¹⁄₂
            footnotes.append(f"footnote {footnote.group(1)}")
            parts.append(" ")
        elif footnote and parts[-1][-1:].isdigit():  # 1¹⁄₂ is one and a half, not 11⁄2
            parts.append(f" {text}")
        elif element.tag == "E" and text.strip().rstrip(",;").lower() in CONNECTORS:
            parts.append(text.replace("and", AND))
        elif element.tag == "E" and SUB_HEADING.match(text.strip()):
            parts.append(f"\n{SUB}")
        elif element.tag == "E" and text[:1].isupper() and "".join(parts).strip():
            parts.append(f"\n{SUB}{text}{NAME_END}")  # an italic name after other text: an affiliate (Huawei's)
        else:
            parts.append(text)
        parts.append(_flat_line(element.tail))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(lines).strip()


def _is_legal_form(part: str) -> bool:
    """A part that is a legal form ("Ltd.", "Co., Ltd.", "S.A.") or only a bracketed acronym ("(PAPL)")."""
    bare = re.sub(r"\([^()]*\)", " ", part)
    words = re.findall(r"[A-Z]+", bare.upper().replace(".", ""))
    if not words:
        return "(" in part
    return len(words) <= 4 and all(w in LEGAL_FORMS for w in words)


def _address_start(parts: list[str], strict: bool = False) -> int | None:
    """Index of the first part (never the first) that starts an address: a digit, an address word, or a country
    (then the city before it, unless that is the first part). Strict (an alias line with more alias lines after
    it, where an address is rare: "—Communication, Telemetry and Telecontrol Research Institute (CTI);"): only a
    part that starts with a number or has an address word ("—Power Plant Workshops, P.O. Box 1114")."""
    for index, part in enumerate(parts[1:], start=1):
        bare = re.sub(r"^(?:and\b|\s)+", "", part.replace(AND, " ")).strip(" ,;")
        if not bare or _is_legal_form(bare):
            continue
        # After a comma a number anywhere ("Ordzhonikidze 10"); after a full stop only a leading one ("Corp.
        # (CETC) 54th Research Institute" is a name, "Gazmash. d. 54 korp. 1" an address).
        after_comma = parts[index - 1].rstrip().endswith((",", ";"))
        leading = re.sub(r"^No\.?\s*", "", bare)[:1] in tuple("#0123456789")
        digit = leading or (not strict and after_comma and any(c.isdigit() for c in bare))
        if digit or ADDRESS_WORDS.search(bare):
            while index > 1 and len(parts[index - 1].strip(" ,;.")) <= 2:  # "Gazmash. d. 54 korp. 1"
                index -= 1
            return index
        if strict:
            continue
        country = re.sub(r"[\d\s.,-]+$", "", bare)
        if len(country) > 3 and (country_code(country) or country.lower() in COUNTRY_NAMES):
            return index - 1 if index > 1 else index
    return None


def _cut_address(text: str, strict: bool = False) -> tuple[str, str]:
    """(names, address) of text that starts with names and may run on into an address ("—Alias. 12 Road")."""
    parts = (PARTS if strict else SENTENCE_PARTS).split(text)
    start = _address_start(parts, strict)
    if start is None:
        return text, ""
    return "".join(parts[:start]), "".join(parts[start:])


def _clean_name(name: str) -> str:
    """A name without the punctuation, quotes and connectors around it; a final full stop kept after an
    abbreviation ("Ltd.") but not after a word ("Corporation.")."""
    name = _flat(name.replace(AND, " "))
    name = re.sub(r"(?:[\s,;:]|\band$)+$", "", name).strip(" ,;:—").lstrip("-").strip()
    for opening, closing in (("“", "”"), ('"', '"'), ("(", ")")):
        if name.endswith(closing) and name.count(opening) < name.count(closing) + (opening == closing):
            name = name[:-1].strip()
        if name.startswith(opening) and name.count(closing) < name.count(opening) + (opening == closing):
            name = name[1:].strip()
    last = name.rsplit(" ", 1)[-1].removesuffix(".")
    if name.endswith(".") and len(last) > 1 and last.isalpha() and last.upper() not in ABBREVIATIONS:
        name = name[:-1]
    return name


def _first_name(text: str) -> tuple[str, str]:
    """(name, rest) of `Name, address` without an a.k.a.: the first part, the legal-form parts after it, up to a
    closing bracket it opened, and the parts naming a unit of an organisation ("…, Institute of …")."""
    parts = PARTS.split(text)
    end = 1

    def continues(part: str) -> bool:
        name = "".join(parts[:end])
        if _is_legal_form(part) or name.count("(") > name.count(")"):
            return True
        org = company_like(parts[0]) or UNIT.search(parts[0]) is not None
        return org and UNIT.search(part.rstrip(" ,;")) is not None and _address_start(["", part]) is None

    while end < len(parts) and continues(parts[end]):
        end += 1
    return "".join(parts[:end]), "".join(parts[end:])


def _split_inline(text: str, by_comma: bool) -> list[str]:
    """Names written in a row: on a.k.a. markers and semicolons, and (by_comma) on commas and a last "and",
    keeping legal-form parts with the name before them."""
    names: list[str] = []
    for piece in re.split(rf";|{AKA.pattern}", text, flags=re.IGNORECASE):
        piece = FOLLOWING.sub("", piece)
        if not by_comma:
            names.append(piece)
            continue
        for part in piece.split(","):
            if names and _is_legal_form(part):
                names[-1] += "," + part
            else:
                names += _split_and(part)
    return [n for n in (_clean_name(n) for n in names) if any(c.isalnum() for c in n)]


def _split_and(text: str) -> list[str]:
    """ "Steven Lim and Yong Nam Lim", "Svyaz and NPP Svyaz", "Russian Quantum Center and RQC" are two names;
    "Scientific Studies and Research Center" is one."""
    left, sep, right = text.rpartition(" and ")
    if not sep:
        return [text]
    words = [{w.casefold() for w in re.findall(r"[A-Z][\w'-]{2,}", side)} for side in (left, right)]
    acronym = any(re.fullmatch(r"\s*[A-Z]{2,}\s*", side) for side in (left, right))
    persons = all(PERSON_NAME.match(side.strip()) and not _organisation(side) for side in (left, right))
    return [*_split_and(left), right] if words[0] & words[1] or acronym or persons else [text]


def _paren_aliases(text: str) -> tuple[list[str], str]:
    """Aliases of `(a.k.a. A; a.k.a. B), rest` and the rest."""
    depth, end = 0, len(text)
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            end = index
            break
    inner = text[1:end]
    one_marker = len(AKA.findall(inner)) <= 1 and ";" not in inner
    return _split_inline(inner, by_comma=one_marker), text[end + 1 :]


def _alias_lines(text: str, cut: bool = True) -> tuple[list[str], str]:
    """Aliases one a line (`—Alias;`) and the text after them: after a blank line, a line that is not an
    alias, or (cut) where an alias line runs on into an address."""
    lines = text.split("\n")
    aliases: list[str] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else ""
        continuing = bool(aliases) and previous.endswith((";", AND, " and"))
        if not line and not aliases and index == 0:
            continue
        if not (line.startswith("—") or (continuing and line and _address_start(["", line]) is None)):
            return aliases, "\n".join(lines[index:])
        last = index + 1 == len(lines) or not lines[index + 1].startswith("—")  # the last runs on most often
        alias = TO_INCLUDE.sub(",", line.lstrip("—"))
        names, address = _cut_address(alias, strict=not last) if cut else (alias, "")
        aliases += _split_inline(names, by_comma=False)
        if address:
            return aliases, "\n".join([address, *lines[index + 1 :]])
    return aliases, ""


def _aliases(text: str) -> tuple[list[str], str]:
    """The aliases the a.k.a. clauses at the start of text give, and the rest of the text."""
    found: list[str] = []
    rest = text
    while True:
        rest = rest.lstrip(" ,;\n" + AND)
        marker = AKA.match(rest)
        if marker and marker.group(0).startswith("("):
            names, rest = _paren_aliases(rest)
            found += names
            continue
        rest = rest[marker.end() :] if marker else rest
        following = FOLLOWING.match(rest)
        if following:
            inline, _, after = rest[following.end() :].partition("\n")
            names, rest = _alias_lines(after)
            if inline.strip():  # "the following two aliases: Star Aviation; and …" on the clause's line
                inline_names, address = _cut_address(inline)
                found += _split_inline(inline_names, by_comma=False)
                if address:
                    return found, "\n".join([address, after])
            found += names
        elif marker:
            line, _, after = rest.partition("\n")
            written, address = _cut_address(line)
            found += _split_inline(written, by_comma=True)
            rest = "\n".join([address, after])
        else:
            return found, rest


def _addresses(text: str) -> list[str]:
    pieces = re.split(rf"[;{AND}\n]", HEADINGS.sub("", ADDRESSES_FOR.sub("", text)))
    cleaned = (re.sub(r"^(?:and\b|[\s,.])+|[\s,;]+$", "", _flat(p)) for p in pieces)
    return [p for p in cleaned if p and not p.lower().startswith("the following")]


def _block(text: str) -> _Names:
    """Name, aliases and addresses of one entry or sub-entity; em-dash lines after its addresses are further
    sub-entities."""
    name, italic, remainder = text.partition(NAME_END)
    if italic:  # the italic name, then its aliases and addresses
        aliases, rest = _aliases(remainder)
        return _tail(_clean_name(name), aliases, rest)
    heading = HEADING_LIST.match(text)
    if heading:  # "The following Department of Atomic Energy entities:" and one a line
        aliases, rest = _alias_lines(text[heading.end() :], cut=False)
        return _Names([_clean_name(heading.group("name")), *aliases], _addresses(rest))
    marker = ALIASES_START.search(text.split("\n", 1)[0])
    if marker:  # the text before an a.k.a. is the name, commas and all ("Tactical Missile Corporation, JSC …")
        name = text[: marker.start()]
        aliases, rest = _aliases(text[marker.start() :])
    else:  # a blank line or a dash line ends the name too: "Xi'an … Co., Ltd.\n\nNo. 485 Feitian Road"
        end = min(i for i in (text.find("\n\n"), text.find("\n—"), len(text)) if i >= 0)
        name, rest = _first_name(text[:end].replace("\n", " "))
        rest, aliases = rest + text[end:], []
    return _tail(_clean_name(name), aliases, rest)


def _tail(name: str, aliases: list[str], rest: str) -> _Names:
    """An entity from its name, aliases and the text after them: addresses, and em-dash lines that are
    further sub-entities."""
    address_text, dash, more = rest.partition("\n—")
    parsed = _Names([name, *aliases], _addresses(address_text))
    if dash:
        parsed.add(_block(more))
    return parsed


def _entry_names(path: Path, row: _Row) -> tuple[_Names, list[str]]:
    """All the names and addresses of an entry's Entity text, and the remarks it carries (cross-references, the
    institution it is subordinate to)."""
    remarks = [_flat(see.strip(" .()")) for see in SEE.findall(row.entity)]
    text = SEE.sub("", row.entity)
    subordinate = SUBORDINATE_OF.match(text)
    if subordinate:  # "CETC 13 subordinate institution: Hebei Brightway International, …"
        remarks.append(f"subordinate institution of {_flat(subordinate.group('parent'))}")
        text = text[subordinate.end() :]
    text, *shared_text = SHARED_ADDRESSES.split(text, maxsplit=1)
    shared, sub, later = "".join(shared_text).partition(SUB)  # sub-entities written after the shared addresses
    first, *subs = (text + sub + later).split(SUB)
    entry = _block(first.strip())
    if not entry.names[0]:
        raise ListFileError(f"{path}: row {row.number} (line {row.line}): no entity name in '{_flat(row.entity)[:80]}'")
    for sub_text in subs:
        entry.add(_block(sub_text.strip()))
    entry.addresses += _addresses(shared)
    return entry, remarks


def _countries(path: Path, row: _Row, addresses: list[str]) -> list[str]:
    code = country_code(row.country) or COUNTRY_NAMES.get(row.country.lower())
    if not code:
        raise ListFileError(f"{path}: row {row.number} (line {row.line}): unknown country '{row.country}'")
    endings = (re.sub(r"[\d\s.,-]+$", "", address.rsplit(",", 1)[-1]) for address in addresses)
    return [code, *(c for c in (country_code(e) for e in endings if len(e) > 3) if c)]


def _organisation(name: str) -> bool:
    return company_like(name) or ORG_WORDS.search(name) is not None


def _kind(names: list[str]) -> EntityKind:
    """company when a name carries a legal form, a trade word or an organisation's word; person when every name is
    two to six capitalised words (Abdul Satar Ghoura, Sergei (Sergi) Ivanovich Tomchani); else unknown."""
    if any(_organisation(n) for n in names):
        return "company"
    name, *aliases = names
    person = PERSON_NAME.match(name) and all(PERSON_NAME.match(a) or re.fullmatch(PERSON_WORD, a) for a in aliases)
    return "person" if person else "unknown"


def _requirement_and_policy(row: _Row) -> tuple[str, str]:
    """The two cells, put back in order where a row has them swapped (Djamshid Nezhad, Germany)."""
    if POLICY.match(row.licence) and not POLICY.match(row.policy):
        return row.policy, row.licence
    return row.licence, row.policy


def _entity(path: Path, row: _Row, seen: Counter[str]) -> ListedEntity:
    entry, see = _entry_names(path, row)
    name, *aliases = entry.names
    countries = dedupe(_countries(path, row, entry.addresses))
    key = f"{countries[0]}-{hashlib.sha256(f'{row.country.casefold()}|{name.casefold()}'.encode()).hexdigest()[:10]}"
    seen[key] += 1
    licence, policy = _requirement_and_policy(row)
    return ListedEntity(
        list_id=LIST_ID,
        entity_id=f"{LIST_ID}:{key}" + (f"-{seen[key]}" if seen[key] > 1 else ""),
        kind=_kind(entry.names),
        name=name,
        aliases=dedupe(aliases, exclude=[name]),
        countries=countries,
        programs=(PROGRAM,),
        concerns=tuple(sorted(set(row.footnotes), key=lambda f: int(f.split()[-1]))),
        addresses=dedupe(entry.addresses),
        remarks="; ".join(dedupe([row.citation, *see])),
        licence_requirement=licence,
        review_policy=policy,
    )


def _in_supplement(record: etree._Element) -> bool:
    """A body row of the Entity List table (not its header or footnotes, nor another supplement's table)."""
    if record.getparent() is None or record.getparent().tag != "TBODY":  # type: ignore[union-attr]
        return False
    return any(SUPPLEMENT.match(a.get("N", "")) for a in record.iterancestors("DIV9"))


def _rows(path: Path) -> list[_Row]:
    """The table's rows, a continuation row's entity text appended to the row above."""
    rows: list[_Row] = []
    country = ""
    for number, (_, record) in enumerate(r for r in xml_records(path, ROOT, RECORDS) if _in_supplement(r[1])):
        where = f"{path}: row {number + 1} of Supplement No. 4 (line {record.sourceline})"
        cells = [c for c in record if c.tag == "TD"]
        if len(cells) != 5:
            raise ListFileError(f"{where}: {len(cells)} <TD> cells, expected 5")
        footnotes: list[str] = []
        texts = [_cell(c, footnotes) for c in cells]
        if not texts[1]:
            raise ListFileError(f"{where}: no entity name (empty Entity cell)")
        if rows and not texts[0] and not any(texts[2:]):
            rows[-1].entity += "\n" + texts[1]
            rows[-1].footnotes += footnotes
            continue
        country = _flat(texts[0]) or country
        if not country:
            raise ListFileError(f"{where}: no country (empty Country cell on the first row)")
        flat = [_flat(t.replace(AND, "and")) for t in texts]
        licence, policy, citation = flat[2:]
        line = record.sourceline if isinstance(record.sourceline, int) else 0
        rows.append(_Row(number + 1, line, country, texts[1], licence, policy, citation, footnotes))
    return rows


def read(path: Path) -> LoadedList:
    rows = _rows(path)
    if not rows:
        raise ListFileError(f"{path}: no Supplement No. 4 to part 744 (Entity List) table rows")
    seen: Counter[str] = Counter()
    entities = tuple(_entity(path, row, seen) for row in rows)
    return LoadedList(LIST_ID, file_sha256(path), str(path), date_in_name(path), entities)
