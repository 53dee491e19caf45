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


def ascii_form(text: str) -> str:
    """Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew … → ASCII (anyascii's per-character tables)."""
    return anyascii(unicodedata.normalize("NFKC", text))


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
