"""Names → comparable forms: normalised, romanised, legal forms set aside, tokens weighted.

`normalise` is the exact-match key (NFKC, case, width, punctuation). `forms` is what the scorer and the
index work on: for every romanisation variant of a name, its Latin tokens without the legal form, the
legal-form class found (a weak feature only), and the token weights (stopwords and generic company words
count for less, so "CORP" or "TRADING" cannot carry a match on their own).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from exportctl.countries import country_code
from exportctl.screening import translit

_DROP = {"P", "S"}  # Unicode punctuation and symbol categories


def normalise(name: str) -> str:
    """NFKC (folds full-width forms), casefold, punctuation dropped, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in _DROP else ch for ch in folded)
    return " ".join(kept.split())


# --- legal forms ----------------------------------------------------------------------------------------------

# Written forms (after normalisation to lower-case ASCII tokens) → a canonical class. A class, not the
# form, is compared: "Co., Ltd.", "Company Limited" and "Ltd" are the same kind of company.
LATIN_LEGAL_FORMS: dict[str, str] = {
    "co ltd": "ltd", "company limited": "ltd", "co limited": "ltd", "company ltd": "ltd", "limited": "ltd",
    "ltd": "ltd", "pvt": "ltd", "private": "ltd", "pte ltd": "ltd", "pvt ltd": "ltd", "private limited": "ltd",
    "private ltd": "ltd",
    "sdn bhd": "ltd", "bhd": "ltd", "plc": "plc", "public limited company": "plc",
    "llc": "llc", "l l c": "llc", "limited liability company": "llc", "gmbh": "llc", "ooo": "llc", "sp z o o": "llc",
    "obshchestvo s ogranichennoy otvetstvennostyu": "llc", "doo": "llc", "d o o": "llc", "srl": "llc", "sarl": "llc",
    "inc": "corp", "incorporated": "corp", "corp": "corp", "corporation": "corp", "co": "corp", "company": "corp",
    "public joint stock co": "jsc", "joint stock co": "jsc", "public joint stock": "jsc", "joint stock": "jsc",
    "closed joint stock": "jsc", "open joint stock": "jsc", "tov": "llc", "too": "llc",
    "jsc": "jsc", "ojsc": "jsc", "pjsc": "jsc", "cjsc": "jsc", "zao": "jsc", "oao": "jsc", "pao": "jsc", "ao": "jsc",
    "joint stock company": "jsc", "public joint stock company": "jsc", "closed joint stock company": "jsc",
    "open joint stock company": "jsc", "aktsionernoe obshchestvo": "jsc", "ag": "jsc", "sa": "jsc", "s a": "jsc",
    "nv": "jsc", "spa": "jsc", "s p a": "jsc", "as": "jsc", "ab": "jsc", "oy": "jsc", "bv": "llc", "kft": "llc",
    "kk": "kk", "k k": "kk", "kabushiki kaisha": "kk", "kabushikigaisha": "kk", "kabushiki gaisha": "kk",
    "kabushikikaisha": "kk", "yugen kaisha": "llc", "yugengaisha": "llc", "godo kaisha": "llc", "gk": "llc",
    "jusikhoesa": "kk", "jusik hoesa": "kk", "chusik hoesa": "kk", "youxian gongsi": "ltd",
    "gufen youxian gongsi": "jsc", "llp": "llp", "lp": "lp", "fze": "fz", "fzc": "fz", "fzco": "fz",
    "fz llc": "fz", "fz co": "fz", "tbk": "jsc", "pt": "jsc", "jv": "jv",
}  # fmt: skip
_MAX_FORM_TOKENS = max(len(form.split()) for form in LATIN_LEGAL_FORMS)
# Forms written as a prefix ("OOO Romashka", "PT Bank X", "AO Vympel") as well as a suffix.
_PREFIX_FORMS = {"ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc", "pjsc", "cjsc", "pt", "kk", "llc", "tov", "too"}
# Words of legal forms, for recognising a form written with a typo ("Xompany", "Joiint Stock").
_ALL_LEGAL_WORDS = frozenset(word for form in LATIN_LEGAL_FORMS for word in form.split())
_LEGAL_WORDS = sorted(word for word in _ALL_LEGAL_WORDS if len(word) >= 5)

# CJK legal forms are written without spaces, before or after the name: strip them before romanising.
CJK_LEGAL_FORMS: dict[str, str] = {
    "股份有限公司": "jsc", "有限责任公司": "llc", "有限責任公司": "llc", "有限公司": "ltd", "株式会社": "kk",
    "(株)": "kk", "有限会社": "llc", "合同会社": "llc", "주식회사": "kk", "(주)": "kk", "유한회사": "llc",
    "유한책임회사": "llc", "集团公司": "group", "集團公司": "group", "公司": "corp",
}  # fmt: skip
_CJK_FORMS_BY_LENGTH = sorted(CJK_LEGAL_FORMS, key=len, reverse=True)

STOPWORDS = frozenset({"the", "of", "and", "for", "de", "la", "el", "du", "des", "der", "und", "a", "an", "on", "in"})
# Generic words in company names: they take part in a match but cannot make one.
GENERIC_WORDS = frozenset(
    {
        "trading", "trade", "international", "intl", "group", "holding", "holdings", "industries", "industry",
        "industrial", "technology", "technologies", "tech", "engineering", "enterprise", "enterprises",
        "import", "export", "development", "services", "service", "general", "global", "investment",
        "investments", "manufacturing", "products", "systems", "solutions", "center", "centre", "office",
        "branch", "organization", "organisation", "institute", "research", "science", "sciences",
    }
)  # fmt: skip
ABBREVIATIONS = {
    "intl": "international", "int'l": "international", "corp": "corporation", "mfg": "manufacturing",
    "tech": "technology", "univ": "university", "inst": "institute", "dept": "department", "natl": "national",
    "assn": "association", "bros": "brothers", "ind": "industries", "eng": "engineering", "sci": "science",
}  # fmt: skip

TOKEN_WEIGHT = 1.0
GENERIC_WEIGHT = 0.45
STOPWORD_WEIGHT = 0.15


@dataclass(frozen=True, slots=True)
class NameForm:
    """One romanisation of a name: its tokens, their weights, and the legal-form class set aside."""

    variant: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    legal: str | None
    joined: str
    skeleton: str | None = None  # consonant skeleton, for names written in Arabic script or katakana


def token_weight(token: str, person: bool = False) -> float:
    # Legal-form words in a person's name ("… Co., Ltd." typed after a name) are noise, but are not
    # removed: "As" and "Ag" are also parts of names (Iyad Ag Ghali).
    if token in STOPWORDS or (person and token in _ALL_LEGAL_WORDS):
        return STOPWORD_WEIGHT
    if token in GENERIC_WORDS:
        return GENERIC_WEIGHT
    return TOKEN_WEIGHT


def _strip_cjk_legal_form(text: str) -> tuple[str, str | None]:
    for form in _CJK_FORMS_BY_LENGTH:
        if text.startswith(form) and len(text) > len(form):
            return text[len(form) :].strip(), CJK_LEGAL_FORMS[form]
        if text.endswith(form) and len(text) > len(form):
            return text[: -len(form)].strip(), CJK_LEGAL_FORMS[form]
    return text, None


def _latin_tokens(text: str) -> list[str]:
    text = text.lower().replace("&", " and ").replace("'", "").replace("`", "")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def _legal_word(token: str) -> str:
    """The legal-form word a token is, allowing one typo in words of five letters or more."""
    if len(token) < 5 or token in LATIN_LEGAL_FORMS:
        return token
    for word in _LEGAL_WORDS:
        if abs(len(word) - len(token)) <= 1 and OSA.distance(word, token, score_cutoff=1) <= 1:
            return word
    return token


def _strip_once(tokens: list[str]) -> tuple[list[str], str | None]:
    window = [_legal_word(t) for t in tokens[:_MAX_FORM_TOKENS]], [_legal_word(t) for t in tokens[-_MAX_FORM_TOKENS:]]
    head, tail = window
    for size in range(min(_MAX_FORM_TOKENS, len(tokens) - 1), 0, -1):
        form = " ".join(tail[-size:])
        if form in LATIN_LEGAL_FORMS:
            return tokens[:-size], LATIN_LEGAL_FORMS[form]
    for size in range(min(_MAX_FORM_TOKENS, len(tokens) - 1), 0, -1):
        form = " ".join(head[:size])
        if form in LATIN_LEGAL_FORMS and (size > 1 or form in _PREFIX_FORMS):
            return tokens[size:], LATIN_LEGAL_FORMS[form]
    return tokens, None


def _strip_inner(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Multi-word legal forms inside a name ("… Co., Ltd. Suzhou Branch") are removed too."""
    found: list[str] = []
    for size in range(_MAX_FORM_TOKENS, 1, -1):
        i = 1
        while i + size < len(tokens):
            form = " ".join(tokens[i : i + size])
            if form in LATIN_LEGAL_FORMS:
                found.append(LATIN_LEGAL_FORMS[form])
                tokens = tokens[:i] + tokens[i + size :]
            else:
                i += 1
    return tokens, found


def split_legal_form(tokens: list[str]) -> tuple[list[str], str | None]:
    """Remove legal forms at the end (and, for forms used that way, at the start) of a token list; names
    often stack them ("KUNLUN HOLDING COMPANY Company Limited", "UTAIR AVIATION JSC, Ltd"). The most
    specific class found is kept."""
    found: list[str] = []
    # Edges first, so that a form at the start or end is removed whole ("Open Joint Stock Company …"),
    # then forms inside the name, then the edges those may have exposed.
    for inner in (False, True):
        if inner:
            tokens, inside = _strip_inner(tokens)
            found.extend(inside)
        while True:
            tokens, form = _strip_once(tokens)
            if form is None:
                break
            found.append(form)
    specific = [form for form in found if form != "corp"]
    return tokens, (specific[0] if specific else (found[0] if found else None))


def _romanisations(text: str, person: bool) -> list[tuple[str, str]]:
    """(variant name, Latin text) pairs for a cleaned name, one per romanisation scheme that applies."""
    found = translit.scripts(text)
    if not found & {"hangul", "kana", "han"}:
        return [("ascii", translit.ascii_form(text))]
    words = re.split(r"[\s・·･,/]+", text)
    schemes: dict[str, list[str]] = {"default": []}
    if "hangul" in found:
        schemes = {"rr": [], "mr": [], "mixed": [], "custom": []}
    elif "han" in found and "kana" not in found:
        schemes = {"pinyin": [], "hepburn": []}
    else:
        schemes = {"hepburn": [], "loanword": []}
    for word in words:
        if not word:
            continue
        if translit.HANGUL.search(word):
            options = translit.hangul_variants(word, person)
        elif translit.KANA.search(word):
            kana = translit.kana_variants(word)
            options = {"hepburn": kana[0], "loanword": kana[-1], "pinyin": kana[0]}
        elif translit.HAN.search(word):
            options = {"pinyin": translit.pinyin(word), "hepburn": translit.hepburn(word)}
            options["loanword"] = options["hepburn"]
        else:
            latin = translit.ascii_form(word)
            options = dict.fromkeys(("rr", "mr", "mixed", "custom", "pinyin", "hepburn", "loanword"), latin)
        for scheme, parts in schemes.items():
            parts.append(options.get(scheme, next(iter(options.values()))))
    return [(scheme, " ".join(parts)) for scheme, parts in schemes.items()]


def _expand(tokens: list[str]) -> list[str]:
    return [ABBREVIATIONS.get(token, token) for token in tokens]


@lru_cache(maxsize=200_000)
def forms(name: str, kind: str = "company") -> tuple[NameForm, ...]:
    """Every comparable form of `name`. Cached: list names are analysed once, repeated queries are free."""
    person = kind == "person"
    cleaned = unicodedata.normalize("NFKC", name).strip()
    cleaned, cjk_legal = _strip_cjk_legal_form(cleaned)
    # Scripts whose romanisation loses or adds vowels are also compared by consonant skeleton.
    skeletal = bool(translit.ARABIC.search(cleaned) or translit.KANA.search(cleaned))
    result: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for variant, latin in _romanisations(cleaned, person):
        tokens = _latin_tokens(latin)
        legal = cjk_legal
        if not person:
            tokens, latin_legal = split_legal_form(tokens)
            legal = legal or latin_legal
            tokens = _expand(tokens)
        key = tuple(tokens)
        if not tokens or key in seen:
            continue
        seen.add(key)
        skeleton = translit.consonant_skeleton("".join(tokens)) if skeletal else None
        result.append(
            NameForm(
                variant=variant,
                tokens=key,
                weights=tuple(token_weight(t, person) for t in tokens),
                legal=legal,
                joined="".join(tokens),
                skeleton=skeleton,
            )
        )
    return tuple(result)


BRACKETED = re.compile(r"[(（\[]([^()（）\[\]]{2,})[)）\]]")


def _qualifier(part: str) -> bool:
    """Bracketed text that qualifies a name rather than naming it: a country ("(Kenya)"), a legal form
    ("(PVT)"), or only generic words ("(Branch)"). Such text is never an alias of its own."""
    if country_code(part) is not None:
        return True
    words = _latin_tokens(translit.ascii_form(part))
    return all(w in _ALL_LEGAL_WORDS or w in GENERIC_WORDS or w in STOPWORDS for w in words)


def expand_names(name: str) -> list[str]:
    """A name plus what it implies: "Beihang University (BUAA)" is also "BUAA" and "Beihang University".
    Qualifiers in brackets ("(Kenya)", "(PVT)") stay part of the name and are not aliases."""
    names = [name]
    inner = [part for part in BRACKETED.findall(name) if not _qualifier(part)]
    if inner:
        outer = " ".join(BRACKETED.sub(" ", name).split())
        if outer:
            names.append(outer)
        names.extend(part.strip() for part in inner if part.strip())
    return list(dict.fromkeys(names))
