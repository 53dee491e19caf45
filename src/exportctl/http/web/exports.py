"""A table as a download: CSV (UTF-8 with a byte-order mark, so Excel reads Japanese correctly) or an Excel
workbook (openpyxl).

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return, which some strip before
looking) as a formula: a party name such as `=HYPERLINK(...)` taken from a screening list or typed into an order
would run on the officer's machine. Every such text cell gets a leading apostrophe, which shows the text as it
is (OWASP's advice for CSV injection); numbers and dates are written as numbers and dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from starlette.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def neutralised(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made plain text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A value as a cell holds it: None is empty, a date or time in ISO form in CSV."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralised(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends, as Excel writes them
    writer.writerow([neutralised(name) for name in header])
    for row in rows:
        writer.writerow([_plain(value) for value in row])
    return BOM + out.getvalue()


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.append([neutralised(name) for name in header])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A value as a workbook cell: numbers and dates typed; a text neutralised (openpyxl would otherwise store a
    text starting with "=" as a formula)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones; the times are UTC, as stored
    return neutralised(value)


def _sheet_title(title: str) -> str:
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"


def download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body.encode("utf-8") if isinstance(body, str) else body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
