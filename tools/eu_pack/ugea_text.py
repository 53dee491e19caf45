"""Annex II's Parts as text: the numbered paragraphs and lettered points of a Union general export authorisation, and
its conditions (Part 3, and Part 1's condition lists) as short English texts citing the paragraph and point."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

PARTS = re.compile(r"Part (?P<n>[123]) [–—] (?:Items|Destinations|Conditions and requirements for use)")
PARAGRAPH = re.compile(r"(?:^|\n)(?P<n>\d+)\.\s")
POINT = re.compile(r"(?:(?<=: )|(?<=; )|(?<=; or )|(?<=; and ))\((?P<mark>[a-z]+)\) ")
ROMANS = ("i", "ii", "iii", "iv", "v", "vi")


def split_parts(text: str) -> dict[str, str]:
    marks = list(PARTS.finditer(text))
    if [m["n"] for m in marks] != ["1", "2", "3"]:
        raise ValueError(f"expected Parts 1, 2 and 3 in that order: {text[:80]!r}")
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {m["n"]: text[m.end() : end].strip() for m, end in zip(marks, ends, strict=True)}


def paragraphs(part: str) -> list[tuple[str, str]]:
    """Numbered paragraphs; a number that does not follow the last one is a line break inside a reference
    ("as stated in paragraph\\n1.") and stays in the paragraph."""
    found: list[tuple[str, str]] = []
    starts = list(PARAGRAPH.finditer(part))
    if not starts:
        return [("", part.strip())]
    kept: list[re.Match[str]] = []
    for match in starts:
        if int(match["n"]) == len(kept) + 1:
            kept.append(match)
    ends = [m.start() for m in kept[1:]] + [len(part)]
    for match, end in zip(kept, ends, strict=True):
        found.append((match["n"], " ".join(part[match.end() : end].split())))
    return found


@dataclass
class Point:
    mark: str
    text: str
    subs: list[tuple[str, str]] = field(default_factory=list)


def points(text: str) -> tuple[str, list[Point]]:
    """The lead text and the lettered points (a), (b), … with their roman sub-points (i), (ii), …

    A mark is the next letter when it can be (EU004's point (i) follows (h)), else the next roman numeral of the
    current letter; anything else in parentheses is part of the text ("point (b) of Article 4(1)")."""
    cuts: list[tuple[int, int, str, bool]] = []  # start, end, mark, whether it is a letter
    letter, roman = "a", 0
    for match in POINT.finditer(text):
        mark = match["mark"]
        if mark == letter:
            cuts.append((match.start(), match.end(), mark, True))
            letter, roman = chr(ord(letter) + 1), 0
        elif cuts and roman < len(ROMANS) and mark == ROMANS[roman]:
            cuts.append((match.start(), match.end(), mark, False))
            roman += 1
    found: list[Point] = []
    for index, (_start, end, mark, is_letter) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(text)
        body = text[end:stop].strip()
        if is_letter:
            found.append(Point(mark, body))
        else:
            found[-1].subs.append((mark, body))
    return text[: cuts[0][0] if cuts else len(text)].strip(), found


# Short English texts of the conditions, found by a phrase of the point or paragraph they summarise: every
# point of a condition list and every other paragraph must match one, so nothing in Part 3 goes unread.
# Kinds: not-usable-if (the authorisation does not authorise the export), only-if (a condition of use, all must
# hold unless one-of), obligation (what the exporter must do), authority-may, definition.
CONDITIONS: list[tuple[str, str, str]] = [
    # grounds of the informed/aware exclusion, (a)(i)–(iv)
    (
        r"chemical, biological or nuclear weapons",
        "not-usable-if",
        "informed by the competent authority that the items are or may be intended for chemical, biological or nuclear"
        " weapons, nuclear explosive devices or missiles capable of delivering them",
    ),
    (
        r"military end-use as defined in point \(b\) of Article 4\(1\) of this Regulation in a country subject",
        "not-usable-if",
        "informed that the items are or may be intended for a military end-use (Art. 4(1)(b)) in a country subject to"
        " an arms embargo",
    ),
    (
        r"military end-use as defined in point \(b\) of Article 4\(1\) of this Regulation where the purchasing",
        "not-usable-if",
        "informed that the items are or may be intended for a military end-use (Art. 4(1)(b)) where the purchasing or"
        " destination country is subject to an arms embargo",
    ),
    (
        r"for a military, paramilitary, police, intelligence, surveillance end-use",
        "not-usable-if",
        "informed that the items are or may be intended for a military, paramilitary, police, intelligence,"
        " surveillance or other security end-use by or for the government",
    ),
    (
        r"parts or components of military items",
        "not-usable-if",
        "informed that the items are or may be intended as parts or components of military items on the national"
        " military list exported from that Member State without, or in breach of, an authorisation",
    ),
    (
        r"human rights.*interception technologies",
        "not-usable-if",
        "informed that the items are or may be intended for violations of human rights, democratic principles or"
        " freedom of expression by interception and monitoring technologies (mobile phones, text messages, Internet)",
    ),
    (
        r"violation of human rights",
        "not-usable-if",
        "informed that the items are or may be intended for violations of human rights, democratic principles or"
        " freedom of expression (Charter of Fundamental Rights)",
    ),
    # the other exclusions
    (
        r"is aware that the (?:items|software or technology) in question (?:are|is) intended",
        "not-usable-if",
        "the exporter is aware that the items are intended for any of the uses of point (a)",
    ),
    (
        r"customs-free zone or a free warehouse",
        "not-usable-if",
        "the items are exported to a customs-free zone or free warehouse in a destination the authorisation covers",
    ),
    (
        r"re-exported to any destination other than those listed in Part 2 of this Section or in Part 2 of Section A",
        "not-usable-if",
        "the exporter is aware that the items will be re-exported to a destination other than this authorisation's,"
        " the EU001 destinations and the Member States",
    ),
    (
        r"re-exported to any destination other than those listed in Part 2 of Section A",
        "not-usable-if",
        "the exporter is aware that the software or technology will be re-exported to a destination other than the"
        " EU001 destinations and the Member States",
    ),
    (
        r"re-exported to any destination excluded by point \(b\) or \(c\) of Part 2",
        "not-usable-if",
        "the exporter is aware that the items will be re-exported to a destination excluded by Part 2(b) or (c)",
    ),
    (
        r"consignee or end-user of the items in question is a military",
        "not-usable-if",
        "the exporter is aware that the consignee or end-user is a military, paramilitary, police, intelligence or"
        " other governmental security service, or acts on behalf of one",
    ),
    (
        r"initial authorisation has been annulled",
        "not-usable-if",
        "the initial authorisation has been annulled, suspended, modified or revoked",
    ),
    (
        r"end-use of the items in question is different",
        "not-usable-if",
        "the exporter is aware that the end-use differs from the one in the original export authorisation",
    ),
    (
        r"CONFIDENTIEL UE",
        "not-usable-if",
        "the items carry a national security classification marking equivalent to or above CONFIDENTIEL UE/EU"
        " CONFIDENTIAL (informed, or otherwise aware)",
    ),
    (
        r"their return, in their original state",
        "not-usable-if",
        "their return in their original state (no component or software removed, copied or disseminated) cannot be"
        " guaranteed, or a transfer of technology is connected with the presentation",
    ),
    (r"private presentation or demonstration", "not-usable-if", "for a private presentation or demonstration"),
    (r"merged into any production process", "not-usable-if", "to be merged into a production process"),
    (
        r"used for their intended purpose",
        "not-usable-if",
        "to be used for their intended purpose beyond the minimum an effective demonstration needs",
    ),
    (
        r"result of a commercial transaction",
        "not-usable-if",
        "the export results from a commercial transaction (sale, rental or lease)",
    ),
    (
        r"stored at an exhibition or fair only for the purpose of sale",
        "not-usable-if",
        "stored at the exhibition or fair only for sale, rent or lease, without being presented or demonstrated",
    ),
    (
        r"prevent him from keeping the relevant items under his control",
        "not-usable-if",
        "the exporter cannot keep the items under its control for the whole temporary export",
    ),
    (
        r"controlled by virtue of any entry in Annex I not specified in this authorisation",
        "not-usable-if",
        "the export is also controlled under an Annex I entry this authorisation does not list",
    ),
    (
        r"accredited or otherwise formally approved",
        "not-usable-if",
        "the items are accredited or formally approved (or being so) by a Member State to transmit, process or store"
        " classified information at or above RESTREINT UE/EU RESTRICTED (informed, or otherwise aware)",
    ),
    (
        r"protective national security classification marking, equivalent to or above ‘RESTREINT",
        "not-usable-if",
        "the items are classified (or being classified) by a Member State with a national security marking at or"
        " above RESTREINT UE/EU RESTRICTED (informed, or otherwise aware)",
    ),
    # conditions of use
    (
        r"use only published or commercial cryptographic standards",
        "only-if",
        "the items use only published or commercial cryptographic standards approved or adopted by internationally"
        " recognised standard bodies",
    ),
    (
        r"specially designed for government use",
        "only-if",
        "the items use no cryptographic standard specially designed for government use (e.g. TETRA, TETRAPOL, P25)",
    ),
    (
        r"cannot be easily changed by the user",
        "only-if",
        "the cryptographic functionality cannot easily be changed by the user",
    ),
    (
        r"parent company that directly controls the exporter and the entity ultimately controlling",
        "only-if",
        "the exporter's direct parent and its ultimate controlling entity are resident or established in a Member"
        " State or an EU001 destination",
    ),
    (
        r"binding guarantee",
        "only-if",
        "for a sister company, the direct parent gives a binding guarantee of its compliance with the authorisation",
    ),
    (
        r"exclusively used for the commercial product development",
        "only-if",
        "the software and technology are used only for the commercial product development of the exporter and the"
        " recipient company",
    ),
    (
        r"remain under the complete control",
        "only-if",
        "the software, technology and resulting products stay under the exporter's (for a sister company: the"
        " parent's) complete control and are not shared with any other entity",
    ),
    (
        r"returned to the exporter and completely deleted",
        "only-if",
        "the software and technology are returned and deleted when the development ends or the recipient is acquired;"
        " technology developed is transmitted to the exporter",
    ),
    (
        r"reimported into the customs territory of the Union for the purpose of maintenance, repair or replacement,"
        r" and are exported",
        "only-if",
        "one of: reimported for maintenance, repair or replacement and exported to the country of consignment unchanged"
        " within 5 years of the original export authorisation",
    ),
    (
        r"in exchange for items of the same quality and number",
        "only-if",
        "one of: exported to the country of consignment in exchange for items of the same quality and number reimported"
        " for maintenance, repair or replacement within 5 years of the original export authorisation",
    ),
    (
        r"can only be used when the initial export has taken place",
        "only-if",
        "the initial export was made under a Union general export authorisation or an authorisation of the Member"
        " State of the original exporter; valid only for exports to the original end-user",
    ),
    (
        r"temporary export for an exhibition or fair",
        "only-if",
        "a temporary export for an exhibition or fair, the items reimported complete and unmodified within 120 days",
    ),
    (
        r"legal person established in a Member State to a company wholly owned and controlled",
        "only-if",
        "the exporter is a legal person established in a Member State exporting to its wholly owned and controlled"
        " subsidiary, or to a sister company wholly owned and controlled by the same parent, provided that points"
        " (a)–(e) hold",
    ),
    # obligations, powers and definitions
    (
        r"mention the reference number of the initial export authorisation",
        "obligation",
        "declare EU003 with the initial authorisation's reference number and Member State in the export declaration;"
        " on request, give customs evidence of import, repair and return to the end-user and country of origin",
    ),
    (
        r"[Ww]here a customs declaration is required, the exporter shall declare",
        "obligation",
        "declare the use of the authorisation in the customs declaration, where one is required",
    ),
    (
        r"shall declare .* in the customs declaration in the case of tangible export",
        "obligation",
        "declare the use of the authorisation in the customs declaration when software or technology is exported in"
        " tangible form",
    ),
    (
        r"shall declare that the items are being exported under Union general export authorisation",
        "obligation",
        "declare the use of the authorisation in the customs declaration",
    ),
    (
        r"of the first use of this authorisation within 30 days",
        "obligation",
        "notify the first use to the competent authority within 30 days after the first export (or before it, where"
        " the Member State requires); the Member State may require registration before the first use",
    ),
    (r"shall implement an Internal Compliance Programme", "obligation", "implement an Internal Compliance Programme"),
    (
        r"shall register prior to the first use",
        "obligation",
        "register with the competent authority before the first use (acknowledged within 10 working days)",
    ),
    (
        r"no later than 30 days prior to the date of the first export",
        "obligation",
        "notify the first use to the competent authority at least 30 days before the first export",
    ),
    (
        r"no later than 10 days before the date of the first export",
        "obligation",
        "notify the first use to the competent authority at least 10 days before the first export",
    ),
    (
        r"shall report to the competent authority .* at least once per year",
        "obligation",
        "report on the use at least once a year (software and technology, quantity and value, group companies)",
    ),
    (
        r"submit technical data",
        "obligation",
        "on request, submit the items' technical data (manufacturer, product, model, description, cryptographic"
        " specifications, classification) and notify changes to it without delay",
    ),
    (
        r"report on the use of this authorisation\. Upon request",
        "obligation",
        "on request, report on the use at least once a year (classification, quantity and value, consignee, end-use"
        " and end-user where known, last technical data submitted)",
    ),
    (
        r"may, at the exporter’s request, waive the requirement",
        "authority-may",
        "the competent authority may waive the reimport requirement on request (procedure of Art. 12(2))",
    ),
    (
        r"may, for reasons of national security, prohibit",
        "authority-may",
        "the competent authority may, for national security, prohibit the exporter from using it for any item",
    ),
    (
        r"covers items for ‘repair’, ‘replacement’ and ‘maintenance’",
        "definition",
        "repair, replacement and maintenance include coincidental improvements that add no functional capability and"
        " no new functions",
    ),
    (
        r"‘exhibition or fair’ means",
        "definition",
        "'exhibition or fair': a commercial event of specific duration at which several exhibitors demonstrate their"
        " products to trade visitors or the public",
    ),
]
# A paragraph whose lead says this is a list of conditions: its points are the conditions (else it is one).
LISTS = re.compile(
    r"does not authorise the export of|shall not be used if|shall be valid only if|provided that"
    r"|except those listed in paragraph 2 of this Section where"
)


def summarise(text: str, where: str) -> tuple[str, str]:
    for phrase, kind, summary in CONDITIONS:
        if re.search(phrase, text):
            return kind, summary
    raise ValueError(f"{where}: no short text for {text[:100]!r}")


def conditions(ugea: str, part: str, text: str) -> Iterator[dict[str, str]]:
    """Part 3's paragraphs (and Part 1's condition lists): a list's points one by one, its lead too when it states a
    condition itself (EU007's intra-group rule); any other Part 3 paragraph as one condition."""
    for number, paragraph in paragraphs(text):
        ref = f"Part {part}({number})" if number else f"Part {part}"
        lead, found = points(paragraph)
        if not LISTS.search(lead):
            if part == "3":
                kind, summary = summarise(paragraph, f"{ugea} {ref}")
                yield {"ref": ref, "kind": kind, "text": summary}
            continue
        if any(re.search(phrase, lead) for phrase, _kind, _summary in CONDITIONS):
            kind, summary = summarise(lead, f"{ugea} {ref}")
            yield {"ref": ref, "kind": kind, "text": summary}
        for point in found:
            for mark, body in point.subs or [("", point.text)]:
                where = f"{ref}({point.mark})" + (f"({mark})" if mark else "")
                kind, summary = summarise(body, f"{ugea} {where}")
                yield {"ref": where, "kind": kind, "text": summary}
