"""The Union general export authorisations in the pack's terms: a country table per authorisation (the
DestinationsFile's `tables`) and a `coverage` item per authorisation (licences.yaml), for the lead to merge into the
pack's files.

What a Coverage can state is stated as data: the kinds, rows, entries and parts of Part 1, the exclusions of Section I
and Part 1, the destinations of Part 2, and the Part 3(N)(a)/(b) grounds the transaction's facts decide
(`unusable_when`). Everything else is the `condition`, a short text citing its Part and point; the builder checks that
it cites every condition read from Part 1 and Part 3, so a changed text fails here instead of going unread.
"""

from __future__ import annotations

import re
from typing import Any

from annex_i import CATEGORIES, AnnexEntry
from annex_ii import AnnexII
from source import ANNEX_II_SOURCE
from yamlout import comments, dump

from exportctl.regime.schema import SLUG, CountryTable, Coverage

# Part 3(N)(a): "the exporter has been informed by the competent authority … that the items are or may be intended"
# for one of the uses (i)–(iv): the fact `informed`. Part 3(N)(b): "the exporter is aware that the items are intended
# for any of the uses referred to in point (a)": of those uses, a WMD use is the fact `wmd_end_use` and a military one
# `conventional_end_use`. The other uses of point (a) are named in the condition.
UNUSABLE_WHEN = ["informed", "wmd_end_use", "conventional_end_use"]
WMD_GROUND = "chemical, biological or nuclear weapons"
AWARE_GROUND = "the exporter is aware that the items are intended for any of the uses of point (a)"

# Section I names these two only "in so far as" they relate to 0C001 or to the 0C002 items outside Annex IV: no part
# states that, so the conditions name it. (0C002 "other than those specified in Annex IV" is excluded whole: Section
# I also excludes every Annex IV item.)
SECTION_I_PARTLY = ["0D001", "0E001"]

# The conditions of each authorisation that no field of a Coverage states, with the Part and point they come from.
CONDITIONS: dict[str, tuple[str, str]] = {
    "EU001": (
        "Not for Annex IV items (excluded by Section I; not listed in this pack), nor for 0D001 or 0E001 as far as"
        " they relate to 0C001 or to 0C002 items outside Annex IV. Not if the exporter is aware the items are for"
        " parts or components of military items exported without, or in breach of, an authorisation (Part 3(1)(b),"
        " (a)(iii)); not to a customs-free zone or free warehouse (Part 3(1)(c)). Declare EU001 in the customs"
        " declaration (Part 3(2)); notify the first use within 30 days after the first export (Part 3(3)).",
        "附属書IVの品目（第I節により除外。本パックには未収録）並びに0C001又は附属書IV外の0C002に関する限りの0D001・0E001"
        "には使えない。許可なく又は許可に違反して輸出された軍事品目の部分品・構成品に用いられることを輸出者が知っている"
        "場合（第3部(1)(b)・(a)(iii)）及び自由地帯・自由倉庫への輸出（第3部(1)(c)）には使えない。税関申告でEU001の使用を"
        "申告し（第3部(2)）、初回使用を初回輸出後30日以内に届け出ること（第3部(3)）。",
    ),
    "EU002": (
        "Not if the exporter is aware the items are for parts or components of military items exported without, or"
        " in breach of, an authorisation (Part 3(1)(b), (a)(iii)); not to a customs-free zone or free warehouse"
        " (Part 3(1)(c)). Declare EU002 in the customs declaration (Part 3(2)); notify the first use within 30 days"
        " after the first export (Part 3(3)).",
        "許可なく又は許可に違反して輸出された軍事品目の部分品・構成品に用いられることを輸出者が知っている場合（第3部"
        "(1)(b)・(a)(iii)）及び自由地帯・自由倉庫への輸出（第3部(1)(c)）には使えない。税関申告でEU002の使用を申告し"
        "（第3部(2)）、初回使用を初回輸出後30日以内に届け出ること（第3部(3)）。",
    ),
    "EU003": (
        "Only for items reimported into the Union for maintenance, repair or replacement and exported unchanged to the"
        " country of consignment (Part 1(1)(a)), or exported there in exchange for such items of the same quality and"
        " number (Part 1(1)(b)), within 5 years of the original export authorisation; only to the original end-user"
        " after an initial export under a Union general export authorisation or an authorisation of the original"
        " exporter's Member State (Part 3(1)) that has not been annulled, suspended, modified or revoked (Part"
        " 3(2)(d)), for the original end-use (Part 3(2)(e)); repair, replacement and maintenance may include"
        " coincidental improvements adding no functional capability (Part 3(5)). Not for Annex IV items (excluded by"
        " Section I; not listed in this pack). Not if the exporter is aware the items are for parts or components of"
        " military items exported without, or in breach of, an authorisation (Part 3(2)(b), (a)(iii)); not to a"
        " customs-free zone or free warehouse (Part 3(2)(c)). Declare EU003 with the initial authorisation's reference"
        " number and Member State, and give customs evidence of the repair on request (Part 3(3)); notify the first"
        " use within 30 days after the first export (Part 3(4)).",
        "保守・修理・交換のためEUに再輸入され、特性を変えずに委託国へ輸出される品目（第1部(1)(a)）、又はそれと同品質・"
        "同数量の品目と交換に委託国へ輸出される品目（第1部(1)(b)）で、当初の輸出許可から5年以内のものに限る。EU一般輸出"
        "許可又は当初の輸出者の加盟国の許可による当初輸出の後、当初の最終需要者への輸出に限り（第3部(1)）、当初許可が"
        "取消・停止・変更・撤回されておらず（第3部(2)(d)）、最終用途が当初許可と同じであること（第3部(2)(e)）。修理等"
        "には機能を追加しない付随的改良を含む（第3部(5)）。附属書IVの品目（第I節により除外。本パックには未収録）には"
        "使えない。許可なく又は許可に違反して輸出された軍事品目の部分品・構成品に用いられることを輸出者が知っている場合"
        "（第3部(2)(b)・(a)(iii)）及び自由地帯・自由倉庫への輸出（第3部(2)(c)）には使えない。当初許可の参照番号と加盟国"
        "を付してEU003の使用を申告し、求めがあれば修理の証拠を税関に示し（第3部(3)）、初回使用を初回輸出後30日以内に"
        "届け出ること（第3部(4)）。",
    ),
    "EU004": (
        "Only for a temporary export to an exhibition or fair (a commercial event of specific duration at which several"
        " exhibitors demonstrate their products, Part 3(6)), reimported within 120 days complete and unmodified (Part"
        " 3(1); the authority may waive the reimport, Part 3(2)). Not for Annex IV items (excluded by Section I; not"
        " listed in this pack). Not if the exporter is aware the items are for parts or components of military items"
        " exported without, or in breach of, an authorisation (Part 3(3)(b), (a)(iii)); not to a customs-free zone or"
        " free warehouse (Part 3(3)(c)); not for items classified CONFIDENTIEL UE/EU CONFIDENTIAL or above (Part"
        " 3(3)(d)); not if their return in the original state cannot be guaranteed or technology is transferred with"
        " the presentation (Part 3(3)(e)); not for a private presentation or demonstration (Part 3(3)(f)),"
        " incorporation into a production process (Part 3(3)(g)), use beyond the minimum the demonstration needs (Part"
        " 3(3)(h)), an export resulting from a sale, rental or lease (Part 3(3)(i)) or storage only for sale, rent or"
        " lease (Part 3(3)(j)); not if the exporter cannot keep the items under its control (Part 3(3)(k)). Declare"
        " EU004 in the customs declaration (Part 3(4)); notify the first use within 30 days after the first export"
        " (Part 3(5)).",
        "展示会・見本市（一定期間、複数の出展者が製品を実演する商業催事、第3部(6)）への一時輸出で、120日以内に完全かつ"
        "無改変で再輸入されるものに限る（第3部(1)。再輸入要件は当局が免除し得る、第3部(2)）。附属書IVの品目（第I節に"
        "より除外。本パックには未収録）には使えない。許可なく又は許可に違反して輸出された軍事品目の部分品・構成品に用い"
        "られることを輸出者が知っている場合（第3部(3)(b)・(a)(iii)）、自由地帯・自由倉庫への輸出（第3部(3)(c)）、"
        "CONFIDENTIEL UE/EU CONFIDENTIAL以上の秘密区分の品目（第3部(3)(d)）、原状での返還を保証できない場合又は展示に"
        "伴い技術が移転される場合（第3部(3)(e)）、非公開の展示・実演（第3部(3)(f)）、生産工程への組込み（第3部(3)(g)）、"
        "実演に必要な最小限を超える使用（第3部(3)(h)）、販売・賃貸・リースによる輸出（第3部(3)(i)）、販売・賃貸・リース"
        "のためだけの保管（第3部(3)(j)）、及び輸出者が品目を管理下に置けない場合（第3部(3)(k)）には使えない。税関申告で"
        "EU004の使用を申告し（第3部(4)）、初回使用を初回輸出後30日以内に届け出ること（第3部(5)）。",
    ),
    "EU005": (
        "Only 5A001.b.2, 5A001.c and 5A001.d items with their specially designed or developed components and"
        " accessories; 5B001 test, inspection and production equipment and 5D001 software for those items; 5E001.a"
        " technology required for their installation, operation, maintenance or repair, for the same end-user (Part"
        " 1). Not if the exporter is aware the items are for parts or components of military items exported without,"
        " or in breach of, an authorisation, or for human-rights violations through interception and monitoring (Part"
        " 3(1)(b), (a)(iii), (a)(iv)); not if aware they will be re-exported to a destination other than EU005's,"
        " EU001's or a Member State (Part 3(1)(c)); not to a customs-free zone or free warehouse (Part 3(1)(d))."
        " Declare EU005 in the customs declaration (Part 3(2)); notify the first use within 30 days after the first"
        " export (Part 3(3)).",
        "5A001.b.2・5A001.c・5A001.dの品目（専用に設計・開発された構成品・付属品を含む）、それらのための5B001の試験・"
        "検査・製造装置及び5D001のソフトウェア、並びにそれらの据付・運用・保守・修理に必要で同じ最終需要者向けの5E001.a"
        "の技術に限る（第1部）。許可なく又は許可に違反して輸出された軍事品目の部分品・構成品への使用、又は傍受・監視技術"
        "による人権侵害への使用を輸出者が知っている場合（第3部(1)(b)・(a)(iii)・(a)(iv)）、EU005・EU001の仕向地及び加盟国"
        "以外へ再輸出されることを知っている場合（第3部(1)(c)）、並びに自由地帯・自由倉庫への輸出（第3部(1)(d)）には使え"
        "ない。税関申告でEU005の使用を申告し（第3部(2)）、初回使用を初回輸出後30日以内に届け出ること（第3部(3)）。",
    ),
    "EU006": (
        "Not if the exporter is aware the items are for parts or components of military items exported without, or"
        " in breach of, an authorisation (Part 3(1)(b), (a)(iii)); not if aware they will be re-exported to a"
        " destination other than EU006's, EU001's or a Member State (Part 3(1)(c)); not to a customs-free zone or free"
        " warehouse (Part 3(1)(d)). Declare EU006 in the customs declaration (Part 3(2)); notify the first use within"
        " 30 days after the first export (Part 3(3)).",
        "許可なく又は許可に違反して輸出された軍事品目の部分品・構成品に用いられることを輸出者が知っている場合（第3部"
        "(1)(b)・(a)(iii)）、EU006・EU001の仕向地及び加盟国以外へ再輸出されることを知っている場合（第3部(1)(c)）、並びに"
        "自由地帯・自由倉庫への輸出（第3部(1)(d)）には使えない。税関申告でEU006の使用を申告し（第3部(2)）、初回使用を"
        "初回輸出後30日以内に届け出ること（第3部(3)）。",
    ),
    "EU007": (
        "Only from a legal person established in a Member State to its wholly owned and controlled subsidiary, or to a"
        " sister company wholly owned and controlled by the same parent (Part 3(1)), whose direct parent and ultimate"
        " controlling entity are resident or established in a Member State or an EU001 destination (Part 3(1)(a)); for"
        " a sister company, with the parent's binding guarantee (Part 3(1)(b)); used only for the group's commercial"
        " product development (Part 3(1)(c)), kept under the exporter's complete control and shared with no other"
        " entity (Part 3(1)(d)), returned and deleted when the development ends (Part 3(1)(e)). Not for software or"
        " technology related to items under 4A005, 4D004, 4E001.c, 5A001.f or 5A001.j (Part 1). Not for Annex IV items"
        " (excluded by Section I; not listed in this pack), nor for 0D001 or 0E001 as far as they relate to 0C001 or to"
        " 0C002 items outside Annex IV. Not if the exporter is aware of a paramilitary, police, intelligence,"
        " surveillance or other security end-use by or for a government, of a use for parts or components of military"
        " items exported without authorisation or for human-rights violations (Part 3(2)(b), (a)(ii)-(iv)), of a"
        " re-export to a destination other than EU001's or a Member State (Part 3(2)(c)), or that the consignee or"
        " end-user is a military, paramilitary, police, intelligence or other security service (Part 3(2)(d))."
        " Implement an Internal Compliance Programme (Part 3(3)); declare EU007 in the customs declaration when"
        " exporting in tangible form (Part 3(4)); register before the first use (Part 3(5)); notify the first use at"
        " least 30 days before the first export (Part 3(6)); report at least once a year (Part 3(7)).",
        "加盟国に設立された法人から、その完全所有・支配子会社又は同じ親会社が完全所有・支配する兄弟会社への輸出に限る"
        "（第3部(1)）。直接の親会社と最終支配者が加盟国又はEU001の仕向地に居住・設立されていること（第3部(1)(a)）、"
        "兄弟会社向けは親会社の拘束力ある保証があること（第3部(1)(b)）、グループの商用製品開発にのみ使われ（第3部"
        "(1)(c)）、輸出者の完全な管理下にあり他者と共有されず（第3部(1)(d)）、開発終了時に返還・削除されること（第3部"
        "(1)(e)）。4A005・4D004・4E001.c・5A001.f・5A001.jの品目に関するソフトウェア・技術には使えない（第1部）。"
        "附属書IVの品目（第I節により除外。本パックには未収録）並びに0C001又は附属書IV外の0C002に関する限りの0D001・"
        "0E001には使えない。政府による又は政府のための準軍事・警察・情報・監視その他の治安目的の用途、許可なく輸出された"
        "軍事品目の部分品・構成品への使用又は人権侵害への使用を輸出者が知っている場合（第3部(2)(b)・(a)(ii)-(iv)）、"
        "EU001の仕向地及び加盟国以外への再輸出を知っている場合（第3部(2)(c)）、並びに荷受人・最終需要者が軍・準軍事"
        "組織・警察・情報機関その他の治安機関（又はその代理）であることを知っている場合（第3部(2)(d)）には使えない。"
        "内部コンプライアンス・プログラムを実施し（第3部(3)）、有形の形で輸出するときは税関申告でEU007の使用を申告し"
        "（第3部(4)）、初回使用前に登録し（第3部(5)）、初回輸出の30日以上前に届け出て（第3部(6)）、少なくとも年1回"
        "報告すること（第3部(7)）。",
    ),
    "EU008": (
        "Of the listed parts: 5A002.b only cryptographic activation tokens that turn an item outside Category 5 Part 2"
        " into a 5A002.a or 5D002.c.1 item and are not released by the Cryptography Note; 5D002.a.1 only software for"
        " the use of 5A002.a equipment or 5D002.c.1 software; 5D002.b software with the characteristics of a 5A002.b"
        " token; 5D002.c.1 only software with the characteristics or functions of 5A002.a equipment; 5E002.b only"
        " technology with the characteristics of a 5A002.b token (Part 1(1)). The items use only published or"
        " commercial cryptographic standards of internationally recognised standard bodies (Part 1(2)(a)), none"
        " designed for government use such as TETRA, TETRAPOL or P25 (Part 1(2)(b)), and their cryptographic"
        " functionality cannot easily be changed by the user (Part 1(2)(c)). Not for items a Member State has"
        " accredited, approved or classified (or is doing so) at RESTREINT UE/EU RESTRICTED or above (Part 1(3)(a),"
        " 1(3)(b)); not to a destination under an arms embargo or Union restrictive measures on dual-use items (Part"
        " 2(c)). Not if the exporter is aware of a paramilitary, police, intelligence, surveillance or other security"
        " end-use by or for a government, of a use for parts or components of military items exported without"
        " authorisation or for human-rights violations (Part 3(1)(b), (a)(ii)-(iv)), of a re-export to a destination"
        " Part 2(b) or (c) excludes (Part 3(1)(c)), or that the consignee or end-user is a military, paramilitary,"
        " police, intelligence or other security service (Part 3(1)(e)); not to a customs-free zone or free warehouse"
        " (Part 3(1)(d)); not if the export is also controlled by an Annex I entry EU008 does not list (Part 3(1)(f))."
        " Declare EU008 in the customs declaration where one is required (Part 3(2)); register before the first use"
        " (Part 3(3)); notify the first use at least 10 days before the first export (Part 3(4)); on request, give the"
        " items' technical data (Part 3(5)) and a yearly report (Part 3(7)); the authority may bar the exporter from"
        " using it (Part 3(6)).",
        "対象部分のうち、5A002.bは第5類第2部に該当しない品目を暗号アクティベーションにより5A002.a又は5D002.c.1の品目に"
        "変え、暗号注で解除されない暗号アクティベーション・トークンに、5D002.a.1は5A002.aの装置又は5D002.c.1のソフト"
        "ウェアの使用のためのソフトウェアに、5D002.bは5A002.bのトークンの特性を持つソフトウェアに、5D002.c.1は5A002.aの"
        "装置の特性・機能を持つソフトウェアに、5E002.bは5A002.bのトークンの特性を持つ技術に限る（第1部(1)）。国際的に"
        "認められた標準化団体が承認・採択した公開又は商用の暗号標準のみを使い（第1部(2)(a)）、TETRA・TETRAPOL・P25など"
        "政府用の暗号標準を使わず（第1部(2)(b)）、暗号機能を利用者が容易に変更できないこと（第1部(2)(c)）。"
        "加盟国によりRESTREINT UE/EU RESTRICTED以上の秘密情報用に認定・承認され又は秘密区分を付された（その手続中を"
        "含む）品目（第1部(3)(a)・(3)(b)）、及び武器禁輸又は両用品目に関するEUの制限措置の対象国（第2部(c)）には使えない。政府による又は"
        "政府のための準軍事・警察・情報・監視その他の治安目的の用途、許可なく輸出された軍事品目の部分品・構成品への使用"
        "又は人権侵害への使用を輸出者が知っている場合（第3部(1)(b)・(a)(ii)-(iv)）、第2部(b)・(c)で除外された仕向地への"
        "再輸出を知っている場合（第3部(1)(c)）、荷受人・最終需要者が軍・準軍事組織・警察・情報機関その他の治安機関（又は"
        "その代理）であることを知っている場合（第3部(1)(e)）、自由地帯・自由倉庫への輸出（第3部(1)(d)）、及びEU008に掲げ"
        "られていない附属書Iの項目にも該当する輸出（第3部(1)(f)）には使えない。必要な場合は税関申告でEU008の使用を申告"
        "し（第3部(2)）、初回使用前に登録し（第3部(3)）、初回輸出の10日以上前に届け出て（第3部(4)）、求めに応じ技術"
        "データ（第3部(5)）と年次報告（第3部(7)）を提出すること。当局は使用を禁止し得る（第3部(6)）。",
    ),
}

# EU004 excludes Section D "(this does not include software necessary to the proper functioning of the equipment for
# the purpose of the demonstration)": that software is covered by a second item, on this condition.
DEMONSTRATION_SOFTWARE = (
    "Only software necessary to the proper functioning of equipment exported under EU004, for the demonstration (Part"
    " 1(b)); not 0D001 software as far as it relates to 0C001 or to 0C002 items outside Annex IV (Section I). ",
    "EU004で輸出する装置の実演のための正常な機能に必要なソフトウェアに限る（第1部(b)）。0C001又は附属書IV外の0C002に"
    "関する限りの0D001には使えない（第I節）。",
)

CITED = re.compile(r"\b(\d)\((\d+)\)((?:\([a-z]+\))*)")


def _table_id(ugea: str) -> str:
    return ugea.lower()


def destination_tables(annex_ii: AnnexII) -> dict[str, dict[str, Any]]:
    """Each authorisation's Part 2 as a country table; for EU008 ("all destinations, excluding …") the countries
    point (b) names, which its coverage reaches outside of."""
    tables: dict[str, dict[str, Any]] = {}
    for ugea, record in annex_ii.ugeas.items():
        where = f"Annex II Section {record['section']}"
        if record["destinations"] == "all":
            codes = record["excluded_destinations"]
            title = {
                "en": f"{ugea}: destinations excluded by Part 2(b) ({where})",
                "ja": f"{ugea}の除外仕向地（附属書II {record['section']}節 第2部(b)）",
            }
        else:
            codes = record["destinations"]
            title = {
                "en": f"{ugea}: destinations ({where}, Part 2)",
                "ja": f"{ugea}の仕向地（附属書II {record['section']}節 第2部）",
            }
        table = {"title": title, "members": {code: [{"source": ANNEX_II_SOURCE}] for code in codes}}
        CountryTable.model_validate(table)
        if not re.fullmatch(SLUG, _table_id(ugea)):
            raise ValueError(f"{ugea}: not a table id")
        tables[_table_id(ugea)] = table
    return tables


def _section_i(annex_ii: AnnexII) -> tuple[list[str], list[str]]:
    """Section I's entries and parts excluded whole (besides "all items specified in Annex IV", which no field can
    name: the conditions say it)."""
    entries: list[str] = []
    parts: list[str] = []
    partly: list[str] = []
    for item in annex_ii.section_i["items"]:
        code, text = item["code"], item["text"]
        (partly if "in so far as" in text else parts if "." in code else entries).append(code)
    if partly != SECTION_I_PARTLY:
        raise ValueError(f"Section I excludes {', '.join(partly)} in part; the conditions name {SECTION_I_PARTLY}")
    return entries, parts


def _split(codes: list[str]) -> tuple[list[str], list[str]]:
    """Entry codes and sub-paragraphs."""
    return [code for code in codes if "." not in code], [code for code in codes if "." in code]


def _cited(text: str) -> set[str]:
    return {f"Part {m[1]}({m[2]}){m[3]}" for m in CITED.finditer(text)}


def _check_conditions(ugea: str, record: dict[str, Any], english: str) -> None:
    """Every condition read from Part 1 and Part 3 is cited (itself or the paragraph holding it), but for the grounds
    of Part 3(N)(a) that `informed` decides; and (b) is the "aware" ground the end-use facts decide."""
    read = record["conditions"]
    wmd = [c["ref"] for c in read if WMD_GROUND in c["text"] and c["ref"].endswith("(a)(i)")]
    if len(wmd) != 1:
        raise ValueError(f"{ugea}: no single WMD ground in Part 3 (a)(i)")
    informed = wmd[0].removesuffix("(i)")
    aware = informed.removesuffix("(a)") + "(b)"
    if not any(c["ref"] == aware and c["text"] == AWARE_GROUND for c in read):
        raise ValueError(f"{ugea}: {aware} is not the 'aware' ground")
    cited = _cited(english)
    missing = [
        c["ref"]
        for c in read
        if not c["ref"].startswith(informed) and not any(c["ref"] == r or c["ref"].startswith(r + "(") for r in cited)
    ]
    if missing:
        raise ValueError(f"{ugea}: the condition cites none of {', '.join(missing)}")


def coverage_items(annex_ii: AnnexII, entries: dict[str, AnnexEntry]) -> list[dict[str, Any]]:
    """One coverage item per authorisation (two for EU004: its goods, and the software of its demonstrations)."""
    known_parts = {part for entry in entries.values() for part in entry.parts}
    section_entries, section_parts = _section_i(annex_ii)
    found: list[dict[str, Any]] = []
    for ugea, record in annex_ii.ugeas.items():
        english, japanese = CONDITIONS[ugea]
        _check_conditions(ugea, record, english)
        items, excluded = record["items"], record["items"].get("excluded", {})
        item: dict[str, Any] = {"licence": ugea}
        if items["scope"] == "listed":
            item["kinds"] = sorted({entries[code.split(".")[0]].kind for code in items["listed"]})
            listed_entries, listed_parts = _split(items["listed"])
            if listed_entries:
                item["entries"] = listed_entries
            if listed_parts:
                item["parts"] = listed_parts
        else:
            sections = excluded.get("annex_i_sections", [])
            if items["scope"] == "all-software-and-technology":
                item["kinds"] = ["technology"]
            elif sections == ["D", "E"]:
                item["kinds"] = ["goods"]  # Sections D (software) and E (technology) are the technology entries
            elif not sections:
                item["kinds"] = ["goods", "technology"]
            else:
                raise ValueError(f"{ugea}: excludes Annex I sections {sections}, which no kind stands for")
            item["rows"] = list(CATEGORIES)
        exclude_entries, exclude_parts = _split(excluded.get("items", []))
        if excluded.get("section_i"):
            exclude_entries, exclude_parts = section_entries + exclude_entries, section_parts + exclude_parts
            if "Annex IV" not in english:
                raise ValueError(f"{ugea}: excludes Section I but its condition does not name Annex IV")
        # EU007: "technology and software related to items under 4A005, 4D004, 4E001.c, 5A001.f and 5A001.j": the
        # software and technology entries named are excluded; what relates to the goods named is the condition's.
        related_entries, related_parts = _split(
            [code for code in excluded.get("related_to", []) if entries[code.split(".")[0]].kind == "technology"]
        )
        exclude_entries, exclude_parts = exclude_entries + related_entries, exclude_parts + related_parts
        if exclude_entries:
            item["exclude_entries"] = exclude_entries
        if exclude_parts:
            item["exclude_parts"] = exclude_parts
        if record["destinations"] == "all":
            outside = [_table_id(other) for other in record["excluded_destinations_of"]] + [_table_id(ugea)]
            item["destinations"] = {"outside_tables": outside}
        else:
            item["destinations"] = {"tables": [_table_id(ugea)]}
        item["condition"] = {"en": english, "ja": japanese}
        item["unusable_when"] = UNUSABLE_WHEN
        item["periods"] = [{"source": ANNEX_II_SOURCE}]
        found.append(item)
        if "section_d_except" in excluded:
            found.append(_demonstration_software(item, entries))
    for item in found:
        Coverage.model_validate(item)
        named = item.get("entries", []) + item.get("exclude_entries", [])
        unknown = [code for code in named if code not in entries]
        unknown += [part for part in item.get("parts", []) + item.get("exclude_parts", []) if part not in known_parts]
        if unknown:
            raise ValueError(f"{item['licence']}: not an entry or part of Annex I: {', '.join(unknown)}")
    return found


def _demonstration_software(goods: dict[str, Any], entries: dict[str, AnnexEntry]) -> dict[str, Any]:
    excluded = set(goods.get("exclude_entries", []))
    software = [code for code in entries if code[1] == "D" and code not in excluded]
    english, japanese = DEMONSTRATION_SOFTWARE
    item: dict[str, Any] = {"licence": goods["licence"], "kinds": ["technology"], "entries": software}
    excluded_parts = [part for part in goods.get("exclude_parts", []) if part.split(".")[0] in software]
    if excluded_parts:
        item["exclude_parts"] = excluded_parts
    item["destinations"] = goods["destinations"]
    item["condition"] = {"en": english + goods["condition"]["en"], "ja": japanese + goods["condition"]["ja"]}
    item["unusable_when"] = goods["unusable_when"]
    item["periods"] = goods["periods"]
    return item


def destinations_file(annex_ii: AnnexII, corpus: str) -> str:
    header = comments(
        f"DRAFT for issue 12, written by tools/eu_pack/build_annex.py from Annex II of Regulation (EU) 2021/821"
        f" ({corpus}): the country tables of the Union general export authorisations, to merge into the pack's"
        " destinations.yaml (`tables`).",
        "eu001 … eu007: the destinations of each authorisation's Part 2 (ISO 3166-1 alpha-2; ugeas.yaml shows the name"
        " each code comes from). 'French overseas territories' (EU003, EU004) is read as France's overseas countries"
        " and territories (Annex II TFEU: BL NC PF PM TF WF), an interpretation.",
        "eu008: the destinations EU008's Part 2(b) excludes; it covers every destination outside eu001 (point (a)) and"
        " eu008; point (c), destinations under an arms embargo or Union restrictive measures, is its condition.",
        "The text still names Russia (EU003, EU004, EU005): Council Regulation (EU) No 833/2014 (Art. 2) prohibits"
        " exports of Annex I items to Russia, a measure for the pack's embargoes, not for these tables.",
    )
    return header + dump({"tables": destination_tables(annex_ii)})


def coverage_file(annex_ii: AnnexII, entries: dict[str, AnnexEntry], corpus: str) -> str:
    header = comments(
        f"DRAFT for issue 12, written by tools/eu_pack/build_annex.py from Annex II of Regulation (EU) 2021/821"
        f" ({corpus}): what each Union general export authorisation covers, to merge into the pack's licences.yaml"
        " (`coverage`); the licence ids are issue 12's (EU001 … EU008), the tables those of ugea-destinations.yaml.",
        "kinds, rows, entries and parts: Part 1. exclude_entries and exclude_parts: Section I's items (but 'all items"
        " specified in Annex IV', whose text the source does not hold: the condition says so) and Part 1's exclusions."
        " EU004 has two items: its goods, and the Section D software its Part 1(b) keeps for the demonstration.",
        "unusable_when: Part 3's 'informed' grounds (a) are the fact informed; its 'aware' ground (b) is wmd_end_use"
        " and conventional_end_use for the WMD and military uses of (a). Conservatively, a known military end-use makes"
        " EU001–EU006 unusable although their (a)(ii) needs the purchasing or destination country to be under an arms"
        " embargo: the transaction facts do not say which country is.",
        "condition: the rest of Part 1 and Part 3 (and EU008's Part 2(c)) in short, each with its Part and point.",
    )
    return header + dump({"coverage": coverage_items(annex_ii, entries)})
