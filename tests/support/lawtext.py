"""The Export Trade Control Order as e-Gov law XML: Appended Table 1's rows and sub-items, and the
country tables (Appended Tables 3, 3-2 and 4). Pure: takes the XML bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SUB_ITEM = re.compile(r"^（([一二三四五六七八九十]+)(?:の([一二三四五六七八九十]+))?）")

# Japanese country names as the Order writes them → ISO 3166-1 alpha-2.
JA_COUNTRIES = {
    "アルゼンチン": "AR",
    "オーストラリア": "AU",
    "オーストリア": "AT",
    "ベルギー": "BE",
    "ブルガリア": "BG",
    "カナダ": "CA",
    "チェコ": "CZ",
    "デンマーク": "DK",
    "フィンランド": "FI",
    "フランス": "FR",
    "ドイツ": "DE",
    "ギリシャ": "GR",
    "ハンガリー": "HU",
    "アイルランド": "IE",
    "イタリア": "IT",
    "大韓民国": "KR",
    "ルクセンブルク": "LU",
    "オランダ": "NL",
    "ニュージーランド": "NZ",
    "ノルウェー": "NO",
    "ポーランド": "PL",
    "ポルトガル": "PT",
    "スペイン": "ES",
    "スウェーデン": "SE",
    "スイス": "CH",
    "英国": "GB",
    "アメリカ合衆国": "US",
    "アフガニスタン": "AF",
    "中央アフリカ": "CF",
    "コンゴ民主共和国": "CD",
    "イラク": "IQ",
    "レバノン": "LB",
    "リビア": "LY",
    "北朝鮮": "KP",
    "ソマリア": "SO",
    "南スーダン": "SS",
    "スーダン": "SD",
    "イラン": "IR",
}
COUNTRY_TABLES = {"別表第三": "table-3", "別表第三の二": "table-3-2", "別表第四": "table-4"}


class LawTextError(ValueError):
    pass


def kanji_number(text: str) -> int:
    """Both styles the Order uses: positional ('一〇', '一六') for rows, classical ('十四') for sub-items."""
    if "十" not in text:
        return int("".join(str(DIGITS[ch]) for ch in text))
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def _row_id(text: str) -> str:
    main, _, branch = text.partition("の")
    return f"{kanji_number(main)}" + (f"-{kanji_number(branch)}" if branch else "")


@dataclass(frozen=True)
class LawRow:
    id: str
    destinations: str
    sub_items: dict[str, str]  # entry id → Japanese text


@dataclass(frozen=True)
class OrderText:
    rows: dict[str, LawRow]
    country_tables: dict[str, frozenset[str]]


def _text(element: etree._Element) -> str:
    return "".join(str(part) for part in element.itertext())


def _tables(root: etree._Element) -> dict[str, etree._Element]:
    return {(table.findtext("AppdxTableTitle") or "").strip(): table for table in root.iter("AppdxTable")}


def parse_order(xml: bytes) -> OrderText:
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise LawTextError(f"not well-formed XML: {exc}") from exc
    tables = _tables(root)
    if "別表第一" not in tables:
        raise LawTextError("no AppdxTable titled 別表第一 (Appended Table 1)")
    rows: dict[str, LawRow] = {}
    for table_row in tables["別表第一"].iter("TableRow"):
        columns = table_row.findall("TableColumn")
        if len(columns) < 3:
            continue
        number = _text(columns[0]).strip()
        if not number or number[0] not in DIGITS:
            continue  # the header row
        row_id = _row_id(number)
        sub_items: dict[str, str] = {}
        for sentence in columns[1].iter("Sentence"):
            text = _text(sentence).strip()
            found = SUB_ITEM.match(text)
            if found:
                item = f"{kanji_number(found[1])}" + (f"-{kanji_number(found[2])}" if found[2] else "")
                sub_items[f"{row_id}({item})"] = text[found.end() :].strip()
        destinations = _text(columns[2]).strip()
        rows[row_id] = LawRow(row_id, destinations, sub_items)
    country_tables: dict[str, frozenset[str]] = {}
    for title, table_id in COUNTRY_TABLES.items():
        if title not in tables:
            raise LawTextError(f"no AppdxTable titled {title}")
        text = "".join(_text(s) for s in tables[title].iter("Sentence"))
        names = [name.strip() for name in text.split("、") if name.strip()]
        unknown = [name for name in names if name not in JA_COUNTRIES]
        if unknown:
            raise LawTextError(f"{title}: country names without an ISO code mapping: {', '.join(unknown)}")
        country_tables[table_id] = frozenset(JA_COUNTRIES[name] for name in names)
    return OrderText(rows, country_tables)
