"""Japan Ministry of Finance asset-freeze list (資産凍結等経済制裁対象者), Excel, one sheet per programme.

Sheet 1 (一覧) is an index and the 【解除】 sheets are lifted programmes: both have no table and are skipped. Every
other sheet has a title row or two, then a header row with 告示日付 (notice date; `…削除` marks a deleted entry),
告示番号 (the list's own number, `12`, `3(*290)`, `#5`), 日本語表記 and 英語表記 (the Japanese and English names:
a real cross-script pair, both kept, the English one as the name), then a programme-specific set of columns,
mapped by header text: 別名/別称/旧称 (aliases), 確定に十分でない別名 (low-quality aliases), 生年月日 (birth date:
text, an Excel date or an Excel serial number), 国籍 (nationality, in Japanese), 住所/所在地 (address).

Alias cells mix Japanese and English (`(a)X(b)Y\\n(a.k.a.: (a)X' (b)Y')`, `X; Y\\nX'; Y'`, `(別称、X、Y)`); names
carry spelling variants in brackets (`Vladimir(Volodymyr) KONONOV`, `ドミトリー(ドミトロ)・ヴォロナ`) and the
original script (`(original script: …)`): each variant becomes an alias. Persons vs entities: sheet titles say
個人 (individuals) or 団体/銀行 (entities); mixed sheets decide per row from the UN reference number (QDi./QDe.),
then personal facts: birth date, nationality, birthplace, passport, title (→ person), else company. Mixed
sheets list organisations without any of those facts; a person listed with none of them is read as a company.
programs = the sheet title; entity_id `jp-mof:<sheet index>:<告示番号>` (`:r<row>` added if a number repeats).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from exportctl.countries import country_code
from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, company_like, date_in_name, file_sha256

LIST_ID = "jp-mof"
UNKNOWN = {"不明", "なし", "-", "－", "―"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
UN_REFERENCE = re.compile(r"\b[A-Z]{2}([ei])\.\d+")
LEGAL_FORMS = {
    "ltd",
    "ltd.",
    "inc",
    "inc.",
    "co",
    "co.",
    "llc",
    "jsc",
    "ojsc",
    "pjsc",
    "sa",
    "s.a.",
    "ag",
    "gmbh",
    "oao",
}

# Japanese country names as MOF writes them (longest first when scanning) → ISO 3166-1 alpha-2.
JA_COUNTRIES = {
    "アフガニスタン": "AF",
    "北朝鮮": "KP",
    "イラク": "IQ",
    "イラン": "IR",
    "チュニジア": "TN",
    "コンゴ民主共和国": "CD",
    "コンゴ共和国": "CG",
    "インドネシア": "ID",
    "パキスタン": "PK",
    "アルジェリア": "DZ",
    "イエメン": "YE",
    "ソマリア": "SO",
    "フィリピン": "PH",
    "ルワンダ": "RW",
    "エジプト": "EG",
    "リビア": "LY",
    "英国": "GB",
    "イギリス": "GB",
    "サウジアラビア": "SA",
    "サウディ・アラビア": "SA",
    "パレスチナ": "PS",
    "ヨルダン": "JO",
    "ロシア": "RU",
    "ハイチ": "HT",
    "クウェート": "KW",
    "クウェイト": "KW",
    "ウガンダ": "UG",
    "レバノン": "LB",
    "モロッコ": "MA",
    "フランス": "FR",
    "マリ": "ML",
    "カタール": "QA",
    "スーダン": "SD",
    "南スーダン": "SS",
    "中華人民共和国": "CN",
    "中国": "CN",
    "中央アフリカ": "CF",
    "ドイツ": "DE",
    "シリア": "SY",
    "モーリタニア": "MR",
    "エリトリア": "ER",
    "アメリカ合衆国": "US",
    "米国": "US",
    "タンザニア": "TZ",
    "マレーシア": "MY",
    "インド": "IN",
    "トルコ": "TR",
    "ウズベキスタン": "UZ",
    "ナイジェリア": "NG",
    "ノルウェー": "NO",
    "セネガル": "SN",
    "グルジア": "GE",
    "ジョージア": "GE",
    "タジキスタン": "TJ",
    "ボスニア・ヘルツェゴビナ": "BA",
    "トリニダード・トバゴ": "TT",
    "スロバキア": "SK",
    "エチオピア": "ET",
    "チャド": "TD",
    "ベラルーシ": "BY",
    "ウクライナ": "UA",
    "アラブ首長国連邦": "AE",
    "ケニア": "KE",
    "バーレーン": "BH",
    "オマーン": "OM",
    "イスラエル": "IL",
    "ブルンジ": "BI",
    "ニジェール": "NE",
    "リベリア": "LR",
    "コートジボワール": "CI",
    "ミャンマー": "MM",
    "ベネズエラ": "VE",
    "キューバ": "CU",
    "スイス": "CH",
    "リヒテンシュタイン": "LI",
    "キプロス": "CY",
    "ギリシャ": "GR",
    "イタリア": "IT",
    "スペイン": "ES",
    "ベルギー": "BE",
    "オランダ": "NL",
    "オーストリア": "AT",
    "カナダ": "CA",
    "香港": "HK",
    "台湾": "TW",
    "シンガポール": "SG",
    "アルメニア": "AM",
    "カザフスタン": "KZ",
    "キルギス": "KG",
}
_JA_SCAN = sorted(JA_COUNTRIES, key=len, reverse=True)


def _text(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()


def _clean(text: str) -> str:
    return re.sub(r"\s*・\s*", "・", " ".join(text.split())).strip(" ・,、;")


def _countries(text: str, *, address: bool = False) -> list[str]:
    """Country codes named in a Japanese or English cell, in order of appearance. In addresses only names of
    three or more characters count (マリ is also the start of マリウポリ)."""
    found: list[tuple[int, str]] = []
    rest = text
    for name in _JA_SCAN:
        if address and (len(name) < 3 or name == "マリ"):
            continue
        found += [(m.start(), JA_COUNTRIES[name]) for m in re.finditer(re.escape(name), rest)]
        rest = rest.replace(name, "\0" * len(name))
    position = 0
    for part in re.split(r"[,;\n()、]", text):
        code = country_code(part) if len(part.strip(" .")) > 3 else None
        if code:
            found.append((text.find(part, position), code))
        position += len(part) + 1
    return [code for _, code in sorted(found)]


def _similar(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a[:1] == b[:1] or SequenceMatcher(None, a, b).ratio() >= 0.5


def _acronym(text: str) -> bool:
    return len(text) >= 3 and " " not in text and sum(c.isupper() for c in text) >= 2


def name_variants(cell: str) -> list[str]:
    """'Vladimir(Volodymyr) KONONOV' → ['Vladimir KONONOV', 'Volodymyr KONONOV']; the first is the name."""
    text = _text(cell)
    scripts = re.findall(r"\(?original script\s*:\s*([^)\n]*)\)?", text, flags=re.IGNORECASE)
    text = re.sub(r"\(?original script\s*:\s*[^)\n]*\)?", " ", text, flags=re.IGNORECASE)
    paren = re.compile(r"\s*\(([^()]*)\)")
    names = [_clean(paren.sub(" ", text))]
    for match in paren.finditer(text):
        content = _clean(match.group(1))
        if not content or content in UNKNOWN or re.search(r"\d", content):
            continue
        before = text[: match.start()].rstrip()
        token = re.split(r"[\s・]", before)[-1] if before else ""
        alternatives = [_clean(a) for a in re.split(r"[,/、]", content) if _clean(a)]
        if token and all(re.fullmatch(r"[^\s・]+", a) and _similar(a, token) for a in alternatives):
            head = before[: len(before) - len(token)]
            names += [_clean(paren.sub(" ", head + a + text[match.end() :])) for a in alternatives]
        elif " " in content or _acronym(content):
            names.append(content)
    return [*names, *(_clean(s) for s in scripts if _clean(s) not in UNKNOWN)]


def alias_cell(cell: str) -> list[str]:
    """Every alias in a MOF alias cell, Japanese and English."""
    text = _text(cell)
    text = re.sub(r"\(?\b[afn]\.k\.a\.?\s*:?", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"\(?(?:別称|旧称|別名)[、,:]", "\n", text)
    text = re.sub(r"\(\s*[a-z]\s*\)", "\n", text)
    fragments: list[str] = []
    for part in re.split(r"[\n;、]", text):
        pieces = [p.strip() for p in part.split(",")]
        merged: list[str] = []
        for piece in pieces:
            if merged and (piece.lower() in LEGAL_FORMS or not piece):
                merged[-1] = f"{merged[-1]}, {piece}" if piece else merged[-1]
            else:
                merged.append(piece)
        fragments += merged
    aliases: list[str] = []
    for fragment in fragments:
        fragment = _clean(fragment)
        while fragment.startswith("(") and ")" not in fragment:
            fragment = _clean(fragment[1:])
        while fragment.endswith(")") and fragment.count(")") > fragment.count("("):
            fragment = _clean(fragment[:-1])
        # A bare country name is a comma-split address qualifier ("…, Pakistan"), not an alias.
        if fragment and fragment not in UNKNOWN and not (len(fragment) > 3 and country_code(fragment)):
            aliases += name_variants(fragment)
    return aliases


def birth_dates(value: object) -> list[str]:
    """ISO 8601 (partial) dates from a birth-date cell; a range 'from … to …' as '1973/1974'."""
    if isinstance(value, dt.datetime | dt.date):
        return [value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()]
    if isinstance(value, int | float):
        number = int(value)
        return [str(number)] if number <= 2100 else [(EXCEL_EPOCH + dt.timedelta(days=number)).isoformat()]
    text = _text(value)
    found: list[str] = []
    span = re.compile(r"(\d{4})年(?:[^年]{0,8}?)\s*(?:から|-|~|～|〜)\s*(\d{4})年")
    for match in span.finditer(text):
        found.append(f"{match.group(1)}/{match.group(2)}")
    text = span.sub(" ", text)
    for year, month, day in re.findall(r"(\d{4})年(?:\s*(\d{1,2})月(?:\s*(\d{1,2})日)?)?", text):
        found.append(year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else ""))
    if not found:
        found += re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", text)
    return found


def _role(header: str) -> str:
    if header in ("日本語表記", "英語表記", "告示番号", "告示日付", "国籍", "国連参照番号"):
        return header
    if "確定に十分でない" in header:
        return "weak"
    if any(word in header for word in ("別名", "別称", "旧称")):
        return "alias"
    if "生年月日" in header:
        return "birth"
    if any(word in header for word in ("出生地", "旅券", "称号", "役職", "肩書")):
        return "personal"
    if "住所" in header or "所在地" in header:
        return "address"
    return ""


def _column_letter(index: int) -> str:
    return str(get_column_letter(index + 1))


def _kind(title: str, cells: dict[str, list[str]], birth_values: list[object], english: str) -> EntityKind:
    if "個人" in title:
        return "person"
    if "団体" in title or "銀行" in title:
        return "company"
    un_reference = UN_REFERENCE.search(" ".join(cells.get("国連参照番号", [])))
    if un_reference:  # the UN's own reference says which: QDi.001 an individual, QDe.001 an entity
        return "person" if un_reference.group(1) == "i" else "company"
    personal = [_text(v) for v in birth_values] + cells.get("国籍", []) + cells.get("personal", [])
    if any(v and v not in UNKNOWN for v in personal):
        return "person"
    return "company" if company_like(english) or "personal" in cells or birth_values else "unknown"


def _sheet(
    path: Path, index: int, title: str, rows: list[tuple[Any, ...]]
) -> list[tuple[str, int, dict[str, Any]]] | None:
    """The sheet's entries as (id, row, fields); None for a sheet without a table (the index, lifted programmes)."""
    header_at = next((i for i, row in enumerate(rows[:10]) if "日本語表記" in [_text(v) for v in row]), None)
    if header_at is None:
        if "解除" in title or index == 0 or "一覧" in title:
            return None
        raise ListFileError(f"{path}: sheet '{title}': no header row with 日本語表記 in the first 10 rows")
    headers = [_text(v).replace("\n", "") for v in rows[header_at]]
    roles = {i: _role(h) for i, h in enumerate(headers) if _role(h)}
    for needed in ("英語表記", "告示番号"):
        if needed not in roles.values():
            raise ListFileError(f"{path}: sheet '{title}', row {header_at + 1}: no column {needed}")
    programme = _clean(re.sub(r"^\d+\.\s*", "", title))
    found: list[tuple[str, int, dict[str, Any]]] = []
    for row_number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells: dict[str, list[str]] = {}
        raw: dict[str, list[object]] = {}
        for i, role in roles.items():
            value = row[i] if i < len(row) else None
            raw.setdefault(role, []).append(value)
            cells.setdefault(role, []).append(_text(value))
        japanese, english = (cells.get(k, [""])[0] for k in ("日本語表記", "英語表記"))
        if "削除" in cells.get("告示日付", [""])[0] or not (japanese or english):
            continue  # deleted entry, blank row or a note
        english_names, japanese_names = name_variants(english), name_variants(japanese)
        names = [n for n in (*english_names, *japanese_names) if n and n not in UNKNOWN]
        if not names:
            column = _column_letter(next(i for i, r in roles.items() if r == "英語表記"))
            raise ListFileError(f"{path}: sheet '{title}', row {row_number}, column {column}: no usable name")
        name = names[0]
        aliases = [*names[1:], *(a for c in cells.get("alias", []) for a in alias_cell(c))]
        weak = [a for c in cells.get("weak", []) for a in alias_cell(c)]
        number = re.sub(r"\(.*$", "", cells.get("告示番号", [""])[0]).strip() or f"r{row_number}"
        kept = dedupe(aliases, exclude=[name])
        fields = {
            "list_id": LIST_ID,
            "kind": _kind(title, cells, raw.get("birth", []), english),
            "name": name,
            "aliases": kept,
            "weak_aliases": dedupe(weak, exclude=[name, *kept]),
            "countries": dedupe(
                [
                    *(c for n in cells.get("国籍", []) for c in _countries(n)),
                    *(c for a in cells.get("address", []) for c in _countries(a, address=True)),
                ]
            ),
            "programs": (programme,),
            "birth_dates": dedupe(d for v in raw.get("birth", []) for d in birth_dates(v)),
            "addresses": dedupe(a for a in cells.get("address", []) if a not in UNKNOWN),
        }
        found.append((f"{LIST_ID}:{index}:{number}", row_number, fields))
    return found


def read(path: Path) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    try:
        with warnings.catch_warnings():
            # MOF's workbook defines a print area as "#N/A"; openpyxl warns and ignores it, as do we.
            warnings.filterwarnings("ignore", message="Print area cannot be set", category=UserWarning)
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a non-xlsx file
        raise ListFileError(f"{path}: not a readable Excel workbook ({exc})") from exc
    try:
        pending: list[tuple[str, int, dict[str, Any]]] = []
        tables = 0
        for index, sheet in enumerate(workbook.worksheets):
            found = _sheet(path, index, sheet.title, list(sheet.iter_rows(values_only=True)))
            if found is not None:
                tables += 1
                pending += found
    finally:
        workbook.close()
    if not tables:
        raise ListFileError(
            f"{path}: no sheet has an asset-freeze table (header row with 日本語表記, 英語表記, 告示番号)"
        )
    counts = Counter(entity_id for entity_id, _, _ in pending)
    entities = tuple(
        ListedEntity(entity_id=entity_id if counts[entity_id] == 1 else f"{entity_id}:r{row}", **fields)
        for entity_id, row, fields in pending
    )
    return LoadedList(LIST_ID, sha256, str(path), date_in_name(path), entities)
