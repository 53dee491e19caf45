"""Organisation names in another language's words: the common words of company and institution names in
Japanese, Chinese, Korean and Russian, in English, so that a translated name can meet its original and not
only its romanisation ("平壌ゴム工場" is listed beside "Pyongyang Rubber Factory", "Votkinskiy Zavod" beside
"Votkinsk Plant").

The table is of words, not of names: what organisations are (university, institute, plant, bank), what they
do (trading, machinery, chemicals) and the places every such list names (Korea, China). The proper part of a
name (蓮河, アルマズ) is romanised as before: in pinyin, in Japanese and, for Korean organisations, in
Korean. English synonyms the two sides may choose between are folded to one word (factory → plant).
"""

from __future__ import annotations

import re

from exportctl.screening import translit

# Han (Japanese and both Chinese forms), kana and Hangul words → English tokens.
NATIVE_WORDS = {
    # kinds of organisation
    "大学": "university", "大學": "university", "大学校": "university", "学院": "institute", "學院": "institute",
    "研究所": "institute", "研究院": "research institute", "研究中心": "research center", "研究": "research",
    "センター": "center", "中心": "center", "工場": "plant", "工厂": "plant", "工廠": "plant", "製作所": "works",
    "造船所": "shipyard", "造船厂": "shipyard", "設計局": "design bureau", "设计局": "design bureau", "局": "bureau",
    "銀行": "bank", "银行": "bank", "集団": "group", "集团": "group", "團體": "association", "団体": "association",
    "協会": "association", "协会": "association", "連合": "union", "联合": "union", "公社": "corporation",
    "総公司": "general corporation", "总公司": "general corporation", "会社": "company", "公司": "company",
    "商社": "trading company", "商事": "trading", "委員会": "committee", "委员会": "committee", "省": "ministry",
    "部": "department", "庁": "agency", "基金": "fund", "病院": "hospital", "医院": "hospital",
    "科学院": "academy of sciences", "アカデミー": "academy",
    # what they do and make
    "貿易": "trading", "贸易": "trading", "機械": "machinery", "机械": "machinery", "製造": "manufacturing",
    "制造": "manufacturing", "機器": "equipment", "设备": "equipment", "設備": "equipment", "化学": "chemical",
    "化學": "chemical", "技術": "technology", "技术": "technology", "科技": "technology", "科学": "science",
    "科學": "science", "工業": "industrial", "工业": "industrial", "産業": "industries", "产业": "industries",
    "電子": "electronics", "电子": "electronics", "航空": "aviation", "宇宙": "space", "航天": "aerospace",
    "造船": "shipbuilding", "設計": "design", "设计": "design", "開発": "development", "开发": "development",
    "国際": "international", "国际": "international", "國際": "international", "総合": "general",
    "综合": "general", "物流": "logistics", "石油": "petroleum", "鉱業": "mining", "矿业": "mining",
    "鉱山": "mine", "光学": "optics", "精密": "precision", "物理": "physics", "兵器": "weapons", "武器": "weapons",
    "原子力": "atomic energy", "核": "nuclear", "燃料": "fuel", "生産": "production", "生产": "production",
    "合営": "joint venture", "合营": "joint venture", "合弁": "joint venture", "海運": "shipping",
    "海运": "shipping", "船舶": "ship", "修理": "repair", "航空機": "aircraft", "飛行機": "aircraft",
    "中央": "central", "海洋": "marine", "海軍": "navy", "軍事": "military", "军事": "military",
    "電力": "power", "电力": "power", "エネルギー": "energy", "能源": "energy", "通信": "communications",
    "半導体": "semiconductor", "半导体": "semiconductor", "材料": "materials", "金属": "metal",
    "鉄鋼": "steel", "钢铁": "steel", "建設": "construction", "建设": "construction", "投資": "investment",
    "投资": "investment", "金融": "finance", "保険": "insurance", "ゴム": "rubber", "橡胶": "rubber",
    "重工業": "heavy industries", "重工业": "heavy industries", "工程": "engineering",
    "理工大学": "university of technology", "理工大學": "university of technology",
    "航空航天": "aeronautics and astronautics",
    "第": "",  # the ordinal prefix: 第150 is "150"
    # places every list names
    "朝鮮": "korea", "朝鲜": "korea", "中国": "china", "中國": "china", "日本": "japan", "ロシア": "russia",
    "俄罗斯": "russia", "イラン": "iran", "伊朗": "iran", "共和国": "republic", "人民": "people",
    # Korean
    "조선": "korea",  # in the lists' names, North Korea's name for itself (as a word it also means shipbuilding)
    "무역": "trading", "회사": "company", "총회사": "general corporation", "공사": "corporation",
    "은행": "bank", "대학": "university", "대학교": "university", "연구소": "institute",
    "연구원": "research institute", "공장": "plant", "기계": "machinery", "화학": "chemical",
    "합영": "joint venture", "기술": "technology", "개발": "development", "상사": "trading company",
    "그룹": "group", "센터": "center", "련합": "union", "연합": "union", "무역회사": "trading company",
}  # fmt: skip

# Russian words as they are romanised (from Cyrillic or in the lists' Latin), → English.
LATIN_WORDS = {
    "zavod": "plant", "universitet": "university", "institut": "institute", "tsentr": "center",
    "obyedinenie": "association", "obedinenie": "association", "obyedineniye": "association",
    "obedinenije": "association", "kombinat": "combine", "korporatsiya": "corporation",
    "korporatsiia": "corporation", "kompaniya": "company", "kompaniia": "company", "bank": "bank",
    "nauchno": "scientific", "proizvodstvennoe": "production", "proizvodstvennoye": "production",
    "mashinostroitelnyi": "machine building", "mashinostroitelny": "machine building",
    "mashinostroitelnyy": "machine building", "aviatsionnyi": "aviation", "aviatsionnyy": "aviation",
    "konstruktorskoe": "design", "konstruktorskoye": "design", "byuro": "bureau", "biuro": "bureau",
}  # fmt: skip

# English words that translations of one native word choose between.
SYNONYMS = {"factory": "plant", "centre": "center", "works": "plant"}

_LONGEST = max(map(len, NATIVE_WORDS))
_SCRIPTED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]")


def _segments(text: str) -> list[tuple[bool, str]]:
    """(is a table word, English or the untranslated run) from the longest table word at each position."""
    found: list[tuple[bool, str]] = []
    rest: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(_LONGEST, len(text) - i), 0, -1):
            english = NATIVE_WORDS.get(text[i : i + size])
            if english is not None:
                if rest:
                    found.append((False, "".join(rest)))
                    rest = []
                found.append((True, english))
                i += size
                break
        else:
            rest.append(text[i])
            i += 1
    if rest:
        found.append((False, "".join(rest)))
    return found


def _script_runs(text: str) -> list[str]:
    """A run split where its script changes (kanji, kana, Hangul, the rest)."""

    def script(ch: str) -> str:
        if translit.HANGUL.match(ch):
            return "hangul"
        if translit.KANA.match(ch):
            return "kana"
        return "han" if translit.HAN.match(ch) else "other"

    runs: list[str] = []
    for ch in text:
        if runs and script(runs[-1][-1]) == script(ch):
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def _romanised(run: str, reading: str) -> str:
    if translit.HANGUL.match(run[0]):
        return translit.hangul_variants(run, person=False)["mixed"]
    if translit.KANA.match(run[0]):
        return translit.loanword_form(translit.hepburn(run))
    if translit.HAN.match(run[0]):
        if reading == "korean":
            syllables = translit.hanja_to_hangul(run, None)
            # A Korean organisation's proper name, read a syllable at a time and written as one word (Ryonha).
            return "".join(translit.korean_romanisations(syllables[0], False)["ko-dprk"].split()) if syllables else ""
        return translit.pinyin(run) if reading == "pinyin" else translit.hepburn(run)
    return translit.ascii_form(run)


def translations(text: str) -> list[tuple[str, str]]:
    """(variant, Latin text) of a company name with its organisation words in English: one per reading of the
    rest (pinyin, Japanese, Korean) for a name in Han, kana or Hangul; one for a Latin or Cyrillic name with
    Russian words. Empty when the name has no table word."""
    if _SCRIPTED.search(text):
        segments = _segments(text)
        if not any(is_word for is_word, _ in segments):
            return []
        readings = ("korean",) if not translit.HAN.search(text) else ("pinyin", "japanese", "korean")
        return [
            (
                f"translated-{reading}",
                " ".join(
                    piece if is_word else " ".join(_romanised(run, reading) for run in _script_runs(piece))
                    for is_word, piece in segments
                ),
            )
            for reading in readings
        ]
    words = re.findall(r"[a-z0-9]+", translit.ascii_form(text).lower())
    translated = [LATIN_WORDS.get(word, word) for word in words]
    return [("translated", " ".join(translated))] if translated != words else []


def fold_synonyms(tokens: list[str]) -> list[str]:
    return [SYNONYMS.get(token, token) for token in tokens]
