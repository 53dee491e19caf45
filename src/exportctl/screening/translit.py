"""Romanisation of non-Latin scripts into comparable Latin tokens.

Each function returns one or more *variants*, because the lists themselves are inconsistent: a Korean name
may appear in Revised Romanization (Gim Jeong-eun) or McCune–Reischauer (Kim Chŏng-ŭn); a Japanese katakana
rendering of a foreign name carries epenthetic vowels (キム → kimu) that the Latin original lacks; Han
characters are read as Mandarin pinyin, and also in Japanese when the list writes a Chinese name in
Japanese shinjitai. The scorer compares every variant and keeps the best.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from anyascii import anyascii

# --- script detection -------------------------------------------------------------------------------------

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def scripts(text: str) -> frozenset[str]:
    found = set()
    if HANGUL.search(text):
        found.add("hangul")
    if KANA.search(text):
        found.add("kana")
    if HAN.search(text):
        found.add("han")
    if ARABIC.search(text):
        found.add("arabic")
    if CYRILLIC.search(text):
        found.add("cyrillic")
    return frozenset(found)


# --- Hangul: Revised Romanization and McCune–Reischauer ---------------------------------------------------

_INITIALS_RR = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_INITIALS_MR = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"]
_MEDIALS_RR = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
_MEDIALS_MR = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i",
]  # fmt: skip
_FINALS_RR = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip

# Surnames are romanised by custom, not by rule: 김 is Kim, 이 Lee/Yi/Ri, 박 Park/Pak.
SURNAMES = {
    "김": "kim", "이": "lee", "리": "ri", "박": "park", "최": "choi", "정": "jung", "강": "kang", "조": "cho",
    "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh", "서": "seo", "신": "shin", "권": "kwon",
    "황": "hwang", "안": "ahn", "송": "song", "류": "ryu", "전": "jeon", "홍": "hong", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "노": "noh", "하": "ha", "곽": "kwak",
    "성": "sung", "차": "cha", "주": "joo", "우": "woo", "구": "koo", "민": "min", "유": "yoo", "나": "na",
    "진": "jin", "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang", "공": "kong",
    "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo", "도": "do", "소": "so",
    "석": "seok", "선": "sun", "설": "seol", "마": "ma", "길": "gil", "연": "yeon", "위": "wi", "표": "pyo",
}  # fmt: skip


def _hangul_syllable(char: str, initials: list[str], medials: list[str], finals: list[str]) -> str:
    """Decompose a precomposed syllable (U+AC00 + (initial×21 + medial)×28 + final) and romanise its jamo."""
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(char).lower()
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    return initials[initial] + medials[medial] + finals[final]


def _romanise_hangul(word: str, initials: list[str], medials: list[str]) -> str:
    return "".join(_hangul_syllable(ch, initials, medials, _FINALS_RR) for ch in word)


def hangul_variants(word: str, person: bool) -> dict[str, str]:
    """One Hangul word in Revised Romanization, McCune–Reischauer (without diacritics), the mixed form North
    Korean names take in the lists (RR consonants, MR vowels: Kim Jong Un), and the customary surname."""
    variants = {
        "rr": _romanise_hangul(word, _INITIALS_RR, _MEDIALS_RR),
        "mr": _romanise_hangul(word, _INITIALS_MR, _MEDIALS_MR),
        "mixed": _romanise_hangul(word, _INITIALS_RR, _MEDIALS_MR),
    }
    variants["custom"] = variants["mixed"]
    if person and len(word) >= 2 and word[0] in SURNAMES:
        variants["custom"] = f"{SURNAMES[word[0]]} {_romanise_hangul(word[1:], _INITIALS_RR, _MEDIALS_MR)}"
    return variants


# --- Hanja: the Korean reading of a Korean name written in Han characters ---------------------------------

# North Korea's official romanisation (1992), as the lists write it: McCune–Reischauer without breves, but ㅈ j
# (Kim Jong Un, Jang Song Thaek) and aspirates written without their h.
_INITIALS_DPRK = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
# 金 is read 금 (geum, "gold") but is the surname 김 (Kim): the table holds one reading per character.
_SURNAME_READINGS = {"金": "김"}
_RIEUL, _NIEUN, _IEUNG = 5, 2, 11
_I_OR_Y = frozenset({2, 3, 6, 7, 12, 17, 20})  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ


def initial_sound_law(syllable: str) -> str:
    """South Korea's 두음법칙 at the start of a word: 리 → 이, 류 → 유, 로 → 노, 녀 → 여 (North Korea writes
    the dictionary form: Ri, Ryu, Ro)."""
    initial, rest = divmod(ord(syllable) - 0xAC00, 588)
    medial = rest // 28
    if initial == _RIEUL:
        initial = _IEUNG if medial in _I_OR_Y else _NIEUN
    elif initial == _NIEUN and medial in _I_OR_Y:
        initial = _IEUNG
    else:
        return syllable
    return chr(0xAC00 + initial * 588 + rest)


def korean_surname_reading(han: str) -> str | None:
    """The Hangul surname a Korean name written in Han characters starts with (its dictionary form), or None
    when the first character is not read as a common Korean surname: the name is then not taken for Korean."""
    from exportctl.screening.name_tables import hanja_readings

    reading = _SURNAME_READINGS.get(han[:1]) or hanja_readings().get(han[:1])
    if reading is None or not (reading in SURNAMES or initial_sound_law(reading) in SURNAMES):
        return None
    return reading


def hanja_to_hangul(word: str, surname: str | None) -> list[str]:
    """A word of Han characters read in Korean, a syllable each: the dictionary form and, when it differs, the
    form with the initial-sound law (the North's 리춘성 and the South's 이춘성). `surname`: the reading of
    the word's first character when it starts the name. Empty when a character has no reading."""
    from exportctl.screening.name_tables import hanja_readings

    table = hanja_readings()
    syllables = [table.get(ch) for ch in word]
    if surname is not None:
        syllables[0] = surname
    if not syllables or any(s is None for s in syllables):
        return []
    read = "".join(s for s in syllables if s is not None)
    southern = initial_sound_law(read[0]) + read[1:]
    return list(dict.fromkeys([read, southern]))


def korean_romanisations(hangul: str, surname: bool) -> dict[str, str]:
    """A Korean name's Hangul reading (from `hanja_to_hangul`) romanised a syllable at a time, the way the
    lists write Korean names: North Korea's system (the dictionary form: Ri Won Ho, Kim Tong Chol),
    McCune–Reischauer and Revised Romanization (with the initial-sound law and, for the surname, the
    customary spelling: Lee, Park, Choi)."""
    southern = initial_sound_law(hangul[0]) + hangul[1:]

    def syllables(text: str, initials: list[str], medials: list[str]) -> list[str]:
        return [_hangul_syllable(ch, initials, medials, _FINALS_RR) for ch in text]

    rr = syllables(southern, _INITIALS_RR, _MEDIALS_RR)
    if surname and southern[0] in SURNAMES:
        rr[0] = SURNAMES[southern[0]]
    return {
        "ko-dprk": " ".join(syllables(hangul, _INITIALS_DPRK, _MEDIALS_MR)),
        "ko-mr": " ".join(syllables(southern, _INITIALS_MR, _MEDIALS_MR)),
        "ko-rr": " ".join(rr),
    }


# --- Japanese: Hepburn, and a "loan-word" form without epenthetic vowels --------------------------------


@cache
def _kakasi() -> Any:
    # Built on first use (its dictionaries take about a second to load): a Latin query never needs it.
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


@cache
def hepburn(word: str) -> str:
    return "".join(part["hepburn"] for part in _kakasi().convert(word)).replace("'", "")


_EPENTHETIC = [
    (re.compile(r"([bcdfghjklmnprstvwz])\1"), r"\1"),  # geminates: hanbitto → hanbito
    (re.compile(r"(?<=[bdfgkmprsz])u\b"), ""),  # final -u after a consonant: kimu → kim
    (re.compile(r"(?<=[td])o\b"), ""),  # final -o after t/d: hanbito → hanbit
    (re.compile(r"ou"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"ii"), "i"),
    (re.compile(r"ee"), "e"),
]


def loanword_form(romaji: str) -> str:
    """Katakana renderings of foreign names add vowels (キム → kimu); strip them to meet the original."""
    text = romaji
    for pattern, replacement in _EPENTHETIC:
        text = pattern.sub(replacement, text)
    return text


def kana_variants(word: str) -> list[str]:
    romaji = hepburn(word)
    return list(dict.fromkeys([romaji, loanword_form(romaji)]))


# --- Han: Mandarin pinyin and the Japanese reading -----------------------------------------------------------


@cache
def pinyin(word: str) -> str:
    """Pinyin syllables separated by spaces (lists write them joined or apart: the scorer handles both)."""
    from pypinyin import Style, lazy_pinyin  # on first use: its dictionaries take most of a second to import

    return " ".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


# --- everything else: one ASCII rendering -------------------------------------------------------------------


# Scripts whose letters anyascii renders one by one in a way the Latin form of a name does not have: the vowel
# Thai writes before its consonant (โบ is "bo", not "ob"), Greek digraphs for sounds its alphabet lacks (μπ b,
# ντ d, γκ g, τζ j, ου u), Hebrew's vav and yod used as vowels (ו u, י i), the nukta letters of Devanagari for
# Persian and Arabic sounds (फ़ f, ज़ z, ख़ kh). Applied before anyascii.
_THAI_LEADING_VOWEL = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")
_HEBREW_INITIAL_YOD = re.compile(r"(?<![\u05d0-\u05ea])\u05d9(?=[\u05d0-\u05ea])")
_SCRIPT_SPELLINGS = [
    ("ου", "u"), ("Ου", "U"), ("ΟΥ", "U"), ("μπ", "b"), ("Μπ", "B"), ("ΜΠ", "B"), ("ντ", "d"), ("Ντ", "D"),
    ("ΝΤ", "D"), ("γκ", "g"), ("Γκ", "G"), ("ΓΚ", "G"), ("τζ", "j"), ("Τζ", "J"), ("ΤΖ", "J"), ("γι", "y"),
    ("וו", "v"), ("ו", "u"), ("יי", "y"), ("י", "i"),
    ("\u092b\u093c", "f"), ("\u091c\u093c", "z"), ("\u0916\u093c", "kh"), ("\u0917\u093c", "gh"),
    ("\u0915\u093c", "q"),
]  # fmt: skip
OTHER_SCRIPTS = re.compile(
    r"[\u0370-\u03ff\u0530-\u058f\u0590-\u05ff\u0900-\u097f\u0980-\u09ff\u0e00-\u0e7f\u10a0-\u10ff\u1780-\u17ff]"
)  # Greek, Armenian, Hebrew, Devanagari, Bengali, Thai, Georgian, Khmer: vowels written loosely, or not at all


def ascii_form(text: str) -> str:
    """Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew … → ASCII (anyascii's per-character tables)."""
    text = unicodedata.normalize("NFKC", text)
    if OTHER_SCRIPTS.search(text):
        text = _THAI_LEADING_VOWEL.sub(r"\2\1", text)
        text = _HEBREW_INITIAL_YOD.sub("y", text)  # a consonant at the start of a word: יון is "yon"
        for written, spoken in _SCRIPT_SPELLINGS:
            text = text.replace(written, spoken)
    return anyascii(text)


# Sounds the scripts render differently, folded together: Arabic ظ/ذ may be z or dh, ق is q or k; Japanese
# has no l (ル ru) and writes v as b or f (Kalashnikov → カラシニコフ karashinikofu), kh as h.
_SKELETON_FOLDS = [("kh", "h"), ("dh", "z"), ("th", "s"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("l", "r"), ("v", "f")]


def consonant_skeleton(text: str) -> str:
    """Consonants only, folded and without repeats. Arabic script writes no short vowels, and katakana adds
    vowels a foreign name does not have (エリミラ erimira for Elmira): their skeletons still agree."""
    letters = re.sub(r"[^a-z]", "", text.lower())
    for written, folded in _SKELETON_FOLDS:
        letters = letters.replace(written, folded)
    skeleton = re.sub(r"[aeiouyw]", "", letters)
    return re.sub(r"(.)\1+", r"\1", skeleton)
