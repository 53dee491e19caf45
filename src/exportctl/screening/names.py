"""Names → comparable forms: normalised, romanised, legal forms set aside, tokens weighted.

`normalise` is the exact-match key (NFKC, case, width, punctuation). `forms` is what the scorer and the
index work on: for every romanisation variant of a name, its Latin tokens without the legal form, the
legal-form class found (a weak feature only), and the token weights (stopwords and generic company words
count for less, so "CORP" or "TRADING" cannot carry a match on their own).

Before comparison a name is also cleaned of what varies between writings of the same name: legal forms
written out or abbreviated in any language (OpenSanctions' rigour table, MIT, via `name_tables`), a person's
titles ("Dr.", "Sheikh", "Colonel"), a person's repeated name parts ("Mohammed Mohammed Ali"), digits typed
for letters inside a word ("S3rgei"), and English numbers written as words ("Forty-Four" → "44"). Names
written wholly in Hangul (and persons' names wholly in Han characters) also keep a native form: compared
with another native form, syllables and characters are compared, not their romanisations, which merge
distinct names (김정은 / 김정운 both romanise close to "Kim Jong Un").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA

from exportctl.countries import country_code
from exportctl.screening import name_tables, org_words, translit

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
# At the start and end of a name, the public table's forms in every language are recognised too ("Societatea
# cu Raspundere Limitata" / "SRL", "Aktiengesellschaft" / "AG"); the classes above win where both know a form.
# Inside a name only the forms above are removed: the long tail of the public table there would eat words.
EDGE_LEGAL_FORMS: dict[str, str] = name_tables.legal_forms(LATIN_LEGAL_FORMS)
_MAX_EDGE_TOKENS = max(len(form.split()) for form in EDGE_LEGAL_FORMS)
_VOWELLESS_FORMS = sorted(f for f in EDGE_LEGAL_FORMS if len(f) == 4 and f.isalpha() and not set(f) & set("aeiouy"))
# Forms written as a prefix ("OOO Romashka", "PT Bank X", "AO Vympel") as well as a suffix.
_PREFIX_FORMS = {"ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc", "pjsc", "cjsc", "pt", "kk", "llc", "tov", "too"}
# Words of legal forms, for recognising a form written with a typo ("Xompany", "Joiint Stock").
_ALL_LEGAL_WORDS = frozenset(word for form in LATIN_LEGAL_FORMS for word in form.split())
_LEGAL_WORDS = sorted(word for word in _ALL_LEGAL_WORDS if len(word) >= 5)
_LEGAL_WORDS_BY_LENGTH: dict[int, list[str]] = {}
for _word in _LEGAL_WORDS:
    _LEGAL_WORDS_BY_LENGTH.setdefault(len(_word), []).append(_word)
_VOWELS = frozenset("aeiouy")

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
# Variant names of the forms in Hangul syllables or Han characters (see `_native_forms`).
NATIVE_HANGUL = "native-hangul"
NATIVE_HAN = "native-han"
NATIVE_HANGUL_READ = "native-hangul-read"  # a Korean name in Han characters, read in Hangul
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
    # A person's name. Set on the forms `forms` makes; the index file does not store it, so the scorer reads
    # it from the query's forms only (they are always made fresh).
    person: bool = False

    @property
    def native(self) -> bool:
        """The name in Hangul syllables or Han characters, not romanised (see `_native_forms`)."""
        return self.variant in (NATIVE_HANGUL, NATIVE_HAN, NATIVE_HANGUL_READ)


def token_weight(token: str, person: bool = False) -> float:
    # Legal-form words in a person's name ("… Co., Ltd." typed after a name) are noise, but are not
    # removed: "As" and "Ag" are also parts of names (Iyad Ag Ghali).
    # "Oglu", "kyzy" ("son of", "daughter of") mark a patronymic like "bin" does: a particle, not a name.
    if token in STOPWORDS or (person and (token in _ALL_LEGAL_WORDS or token in PATRONYMIC_WORDS)):
        return STOPWORD_WEIGHT
    # A legal-form word left inside a company's name ("… Company VGTZ") says what kind of company, not which.
    if token in GENERIC_WORDS or token in _ALL_LEGAL_WORDS:
        return GENERIC_WEIGHT
    return TOKEN_WEIGHT


def _strip_cjk_legal_form(text: str) -> tuple[str, str | None]:
    for form in _CJK_FORMS_BY_LENGTH:
        if text.startswith(form) and len(text) > len(form):
            return text[len(form) :].strip(), CJK_LEGAL_FORMS[form]
        if text.endswith(form) and len(text) > len(form):
            return text[: -len(form)].strip(), CJK_LEGAL_FORMS[form]
    return text, None


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _latin_tokens(text: str) -> list[str]:
    text = text.lower().replace("&", " and ").replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", text).split()


# --- digits for letters, numbers as words ------------------------------------------------------------------------

# Digits typed for the letters they look like ("1gor", "S3rgei", "Gazpr0m").
# "1" stands for "i" ("1gor") or "l" ("A1i"): both readings are made, and the better one wins.
_LOOKALIKE = {
    one: str.maketrans({"0": "o", "1": one, "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}) for one in "il"
}
_LOOKALIKE_DIGITS = frozenset("0134578")


@lru_cache(maxsize=100_000)
def letters_for_digits(token: str, person: bool, one: str = "i") -> str:
    """A word of letters with a look-alike digit in it, read as letters. Only where the digits cannot be a
    number: digits single (never two in a row) and no more than the letters; in a company's name, also at
    least three letters, digits under a third of the word and not at its end ("Web3", "Tu154", "A320", "K2"
    and all-digit tokens keep their digits). A person's name has no model numbers: "A1i", "4bd" are letters."""
    digits = sum(ch.isdigit() for ch in token)
    letters = len(token) - digits
    if not digits or not letters or digits > letters:
        return token
    if any(ch.isdigit() and ch not in _LOOKALIKE_DIGITS for ch in token):
        return token
    if any(a.isdigit() and b.isdigit() for a, b in pairwise(token)):
        return token
    if not person and (digits * 3 > len(token) or letters < 3 or token[-1].isdigit()):
        return token
    return token.translate(_LOOKALIKE[one])


def _is_number_word(token: str) -> bool:
    return token in name_tables.UNITS or token in name_tables.TENS


def _number_words(tokens: list[str]) -> list[str]:
    """English numbers written as words become digits ("forty four" → "44", "three" → "3", "twenty-eighth"
    → "28th"), so that they meet the digits another list writes."""
    if not any(_is_number_word(t) or t in name_tables.ORDINALS for t in tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not _is_number_word(token) and token not in name_tables.ORDINALS:
            out.append(token)
            i += 1
            continue
        total = current = 0
        nth = False
        while i < len(tokens) and not nth:
            word = tokens[i]
            if word in name_tables.ORDINALS:  # an ordinal ends the number: "twenty-eighth", "hundredth"
                value = name_tables.ORDINALS[word]
                current = current * value if value >= 100 and current else current + value
                nth = True
            elif word in name_tables.UNITS:
                current += name_tables.UNITS[word]
            elif word in name_tables.TENS:
                current += name_tables.TENS[word]
            elif word in name_tables.SCALES and current:
                current *= name_tables.SCALES[word]
                if name_tables.SCALES[word] >= 1000:
                    total, current = total + current, 0
            elif word == "and" and current >= 100 and i + 1 < len(tokens) and _is_number_word(tokens[i + 1]):
                pass  # "one hundred and five"
            else:
                break
            i += 1
        out.append(name_tables.ordinal(total + current) if nth else str(total + current))
    return out


# --- persons: titles, repeated parts, patronymics ------------------------------------------------------------

PERSON_TITLES = name_tables.person_titles()
_MAX_TITLE_TOKENS = max(len(title) for title in PERSON_TITLES)
# East Slavic patronymics (-ovich, -evna …, also as German, Dutch and Hungarian write them: -owitsch,
# -owitsj, -ovics), Turkic ones (-ogly, -kyzy) and the separate words for them.
_PATRONYMIC = re.compile(
    r"^[a-z]{3,}(?:ovich|evich|ovych|evych|ovics|evics|owitsch|ewitsch|owitsj|ewitsj|ovna|evna|ichna|ogly|oglu|kyzy|qizi)$"
)
PATRONYMIC_WORDS = frozenset({"ogly", "oglu", "ugli", "kyzy", "qizi", "uly", "uulu"})


def _drop_titles(tokens: list[str]) -> list[str]:
    """Titles at the start of a person's name ("Dr.", "Prof. Dr.", "Sheikh", "Lieutenant General"), as long
    as two words of the name remain: "General" alone, or "Haji Ahmad", may be all there is of a name."""
    changed = True
    while changed:
        changed = False
        for size in range(min(_MAX_TITLE_TOKENS, len(tokens) - 2), 0, -1):
            if tuple(tokens[:size]) in PERSON_TITLES:
                tokens, changed = tokens[size:], True
                break
    return tokens


def _person_tokens(tokens: list[str]) -> list[str]:
    # A repeated part ("Mohammed Mohammed Ali", a name and a father's name alike) once: lists differ on it.
    return list(dict.fromkeys(tokens)) if len(set(tokens)) < len(tokens) else tokens


@lru_cache(maxsize=100_000)
def is_patronymic(token: str) -> bool:
    """A patronymic ("Vladimirovich", "Ogly"): a middle part of a name wherever a list writes it."""
    return token in PATRONYMIC_WORDS or _PATRONYMIC.match(token) is not None


@lru_cache(maxsize=100_000)
def _legal_word(token: str) -> str:
    """The legal-form word a token is, allowing one typo in words of five letters or more, and in
    abbreviations of four letters without a vowel ("SLRL" for "SPRL"), which are no words of a name."""
    if len(token) == 4 and token not in EDGE_LEGAL_FORMS and _VOWELS.isdisjoint(token):
        for form in _VOWELLESS_FORMS:
            if OSA.distance(form, token, score_cutoff=1) <= 1:
                return form
        return token
    if len(token) < 5 or token in LATIN_LEGAL_FORMS:
        return token
    for size in (len(token) - 1, len(token), len(token) + 1):
        for word in _LEGAL_WORDS_BY_LENGTH.get(size, ()):
            if OSA.distance(word, token, score_cutoff=1) <= 1:
                return word
    return token


def _strip_once(tokens: list[str]) -> tuple[list[str], str | None]:
    window = min(_MAX_EDGE_TOKENS, len(tokens) - 1)  # a form never takes the whole name
    head = [_legal_word(t) for t in tokens[:window]]
    tail = [_legal_word(t) for t in tokens[-window:]] if window else []
    for size in range(min(_MAX_EDGE_TOKENS, len(tokens) - 1), 0, -1):
        form = " ".join(tail[-size:])
        if form in EDGE_LEGAL_FORMS:
            return tokens[:-size], EDGE_LEGAL_FORMS[form]
    for size in range(min(_MAX_EDGE_TOKENS, len(tokens) - 1), 0, -1):
        form = " ".join(head[:size])
        if form in EDGE_LEGAL_FORMS and (size > 1 or form in _PREFIX_FORMS):
            return tokens[size:], EDGE_LEGAL_FORMS[form]
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
        surname = _korean_surname(text, person)
        if surname is not None:
            schemes.update({"ko-dprk": [], "ko-mr": [], "ko-rr": []})
    else:
        schemes = {"hepburn": [], "loanword": []}
    for word in filter(None, words):
        if translit.HANGUL.search(word):
            options = translit.hangul_variants(word, person)
        elif translit.KANA.search(word):
            kana = translit.kana_variants(word)
            options = {"hepburn": kana[0], "loanword": kana[-1], "pinyin": kana[0]}
        elif translit.HAN.search(word):
            options = {"pinyin": translit.pinyin(word), "hepburn": translit.hepburn(word)}
            options["loanword"] = options["hepburn"]
            if "ko-rr" in schemes:
                options.update(_korean_readings(word, surname if not schemes["ko-rr"] else None))
        else:
            latin = translit.ascii_form(word)
            options = dict.fromkeys(
                ("rr", "mr", "mixed", "custom", "pinyin", "hepburn", "loanword", "ko-dprk", "ko-mr", "ko-rr"), latin
            )
        for scheme, parts in schemes.items():
            parts.append(options.get(scheme, next(iter(options.values()))))
    return [(scheme, " ".join(parts)) for scheme, parts in schemes.items()]


def _korean_surname(text: str, person: bool) -> str | None:
    """A person's name in Han characters that starts with a Korean surname (金, 李, 朴 …) is also read in
    Korean: the lists write North and South Korean names in Han characters beside their romanisations."""
    if not person:
        return None
    first = _NOT_NATIVE.sub("", text)[:1]
    return translit.korean_surname_reading(first) if translit.HAN.match(first) else None


def _korean_readings(word: str, surname: str | None) -> dict[str, str]:
    readings = translit.hanja_to_hangul(word, surname)
    if not readings:
        return {}  # a character without a Korean reading: the pinyin reading stands in
    return translit.korean_romanisations(readings[0], surname is not None)


def _expand(tokens: list[str]) -> list[str]:
    return org_words.fold_synonyms([ABBREVIATIONS.get(token, token) for token in tokens])


@lru_cache(maxsize=200_000)
def forms(name: str, kind: str = "company") -> tuple[NameForm, ...]:
    """Every comparable form of `name`. Cached: list names are analysed once, repeated queries are free."""
    person = kind == "person"
    cleaned = unicodedata.normalize("NFKC", name).strip()
    cleaned, cjk_legal = _strip_cjk_legal_form(cleaned)
    # Scripts whose romanisation loses or adds vowels are also compared by consonant skeleton.
    skeletal = any(script.search(cleaned) for script in (translit.ARABIC, translit.KANA, translit.OTHER_SCRIPTS))
    result: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    result.extend(_native_forms(cleaned, cjk_legal, person))
    romanised = _romanisations(cleaned, person) + ([] if person else org_words.translations(cleaned))
    for variant, latin, one in _readings(romanised):
        tokens = [letters_for_digits(t, person, one) for t in _latin_tokens(latin)]
        legal = cjk_legal
        written = tokens  # as written, for the whole-string views (the spaces-removed name, the skeleton)
        if person:
            written = _drop_titles(tokens)
            tokens = _person_tokens(written)
        else:
            tokens, latin_legal = split_legal_form(tokens)
            legal = legal or latin_legal
            tokens = _expand(tokens)
        tokens = _number_words(tokens)
        key = tuple(tokens)
        if not tokens or key in seen:
            continue
        seen.add(key)
        joined = "".join(written if person else tokens)
        skeleton = translit.consonant_skeleton(joined) if skeletal else None
        result.append(
            NameForm(
                variant=variant,
                tokens=key,
                weights=tuple(token_weight(t, person) for t in tokens),
                legal=legal,
                joined=joined,
                skeleton=skeleton,
                person=person,
            )
        )
    return tuple(result)


def _readings(romanised: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each romanisation with "1" read as "i"; names with a "1" among letters also with "1" read as "l"."""
    readings = [(variant, latin, "i") for variant, latin in romanised]
    readings += [(f"{variant}-1l", latin, "l") for variant, latin in romanised if _ONE_IN_WORD.search(latin)]
    return readings


_ONE_IN_WORD = re.compile(r"[A-Za-z]1|1[A-Za-z]")
_NOT_NATIVE = re.compile(r"[\s\W_]+")


def _native_forms(cleaned: str, legal: str | None, person: bool) -> list[NameForm]:
    """The name as its Hangul syllables (any kind), or a person's name as its Han characters: one token, the
    characters without spaces or punctuation (a Korean name is written "김정은" or "김 정은"); a Korean
    person's name in Han characters also as its Hangul reading (`NATIVE_HANGUL_READ`, North and South forms).
    None when the name mixes in other letters (kana, Latin), which the romanised forms handle."""
    text = _NOT_NATIVE.sub("", cleaned)
    if not text:
        return []
    if all("\uac00" <= ch <= "\ud7a3" for ch in text):
        return [NameForm(NATIVE_HANGUL, (text,), (TOKEN_WEIGHT,), legal, text, person=person)]
    if not (person and all(translit.HAN.match(ch) for ch in text)):
        return []
    found = [NameForm(NATIVE_HAN, (text,), (TOKEN_WEIGHT,), legal, text, person=person)]
    surname = _korean_surname(text, person)
    if surname is not None:
        found += [
            NameForm(NATIVE_HANGUL_READ, (read,), (TOKEN_WEIGHT,), legal, read, person=person)
            for read in translit.hanja_to_hangul(text, surname)
        ]
    return found


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
