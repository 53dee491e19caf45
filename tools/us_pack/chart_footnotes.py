"""The Country Chart's footnotes that require a licence the grid does not show, as controls of the ECCNs they list.

Footnote 7 (India): "a license is still required for items controlled under ECCNs 6A003.b.4.b and 9A515.e for RS
column 2 reasons when destined to India", although India's row has no RS 2 mark. Footnote 10 (Australia, the
United Kingdom): "A license is required to these destinations for items in the following ECCNs: 0A501 (except for
0A501.y), …". Each is read as one control per ECCN it lists, to the destinations whose row carries the footnote
(table `chart-fn7`, `chart-fn10`). The other footnotes point to other parts of the EAR (part 746, § 742.4, § 742.6)
and are not controls of an entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chart_text import Paragraphs, Reading, read_parts, runs

STILL_REQUIRED = re.compile(
    r".*license is still required for items controlled under ECCNs (?P<list>.+?) for (?P<code>[A-Z]{2}) column"
    r" (?P<number>\d) reasons when destined to .*",
    re.IGNORECASE,
)
REQUIRED_FOR = re.compile(
    r"(?P<lead>A license is required to these destinations for items in the following ECCNs):"
    r" (?P<list>.+)"
)
ECCN_START = re.compile(r", (?=\d[A-E]\d{3}\b)")
FOOTNOTE_REASON = "Country Chart footnote {number}"


def footnote_table(number: str) -> str:
    return f"chart-fn{number}"


def _still_required(number: str, text: str, paragraphs: Mapping[str, Paragraphs]) -> dict[str, list[Reading]]:
    match = STILL_REQUIRED.fullmatch(text)
    if match is None:
        raise ValueError(f"Country Chart footnote {number}: not read as a licence requirement: {text!r}")
    readings: dict[str, list[Reading]] = {}
    for run in runs(match["list"], ""):
        for eccn, part in run.refs:
            reading = Reading(
                reason=match["code"] + match["number"],
                text=f"Country Chart footnote {number}: {text}",
                scope={"tables": [footnote_table(number)]},
                parts=(f"{eccn}.{part}",) if part else (),
                approximate=(),
            )
            if part and eccn in paragraphs and part not in paragraphs[eccn]:
                raise ValueError(f"Country Chart footnote {number}: {eccn}.{part} is not a paragraph of {eccn}")
            readings.setdefault(eccn, []).append(reading)
    return readings


def _required_for(number: str, text: str, paragraphs: Mapping[str, Paragraphs]) -> dict[str, list[Reading]]:
    match = REQUIRED_FOR.fullmatch(text.strip().rstrip("."))
    if match is None:
        raise ValueError(f"Country Chart footnote {number}: not read as a list of ECCNs: {text!r}")
    readings: dict[str, list[Reading]] = {}
    for item in ECCN_START.split(match["list"]):
        eccn = item[:5]
        parts = read_parts(eccn, item, paragraphs.get(eccn))
        readings.setdefault(eccn, []).append(
            Reading(
                reason=FOOTNOTE_REASON.format(number=number),
                text=f"{match['lead']}: {item} (Country Chart footnote {number})",
                scope={"tables": [footnote_table(number)]},
                parts=parts.parts,
                approximate=parts.approximate,
            )
        )
    return readings


READERS = {"7": _still_required, "10": _required_for}


def footnote_readings(footnotes: Mapping[str, str], paragraphs: Mapping[str, Paragraphs]) -> dict[str, list[Reading]]:
    """The controls the encoded footnotes add, by ECCN."""
    readings: dict[str, list[Reading]] = {}
    for number, reader in READERS.items():
        if number not in footnotes:
            raise ValueError(f"Country Chart footnote {number} is missing: the source changed, check READERS")
        for eccn, added in reader(number, footnotes[number], paragraphs).items():
            readings.setdefault(eccn, []).extend(added)
    return readings
