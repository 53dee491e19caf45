"""Annex II of Regulation (EU) 2021/821 read from the shared extraction: the Union general export authorisations
EU001–EU008 (Sections A–H) with their destinations as ISO codes, items and conditions, and Section I's exclusions.

Writes the review drafts `ugeas.yaml` (everything read, with the name each ISO code comes from) and `annex-iv.yaml`
(what the source says of Annex IV, whose own text it does not hold).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annex_i import CODE
from source import ANNEX_II_SOURCE, RawAnnex
from ugea_text import conditions, paragraphs, split_parts
from yamlout import comments, dump

from exportctl.countries import alpha_2

# Destination names as Part 2 of each authorisation writes them → ISO 3166-1 alpha-2, each checked by hand.
DESTINATIONS: Mapping[str, tuple[str, ...]] = {
    "Afghanistan": ("AF",),
    "Albania": ("AL",),
    "Argentina": ("AR",),
    "Armenia": ("AM",),
    "Australia": ("AU",),
    "Azerbaijan": ("AZ",),
    "Belarus": ("BY",),
    "Bosnia and Herzegovina": ("BA",),
    "Brazil": ("BR",),
    "Cambodia": ("KH",),
    "Canada": ("CA",),
    "Central African Republic": ("CF",),
    "Chile": ("CL",),
    "China (including Hong Kong and Macao)": ("CN", "HK", "MO"),
    "Congo": ("CG",),
    "Democratic Republic of the Congo": ("CD",),
    "Egypt": ("EG",),
    "Eritrea": ("ER",),
    # France's overseas countries and territories (Annex II TFEU), outside the Union's customs territory; the
    # outermost regions (Guadeloupe, Martinique, French Guiana, Réunion, Mayotte, Saint-Martin) are inside it.
    "French overseas territories": ("BL", "NC", "PF", "PM", "TF", "WF"),
    "Georgia": ("GE",),
    "Iceland": ("IS",),
    "India": ("IN",),
    "Indonesia": ("ID",),
    "Iran": ("IR",),
    "Iraq": ("IQ",),
    "Israel": ("IL",),
    "Japan": ("JP",),
    "Jordan": ("JO",),
    "Kazakhstan": ("KZ",),
    "Kyrgyzstan": ("KG",),
    "Lebanon": ("LB",),
    "Libya": ("LY",),
    "Malaysia": ("MY",),
    "Mali": ("ML",),
    "Mauritius": ("MU",),
    "Mexico": ("MX",),
    "Mongolia": ("MN",),
    "Montenegro": ("ME",),
    "Morocco": ("MA",),
    "Myanmar/Burma": ("MM",),
    "New Zealand": ("NZ",),
    "North Korea": ("KP",),
    "North Macedonia": ("MK",),
    "Norway": ("NO",),
    "Oman": ("OM",),
    "Pakistan": ("PK",),
    "Philippines": ("PH",),
    "Qatar": ("QA",),
    "Russia": ("RU",),
    "Saudi Arabia": ("SA",),
    "Serbia": ("RS",),
    "Singapore": ("SG",),
    "Somalia": ("SO",),
    "South Africa": ("ZA",),
    "South Korea": ("KR",),
    "South Sudan": ("SS",),
    "Sudan": ("SD",),
    "Switzerland": ("CH",),
    "including Liechtenstein": ("LI",),  # EU001: "Switzerland, including Liechtenstein"
    "Syria": ("SY",),
    "Tajikistan": ("TJ",),
    "Thailand": ("TH",),
    "Tunisia": ("TN",),
    "Turkey": ("TR",),
    "Turkmenistan": ("TM",),
    "Ukraine": ("UA",),
    "United Arab Emirates": ("AE",),
    "United Kingdom": ("GB",),
    "United States": ("US",),
    "Uzbekistan": ("UZ",),
    "Venezuela": ("VE",),
    "Yemen": ("YE",),
    "Zimbabwe": ("ZW",),
}
KEPT_PARENTHESES = ("China (including Hong Kong and Macao)",)


def strip_parentheses(text: str) -> str:
    """The text without its parenthesised asides (nested ones too), but for the names that carry them."""
    for index, kept in enumerate(KEPT_PARENTHESES):
        text = text.replace(kept, f"@{index}@")
    out, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    if depth != 0:
        raise ValueError(f"unbalanced parentheses in {text[:80]!r}")
    result = "".join(out)
    for index, kept in enumerate(KEPT_PARENTHESES):
        result = result.replace(f"@{index}@", kept)
    return result


def destination_names(listing: str) -> list[str]:
    names = []
    for piece in strip_parentheses(listing).split(","):
        name = piece.strip().rstrip(".;").strip()
        if name:
            names.append(name)
    return names


def iso_codes(names: list[str], where: str) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for name in names:
        if name not in DESTINATIONS:
            raise ValueError(f"{where}: destination {name!r} has no ISO code in DESTINATIONS")
        by_name[name] = [alpha_2(code) for code in DESTINATIONS[name]]
    return by_name


def destinations(ugea: str, part2: str) -> dict[str, Any]:
    listed = re.search(r"exports? (?:of software and technology )?to the following destinations: (?P<list>.*)", part2)
    if listed:
        by_name = iso_codes(destination_names(listed["list"]), ugea)
        return {"destinations": sorted({code for codes in by_name.values() for code in codes}), "from_text": by_name}
    excluding = re.search(r"to all destinations, excluding: \(a\) (?P<a>.*?); \(b\) (?P<b>.*?); \(c\) (?P<c>.*)", part2)
    if excluding is None:
        raise ValueError(f"{ugea}: Part 2 names neither listed destinations nor exclusions")
    ugeas = re.findall(r"EU0\d\d", excluding["a"])
    by_name = iso_codes(destination_names(excluding["b"]), ugea)
    return {
        "destinations": "all",
        "excluded_destinations_of": ugeas,
        "excluded_destinations": sorted({code for codes in by_name.values() for code in codes}),
        "from_text": by_name,
        "also_excluded": "Part 2(c): " + " ".join(excluding["c"].split()).rstrip("."),
    }


def codes_in(text: str) -> list[str]:
    return list(dict.fromkeys(CODE.findall(text)))


def numbered(listing: str, prefix: str) -> list[str]:
    """'1. Thiodiglycol …; 2. …' → 1C350.1, 1C350.2, … (items start a line or follow '; ')."""
    return [f"{prefix}.{n}" for n in re.findall(r"(?:^|\n|; )(\d{1,2})\. ", listing)]


def items(ugea: str, part1: str) -> dict[str, Any]:
    text = " ".join(part1.split())
    found: dict[str, Any] = {}
    if "covers all dual-use items specified in any entry in Annex I" in text:
        found["scope"] = "all-annex-i"
    elif "covers all technology and software specified in Annex I" in text:
        found["scope"] = "all-software-and-technology"
    else:
        found["scope"] = "listed"
    excluded: dict[str, Any] = {}
    if "Section I of this Annex" in text:
        excluded["section_i"] = True
    sections = re.findall(r"Sections? ([DE])(?: and ([DE]))? of each [Cc]ategory", text)
    if sections:
        excluded["annex_i_sections"] = sorted({letter for pair in sections for letter in pair if letter})
    if "(this does not include software necessary to the proper functioning" in text:
        excluded["section_d_except"] = (
            "software necessary to the proper functioning of the equipment for the purpose of the demonstration"
        )
    if found["scope"] == "listed":
        if ugea == "EU006":
            chemicals = re.search(r"1C350:(?P<c350>.*?)1C450\.a\.:(?P<a>.*?)1C450\.b\.:(?P<b>.*)", part1, re.S)
            if chemicals is None:
                raise ValueError("EU006: Part 1 lists no 1C350/1C450 chemicals")
            found["listed"] = [
                *numbered(chemicals["c350"], "1C350"),
                *numbered(chemicals["a"], "1C450.a"),
                *numbered(chemicals["b"], "1C450.b"),
            ]
        else:
            # the items are in the first paragraph (EU008's others are conditions); "5A002.a. as above" refers to an
            # item, it does not list one
            listing = " ".join(paragraphs(part1)[0][1].split())
            found["listed"] = codes_in(re.sub(CODE.pattern + r"\.? as (?:above|below)", "", listing))
            limits = {}
            for code in found["listed"]:
                limit = re.search(re.escape(code) + r"\.?, (only .*?)(?=, \d[A-E]\d{3}[.,]|\.$)", listing)
                if limit:
                    limits[code] = limit.group(1)
            if limits:
                found["limited_to"] = limits
    else:
        listed = re.search(r"the following items specified in Annex I: (?P<list>.*)$", text)
        if listed:
            excluded["items"] = codes_in(listed["list"])
        related = re.search(r"related to items under (?P<list>.*)$", text)
        if related:
            excluded["related_to"] = codes_in(related["list"])
    if excluded:
        found["excluded"] = excluded
    found["text"] = text
    return found


def section_i(common: str) -> dict[str, Any]:
    lines = [line.strip().lstrip("—").strip().rstrip(",").strip() for line in common.split("\n")]
    listed = [line for line in lines if line and not line.startswith(("The entries", "The mention"))]
    if listed[0] != "all items specified in Annex IV":
        raise ValueError(f"Section I does not start with the Annex IV items: {listed[0]!r}")
    found = []
    for line in listed[1:]:
        match = re.fullmatch(r"(?P<code>\d[A-E]\d{3}(?:\.[0-9a-z]+)*)\.?\s+(?P<text>.*)", line)
        if match is None:
            raise ValueError(f"Section I: a line without an Annex I code: {line!r}")
        found.append({"code": match["code"], "text": match["text"].rstrip(".")})
    return {"annex_iv": "all", "items": found}


@dataclass(frozen=True)
class AnnexII:
    """What Annex II says: each authorisation's record (as `ugeas.yaml` shows it) and Section I's exclusions."""

    ugeas: dict[str, dict[str, Any]]
    section_i: dict[str, Any]


def read_annex_ii(annex: RawAnnex, known: set[str]) -> AnnexII:
    """Every authorisation of the source; `known` holds Annex I's live entry codes and parts, which each item named
    must be one of."""
    section_titles = {ugea["id"]: ugea["title"] for ugea in annex["geas"]}
    records: dict[str, dict[str, Any]] = {}
    for ugea in annex["geas"]:
        parts = split_parts(ugea["verbatim_text"])
        letter = re.search(r"— (?P<s>[A-H])\. ", section_titles[ugea["id"]])
        title = re.search(r"of this Regulation\) (?P<t>.*?) Issuing authority", ugea["verbatim_text"])
        if letter is None or title is None:
            raise ValueError(f"{ugea['id']}: no Annex II section letter or title")
        record: dict[str, Any] = {
            "section": letter["s"],
            "title": title["t"],
            "source": ANNEX_II_SOURCE,
            "items": items(ugea["id"], parts["1"]),
            **destinations(ugea["id"], parts["2"]),
            "conditions": [*conditions(ugea["id"], "1", parts["1"]), *conditions(ugea["id"], "3", parts["3"])],
        }
        excluded = record["items"].get("excluded", {})
        named = [*record["items"].get("listed", []), *excluded.get("items", []), *excluded.get("related_to", [])]
        unknown = [code for code in named if code not in known]
        if unknown:
            raise ValueError(f"{ugea['id']}: items not in Annex I: {', '.join(unknown)}")
        records[ugea["id"]] = record
    exclusions = section_i(annex["gea_common_list"])
    unknown = [item["code"] for item in exclusions["items"] if item["code"] not in known]
    if unknown:
        raise ValueError(f"Section I: items not in Annex I: {', '.join(unknown)}")
    return AnnexII(records, exclusions)


def ugeas_file(annex: RawAnnex, annex_ii: AnnexII) -> str:
    header = comments(
        f"DRAFT for issue 12: Annex II of Regulation (EU) 2021/821 ({annex['corpus_version']}), written by"
        " tools/eu_pack/build_annex.py; the pack's form of it is ugea-destinations.yaml and ugea-coverage.yaml.",
        "ugeas: the Union general export authorisations EU001–EU008 (Sections A–H). destinations: the ISO 3166-1"
        " alpha-2 codes of Part 2, from_text the name each comes from. 'French overseas territories' is read as"
        " France's overseas countries and territories (Annex II TFEU: BL NC PF PM TF WF), an interpretation.",
        "The text still names Russia (EU003, EU004, EU005); Council Regulation (EU) No 833/2014 (Art. 2) prohibits"
        " exports of Annex I items to Russia, a measure this source does not hold.",
        "items: Part 1 — the scope (all of Annex I, all software and technology, or the listed items), what it"
        " excludes (Section I, Annex I Sections D/E, items) and its verbatim text.",
        "conditions: Part 1 and Part 3 as short English texts; ref is the paragraph and point each comes from; kind"
        " is not-usable-if, only-if, obligation, authority-may or definition.",
        "section_i: the exclusion list of Annex II Section I, which starts with every Annex IV item.",
    )
    return header + dump({"ugeas": annex_ii.ugeas, "section_i": annex_ii.section_i})


# --- Annex IV -----------------------------------------------------------------------------------------------


def annex_iv_file(annex: RawAnnex) -> str:
    """Annex IV's own text is not in the source: record what Annex II says of it and leave the parts empty."""
    mentions = []
    for line in annex["gea_common_list"].split("\n"):
        if "Annex IV" in line and (match := CODE.search(line)):
            text = line.strip().lstrip("—").strip().rstrip(",")
            if "other than those specified in Annex IV" in text:
                mentions.append({"code": match[0], "annex_iv": "partly", "text": text, "from": "Annex II Section I"})
    header = comments(
        "DRAFT for issue 12: Annex IV of Regulation (EU) 2021/821, the items whose transfer to another Member State"
        " needs an authorisation (Art. 11(1)); Part I items may have national general authorisations, Part II not.",
        f"The source (the {annex['corpus_version']} extraction of Annexes I and II) does not hold Annex IV's text:"
        " parts (code → I or II) stays empty until it is read from the Regulation. mentions: what Annex II says of it.",
    )
    body = {
        "status": "annex-iv-text-not-in-source",
        "parts": {},
        "section_i_starts_with": "all items specified in Annex IV",
        "mentions": mentions,
    }
    return header + dump(body)
