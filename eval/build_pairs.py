"""Build the labelled screening evaluation set `eval/screening-pairs.csv` from the shipped lists.

Deterministic: the same list files and the same SEED give the same CSV, byte for byte. Every category draws from
its own random stream (seeded from SEED and the category name), so changing one category leaves the others as
they were. Run from the repository root:

    .venv/bin/python eval/build_pairs.py [--lists-dir ../shared/data/lists] [--out eval/screening-pairs.csv]

Columns: query, candidate, kind (person|company), label (1 same entity, 0 different), category, source, part
(tune|held, from a hash of the pair: pairsets.py).
`source` is the list entity id the pair came from (`us-sdn:2680`); a variant made by a documented rule rather
than found in the list carries `+gen`; a hard negative names both entities (`un:1|un:2`) and its kind of
negative after `#` (nn, surname, stem, xscript, famous). README.md beside this file describes every category.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pairsets import write_set
from rapidfuzz import fuzz, process

from exportctl.screening.entities import ListedEntity
from exportctl.screening.sources.registry import default_files, read_list

SEED = 20260227
HERE = Path(__file__).resolve().parent
DEFAULT_LISTS = HERE.parent.parent / "shared" / "data" / "lists"
LISTS = ("jp-eul", "jp-mof", "un", "us-sdn", "us-dpl", "us-csl")

# How many pairs each category gets (fewer if the data does not have enough; the build then fails loudly).
TARGETS = {
    "exact": 90,
    "alias": 90,
    "legal-form": 90,
    "abbreviation": 90,
    "typo": 90,
    "word-order": 90,
    "transliteration": 90,
    "cross-script": 100,
}
NEGATIVE_TARGETS = {"nn": 300, "surname": 90, "stem": 90, "xscript": 60}
MIN_PER_POSITIVE = 60
MIN_NEGATIVE_SHARE = 0.35
MIN_TOTAL = 1100

# ------------------------------------------------------------------------------------------------------------
# text helpers (independent of exportctl's matcher on purpose: the labels must not depend on what is measured)

SCRIPT_RANGES = {
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "kana": re.compile(r"[\u3040-\u30ff\uff66-\uff9f]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
}
LATIN = re.compile(r"[A-Za-z]")


def scripts(text: str) -> set[str]:
    found = {name for name, pattern in SCRIPT_RANGES.items() if pattern.search(text)}
    if LATIN.search(unicodedata.normalize("NFKC", text)):
        found.add("latin")
    return found


def is_latin(text: str) -> bool:
    return scripts(text) == {"latin"}


def norm(text: str) -> str:
    """NFKC, casefold, punctuation and symbols to spaces, whitespace collapsed: the `exact` equivalence."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZ" else ch for ch in folded)
    return " ".join(kept.split())


def tokens(text: str) -> list[str]:
    return norm(text).split()


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


LEGAL_WORDS = {
    "co", "ltd", "limited", "company", "llc", "l", "c", "inc", "incorporated", "corp", "corporation", "gmbh",
    "jsc", "ojsc", "pjsc", "cjsc", "ao", "oao", "zao", "pao", "ooo", "ооо", "ао", "пао", "оао", "зао", "plc", "sa",
    "s", "a", "ag", "kk", "k", "kabushiki", "kaisha", "joint", "stock", "public", "open", "closed", "liability",
    "pvt", "pte", "bhd", "sdn", "fze", "fzco", "fzc", "llp", "srl", "sarl", "spa", "bv", "nv", "de", "cv", "rl",
}  # fmt: skip
STOPWORDS = {"the", "of", "and", "for", "de", "la", "el", "al", "du", "des", "der", "und", "a", "an", "on", "in", "&"}


GENERIC = {"group", "holding", "holdings", "trading", "international", "intl", "enterprise", "enterprises",
           "branch", "office", "general", "industrial", "industry", "industries", "institute", "research",
           "university", "technology", "technologies", "science", "sciences", "engineering", "center", "centre",
           "bank", "academy", "ministry", "organization", "organisation", "factory", "plant", "bureau", "state",
           "national", "scientific", "production", "association", "development", "services", "import", "export",
           "shipping", "airlines", "electronics", "china", "iran", "korea", "russia", "islamic"}  # fmt: skip
# Titles and honorifics that lists put before names: "PROFESSOR MOJTABA ATARODI" is "SEYED MOJTABA ATARODI".
TITLES = {
    "professor",
    "prof",
    "dr",
    "doctor",
    "seyed",
    "sayed",
    "sayyid",
    "syed",
    "haji",
    "hajji",
    "mullah",
    "mulla",
    "maulavi",
    "mawlawi",
    "sheikh",
    "shaykh",
    "general",
    "colonel",
    "mr",
    "mrs",
    "ms",
    "qari",
}


def distinguishing(toks: Iterable[str]) -> set[str]:
    """Words that tell two companies with one stem apart ('Manufacturing' does; 'Group' or 'Trading' do not)."""
    return distinctive(toks) - GENERIC


def distinctive(toks: Iterable[str]) -> set[str]:
    return {t for t in toks if len(t) >= 3 and t not in LEGAL_WORDS and t not in STOPWORDS}


def stable_rng(category: str) -> random.Random:
    return random.Random(SEED * 1_000_003 + zlib.crc32(category.encode()))


# ------------------------------------------------------------------------------------------------------------
# entities


@dataclass(frozen=True)
class Entity:
    id: str  # list entity id, e.g. "us-sdn:2680"
    list_id: str
    group: str  # entities within a group are distinct listings (a list, or a MOF programme sheet)
    kind: str  # person | company
    name: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_entities(lists_dir: Path) -> list[Entity]:
    files = default_files(lists_dir)
    missing = [list_id for list_id in LISTS if list_id not in files]
    if missing:
        sys.exit(f"list files not found in {lists_dir}: {', '.join(missing)}")
    entities: list[Entity] = []
    for list_id in LISTS:
        loaded = read_list(list_id, files[list_id])
        for listed in loaded.entities:
            converted = _convert(listed)
            if converted is not None:
                entities.append(converted)
    entities.sort(key=lambda e: e.id)
    return entities


def _convert(listed: ListedEntity) -> Entity | None:
    if listed.kind not in ("person", "company") or not listed.name.strip():
        return None
    group = listed.list_id
    if listed.list_id == "jp-mof":  # jp-mof:<sheet>:<number>: the same person may be listed on several sheets
        group = ":".join(listed.entity_id.split(":")[:2])
    name = " ".join(listed.name.split())
    aliases = tuple(" ".join(a.split()) for a in listed.aliases if a.strip())
    return Entity(listed.entity_id, listed.list_id, group, listed.kind, name, aliases)


# ------------------------------------------------------------------------------------------------------------
# pairs


@dataclass(frozen=True)
class Pair:
    query: str
    candidate: str
    kind: str
    label: int
    category: str
    source: str


def pick(pool: list[Pair], n: int, rng: random.Random, bucket: Callable[[Pair], str]) -> list[Pair]:
    """n pairs, spread round-robin over buckets (list, kind, script...) so no one list dominates a category."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for pair in pool:
        key = (norm(pair.query), norm(pair.candidate)) if pair.category != "exact" else (pair.query, pair.candidate)
        if key not in seen:
            seen.add(key)
            groups[bucket(pair)].append(pair)
    for members in groups.values():
        rng.shuffle(members)
    chosen: list[Pair] = []
    order = sorted(groups)
    while len(chosen) < n and any(groups[g] for g in order):
        for g in order:
            if groups[g] and len(chosen) < n:
                chosen.append(groups[g].pop())
    return chosen


def by_list_kind(pair: Pair) -> str:
    return f"{pair.source.split(':')[0]}/{pair.kind}"


def oriented(rng: random.Random, listed: str, variant: str) -> tuple[str, str]:
    """Real name pairs go both ways: a query may be written either way round."""
    return (variant, listed) if rng.random() < 0.5 else (listed, variant)


# --- classification of real alias pairs ---------------------------------------------------------------------

ACRONYM = re.compile(r"^[A-Z][A-Z0-9.&-]{1,9}$")


def is_acronym_of(acronym: str, name: str) -> bool:
    """'AIO' for 'Aerospace Industries Organization': its letters are, in order, initials of the name's words."""
    compact = re.sub(r"[.&-]", "", acronym)
    if not ACRONYM.match(acronym) or not 2 <= len(compact) <= 8 or not compact.isalpha():
        return False
    words = [w for w in re.split(r"[\s\-/]+", unicodedata.normalize("NFKC", name)) if w and w[0].isalnum()]
    if len(words) < 2 or compact.casefold() in {norm(w) for w in words}:
        return False
    initials = "".join(w[0].casefold() for w in words)
    if initials[0] != compact[0].casefold():
        return False
    position = 0
    for ch in compact.casefold():
        position = initials.find(ch, position)
        if position < 0:
            return False
        position += 1
    significant = [w for w in words if norm(w) not in STOPWORDS and norm(w) not in LEGAL_WORDS]
    return len(compact) >= max(2, round(0.6 * len(significant)))


def romanisation_variant(a: str, b: str) -> bool:
    """Same words in the same order, spelled differently: 'Kim Jong Un'/'Kim Jong-un', 'Andrey'/'Andrei'."""
    ta, tb = tokens(a.replace("-", " ")), tokens(b.replace("-", " "))
    if ta == tb:
        return False
    if "".join(ta) == "".join(tb):
        return True  # only the spaces or hyphens between syllables differ
    if len(ta) != len(tb) or len(ta) < 2:
        return False
    differing = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    if not differing or len(differing) > 2:
        return False
    return all(fuzz.ratio(x, y) >= 60 and x[0] == y[0] and not inflection(x, y) for x, y in differing)


def inflection(x: str, y: str) -> bool:
    """'Industry'/'Industries', 'Armor'/'Armored': English word forms, not romanisations."""
    short, long = sorted((x, y), key=len)
    stem = short[:-1] if short.endswith("y") else short
    return long.startswith(stem) and long[len(stem) :] in {"s", "es", "ies", "ed", "d", "al", "ing", "ial"}


def without_legal(toks: list[str]) -> list[str]:
    return [t for t in toks if t not in LEGAL_WORDS]


def related(a: str, b: str) -> bool:
    """Is the alias a form of the name, so that a name comparator can be asked to match it? Enough of their
    words must correspond (ratio ≥ 65): two, or all of the shorter name's, and at least one of them not a generic
    word. 'Pasdaran' for 'Islamic Revolutionary Guard Corps' is not (only an alias index finds it), nor is 'FRANK
    SUN' for 'FUYI SUN' (a shared surname is what the `surname` hard negatives have too)."""
    ta = [t for t in tokens(a) if t not in STOPWORDS and t not in LEGAL_WORDS and t not in TITLES]
    tb = [t for t in tokens(b) if t not in STOPWORDS and t not in LEGAL_WORDS and t not in TITLES]
    if not ta or not tb:
        return False
    shorter, longer = sorted((ta, tb), key=len)
    matched = [x for x in shorter if any(fuzz.ratio(x, y) >= 65 for y in longer)]
    return len(matched) >= min(2, len(shorter)) and any(m not in GENERIC for m in matched)


def classify_alias(name: str, alias: str, kind: str) -> str | None:
    """Which positive category a (listed name, listed alias) pair belongs to; None for unusable pairs."""
    if not is_latin(name) or not alias:
        return None
    if not is_latin(alias):
        return "cross-script" if scripts(alias) - {"latin"} else None
    if is_acronym_of(alias, name):
        return "abbreviation"
    ta, tb = tokens(name), tokens(alias)
    if ta == tb:
        return None  # differs in case or punctuation only: `exact` is generated instead
    if sorted(ta) == sorted(tb):
        return "word-order"
    if kind == "company" and without_legal(ta) == without_legal(tb) and without_legal(ta):
        return "legal-form"
    if romanisation_variant(name, alias):
        return "transliteration"
    if related(name, alias):
        return "alias"
    return "unrelated"


def real_alias_pools(entities: list[Entity]) -> tuple[dict[str, list[Pair]], Counter[str]]:
    pools: dict[str, list[Pair]] = defaultdict(list)
    counts: Counter[str] = Counter()
    rng = stable_rng("real-aliases")
    for entity in entities:
        for alias in entity.aliases:
            category = classify_alias(entity.name, alias, entity.kind)
            if category is None:
                continue
            counts[category] += 1
            if category in ("unrelated", "cross-script"):
                continue  # cross-script pairs are collected by cross_script(), with the script's own rules
            query, candidate = oriented(rng, entity.name, alias)
            pools[category].append(Pair(query, candidate, entity.kind, 1, category, entity.id))
    return pools, counts


# --- exact ----------------------------------------------------------------------------------------------------


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch) for ch in text)


FULL_KANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンーァィゥェォャュョッ"
)
HALF_KANA = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｰｧｨｩｪｫｬｭｮｯ"
HALFWIDTH_KANA = dict(zip(FULL_KANA, HALF_KANA, strict=True))


def halfwidth_kana(text: str) -> str:
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)
        if base[0] in HALFWIDTH_KANA:
            out.append(HALFWIDTH_KANA[base[0]] + ("ﾞ" if "\u3099" in base else "ﾟ" if "\u309a" in base else ""))
        else:
            out.append({"・": "･", "ー": "ｰ"}.get(ch, ch))
    return "".join(out)


def exact_variant(name: str, rng: random.Random) -> str | None:
    """Case, width, spacing and punctuation changes only: every variant has the same `norm` as the name."""
    if not is_latin(name):
        options = [lambda s: s.replace("・", " ") if "・" in s else fullwidth(s), halfwidth_kana, fullwidth]
        variant = rng.choice(options)(name)
        return variant if variant != name and norm(variant) == norm(name) else None
    transforms: list[Callable[[str], str]] = [
        str.upper,
        str.lower,
        str.title,
        fullwidth,
        lambda s: "  ".join(s.split()) + " ",
        lambda s: " " + s.replace(" ", "   ", 1),
        lambda s: re.sub(r"[.,]", "", s),
        lambda s: re.sub(r"\b(Co|CO|Ltd|LTD|Inc|INC|Corp|CORP)\b(?!\.)", r"\1.", s),
        lambda s: s.replace("-", " "),
        lambda s: s.replace(",", " ,"),
    ]
    for _ in range(10):
        chosen = rng.sample(transforms, rng.choice((1, 2)))
        variant = name
        for transform in chosen:
            variant = transform(variant)
        if variant != name and norm(variant) == norm(name):
            return variant
    return None


def exact_pairs(entities: list[Entity]) -> list[Pair]:
    rng = stable_rng("exact")
    pool = []
    for entity in entities:
        names = [entity.name, *[a for a in entity.aliases if scripts(a) & {"kana", "han", "hangul"}][:1]]
        for name in names:
            variant = exact_variant(name, rng)
            if variant:
                pool.append(Pair(variant, name, entity.kind, 1, "exact", entity.id + "+gen"))
    return pick(pool, TARGETS["exact"], rng, lambda p: f"{by_list_kind(p)}/{is_latin(p.candidate)}")


# --- legal forms ----------------------------------------------------------------------------------------------

# Groups of interchangeable written forms. A name ending (or, for the prefix forms, starting) with one form gets
# another form of the same group, or none.
SUFFIX_GROUPS = [
    ["Co., Ltd.", "Co. Ltd", "CO.,LTD", "Company Limited", "Co., Limited", "Ltd", "Limited", "Ltd."],
    ["LLC", "L.L.C.", "Limited Liability Company"],
    ["GmbH", "G.m.b.H."],
    ["JSC", "Joint Stock Company", "J.S.C."],
    ["PJSC", "Public Joint Stock Company"],
    ["OJSC", "Open Joint Stock Company"],
    ["CJSC", "Closed Joint Stock Company"],
    ["Inc.", "Inc", "Incorporated"],
    ["K.K.", "Kabushiki Kaisha", "KK", "Co., Ltd."],
    ["S.A.", "SA"],
    ["FZE", "F.Z.E."],
    ["Pvt. Ltd.", "Private Limited", "Pvt Ltd"],
]
PREFIX_GROUPS = [
    ["OOO", "ООО", "LLC"],
    ["JSC", "AO", "АО", "Joint Stock Company"],
    ["PJSC", "PAO", "ПАО", "Public Joint Stock Company"],
    ["OJSC", "OAO", "ОАО", "Open Joint Stock Company"],
    ["CJSC", "ZAO", "ЗАО", "Closed Joint Stock Company"],
]
# CJK forms: (form, abbreviations). 株式会社 may stand before or after the name (前株/後株); both are kept as
# variants of one another, as are the abbreviations (株) and ㈱; Chinese forms are dropped.
CJK_FORMS = [
    ("株式会社", ["(株)", "㈱", "（株）"]),
    ("주식회사", ["(주)", "㈜"]),
    ("股份有限公司", []),
    ("有限責任公司", []),
    ("有限责任公司", []),
    ("有限公司", []),
]
ADDABLE = ["LLC", "Co., Ltd.", "Ltd", "Company Limited", "JSC", "Inc."]


def _form_regex(form: str, where: str) -> re.Pattern[str]:
    """'Co., Ltd.' matches 'CO., LTD', 'Co. Ltd', 'CO.,LTD' and 'Co Ltd': the words, whatever dots and spaces."""
    words = re.findall(r"\w+", form)
    body = r"[\s.,]*".join(re.escape(w) for w in words)
    if where == "suffix":
        return re.compile(r"[\s,]+" + body + r"\.?\s*$", re.IGNORECASE)
    return re.compile(r"^" + body + r"\.?\s+", re.IGNORECASE)


def _forms_longest_first(groups: list[list[str]]) -> list[tuple[str, list[str]]]:
    """Every (form, its group), longest form first: 'Open Joint Stock Company' is tried before 'Joint Stock
    Company', so it is never cut in half."""
    pairs = [(form, group) for group in groups for form in group]
    return sorted(pairs, key=lambda fg: (-len(re.findall(r"\w+", fg[0])), -len(fg[0])))


def legal_form_variants(name: str, kind: str) -> list[str]:
    if kind != "company":
        return []
    variants: list[str] = []
    for form, shorts in CJK_FORMS:
        if name.startswith(form) and len(name) > len(form) + 1:
            rest = name[len(form) :].strip()
            variants += [rest, *(short + rest for short in shorts)] + ([rest + form] if shorts else [])
            break
        if name.endswith(form) and len(name) > len(form) + 1:
            rest = name[: -len(form)].strip()
            variants += [rest, *(rest + short for short in shorts)] + ([form + rest] if shorts else [])
            break
    if not is_latin(name):
        return list(dict.fromkeys(v for v in variants if v and v != name))
    for where, groups in (("suffix", SUFFIX_GROUPS), ("prefix", PREFIX_GROUPS)):
        for form, group in _forms_longest_first(groups):
            match = _form_regex(form, where).search(name)
            if not match:
                continue
            stem = (name[: match.start()] if where == "suffix" else name[match.end() :]).strip(" ,")
            if distinctive(tokens(stem)):
                for other in group:
                    if norm(other) != norm(form):
                        variants.append(f"{stem} {other}" if where == "suffix" else f"{other} {stem}")
                variants.append(stem)
            break
    return list(dict.fromkeys(v for v in variants if norm(v) != norm(name)))


def legal_form_pairs(entities: list[Entity], real: list[Pair]) -> list[Pair]:
    rng = stable_rng("legal-form")
    generated = []
    plain = []
    for entity in entities:
        for name in entity.names[:3]:
            variants = legal_form_variants(name, entity.kind)
            if variants:
                generated.append(Pair(rng.choice(variants), name, entity.kind, 1, "legal-form", entity.id + "+gen"))
            elif entity.kind == "company" and is_latin(name) and name == entity.name and len(tokens(name)) >= 2:
                plain.append(
                    Pair(f"{name} {rng.choice(ADDABLE)}", name, entity.kind, 1, "legal-form", entity.id + "+gen")
                )
    n = TARGETS["legal-form"]
    chosen = pick(real, n // 4, rng, by_list_kind)
    chosen += pick(plain, n // 8, rng, by_list_kind)
    cjk = [p for p in generated if not is_latin(p.candidate)]
    chosen += pick(cjk, n // 6, rng, by_list_kind)
    latin = [p for p in generated if is_latin(p.candidate)]
    chosen += pick(latin, n - len(chosen), rng, by_list_kind)
    return chosen


# --- abbreviations ----------------------------------------------------------------------------------------------

ABBREVIATIONS = [
    ("International", ["Intl", "Int'l", "Intl."]),
    ("Company", ["Co", "Co."]),
    ("Corporation", ["Corp", "Corp."]),
    ("Manufacturing", ["Mfg", "Mfg."]),
    ("Technology", ["Tech"]),
    ("Organization", ["Org"]),
    ("University", ["Univ"]),
    ("Institute", ["Inst"]),
    ("National", ["Natl"]),
    ("Association", ["Assn"]),
    ("Brothers", ["Bros"]),
    ("Department", ["Dept"]),
]


def abbreviate(name: str, rng: random.Random) -> str | None:
    hits = [(word, short) for word, short in ABBREVIATIONS if re.search(rf"\b{word}\b", name, re.IGNORECASE)]
    if not hits:
        return None
    variant = name
    for word, shorts in rng.sample(hits, min(len(hits), rng.choice((1, 2)))):
        short = rng.choice(shorts)

        def repl(m: re.Match[str], short: str = short) -> str:
            return short.upper() if m.group(0).isupper() else short

        variant = re.sub(rf"\b{word}\b", repl, variant, flags=re.IGNORECASE)
    return variant if norm(variant) != norm(name) else None


def abbreviation_pairs(entities: list[Entity], real: list[Pair]) -> list[Pair]:
    rng = stable_rng("abbreviation")
    generated = []
    for entity in entities:
        if entity.kind != "company":
            continue
        for name in entity.names:
            if is_latin(name):
                variant = abbreviate(name, rng)
                if variant:
                    generated.append(Pair(variant, name, entity.kind, 1, "abbreviation", entity.id + "+gen"))
                    break
    n = TARGETS["abbreviation"]
    chosen = pick(real, n * 2 // 3, rng, by_list_kind)
    return chosen + pick(generated, n - len(chosen), rng, by_list_kind)


# --- typos ------------------------------------------------------------------------------------------------------

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(ch: str) -> str:
    low = ch.lower()
    for r, row in enumerate(KEYBOARD):
        c = row.find(low)
        if c >= 0:
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(KEYBOARD):
                    near += [KEYBOARD[other][i] for i in (c - 1, c) if 0 <= i < len(KEYBOARD[other])]
            return "".join(near)
    return "aeiou"


def typo(name: str, rng: random.Random, edits: int) -> str:
    """`edits` random edits (insert, delete, substitute by a keyboard neighbour, transpose), in words of ≥ 4
    letters (a one-letter change in "Li" or "Co" is a different name, not a typo)."""
    chars = list(name)
    for _ in range(edits):
        spans = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{4,}", "".join(chars))]
        start, end = rng.choice(spans)
        i = rng.randrange(start, end)
        op = rng.choice(("insert", "delete", "substitute", "transpose"))
        case = str.upper if chars[i].isupper() else str.lower
        if op == "insert":
            chars.insert(i, case(rng.choice(neighbours(chars[i]) + chars[i])))
        elif op == "delete":
            del chars[i]
        elif op == "substitute":
            chars[i] = case(rng.choice(neighbours(chars[i])))
        elif i + 1 < end and chars[i].lower() != chars[i + 1].lower():
            upper = (chars[i].isupper(), chars[i + 1].isupper())  # the case pattern stays: "Tsed" → "Sted"
            first, second = chars[i + 1].lower(), chars[i].lower()
            chars[i], chars[i + 1] = (first.upper() if upper[0] else first), (second.upper() if upper[1] else second)
        else:
            del chars[i]
    return "".join(chars)


def typo_pairs(entities: list[Entity], all_names: set[str]) -> list[Pair]:
    rng = stable_rng("typo")
    pool = []
    for entity in entities:
        name = entity.name
        if not is_latin(name) or letters(name) < 8 or not re.search(r"[A-Za-z]{4,}", name):
            continue
        variant = typo(name, rng, 2 if letters(name) >= 16 and rng.random() < 0.5 else 1)
        if norm(variant) != norm(name) and norm(variant) not in all_names:
            pool.append(Pair(variant, name, entity.kind, 1, "typo", entity.id + "+gen"))
    return pick(pool, TARGETS["typo"], rng, by_list_kind)


# --- word order -------------------------------------------------------------------------------------------------


def word_order_variants(name: str, kind: str, rng: random.Random) -> list[str]:
    if kind != "person" or not is_latin(name):
        if kind == "company" and is_latin(name):
            # "OOO Khimmed" ↔ "Khimmed OOO": the legal form moves, the name stays
            for form, _ in _forms_longest_first(PREFIX_GROUPS):
                match = _form_regex(form, "prefix").search(name)
                if match and distinctive(tokens(name[match.end() :])):
                    return [f"{name[match.end() :]} {match.group(0).strip()}"]
            for form, _ in _forms_longest_first(SUFFIX_GROUPS[3:7]):
                match = _form_regex(form, "suffix").search(name)
                if match and " " in form and distinctive(tokens(name[: match.start()])):
                    return [f"{match.group(0).strip(' ,')} {name[: match.start()]}"]
        return []
    if "," in name:  # "LAST, First" ↔ "First LAST" and "First Middle LAST" ↔ "LAST First Middle"
        last, _, first = name.partition(",")
        if first.strip() and last.strip():
            return [f"{first.strip()} {last.strip()}", f"{last.strip()} {first.strip()}"]
        return []
    words = name.split()
    if len(words) < 2:
        return []
    variants = [" ".join([words[-1], *words[:-1]]), " ".join([*words[1:], words[0]])]
    if len(words) >= 3:
        variants.append(f"{words[-1]}, {' '.join(words[:-1])}")
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        variants.append(" ".join(shuffled))
    return [v for v in variants if tokens(v) != tokens(name)]


def word_order_pairs(entities: list[Entity], real: list[Pair]) -> list[Pair]:
    rng = stable_rng("word-order")
    persons, companies = [], []
    for entity in entities:
        variants = word_order_variants(entity.name, entity.kind, rng)
        if variants:
            pair = Pair(rng.choice(variants), entity.name, entity.kind, 1, "word-order", entity.id + "+gen")
            (persons if entity.kind == "person" else companies).append(pair)
    n = TARGETS["word-order"]
    real_companies = [p for p in real if p.kind == "company"]
    chosen = pick(real_companies, n // 6, rng, by_list_kind)
    chosen += pick(companies, n // 6, rng, by_list_kind)
    return chosen + pick(persons, n - len(chosen), rng, by_list_kind)


# --- transliteration --------------------------------------------------------------------------------------------

# Documented rule sets for generated romanisation variants. Each group lists spellings of one name in use.
ARABIC_GROUPS = [
    ["Mohammed", "Muhammad", "Mohamad", "Mohamed", "Muhammed", "Mohammad"],
    ["Yusuf", "Yousef", "Yusef", "Youssef", "Yousuf"],
    ["Ahmad", "Ahmed"], ["Hassan", "Hasan"], ["Hussein", "Husain", "Hussain", "Husayn", "Hossein"],
    ["Abdul", "Abdel", "Abdoul"], ["Abdullah", "Abdallah", "Abdulla"], ["Omar", "Umar"], ["Osama", "Usama"],
    ["Khalid", "Khaled"], ["Said", "Saeed", "Sayed"], ["Mahmoud", "Mahmud"], ["Mustafa", "Mostafa", "Moustafa"],
    ["Ibrahim", "Ebrahim"], ["Ismail", "Ismael", "Esmail"], ["Abu", "Abou"], ["Salim", "Saleem", "Selim"],
    ["Karim", "Kareem"], ["Rahman", "Rehman"], ["Hamid", "Hameed"], ["Rashid", "Rasheed"], ["Majid", "Majeed"],
    ["Nasser", "Nasir", "Naser"], ["Qasim", "Kasim", "Qassem"], ["Jafar", "Jaafar", "Ja'far"],
    ["Ali", "Aly"], ["Hamza", "Hamzah"], ["Bakr", "Bakir"], ["Faisal", "Faysal", "Feisal"],
]  # fmt: skip
CYRILLIC_GROUPS = [
    ["Aleksandr", "Alexandr", "Alexander", "Aleksander"], ["Sergey", "Sergei"], ["Andrey", "Andrei"],
    ["Aleksey", "Aleksei", "Alexei", "Alexey"], ["Dmitry", "Dmitriy", "Dmitrii"], ["Yuri", "Yuriy", "Iurii"],
    ["Yevgeny", "Evgeny", "Evgenii", "Yevgeniy"], ["Yelena", "Elena"], ["Nikolay", "Nikolai"],
    ["Vitaly", "Vitaliy", "Vitalii"], ["Anatoly", "Anatoliy", "Anatolii"], ["Valery", "Valeriy", "Valerii"],
    ["Gennady", "Gennadiy", "Gennadii"], ["Arkady", "Arkadiy", "Arkadii"], ["Yakov", "Iakov"],
    ["Mikhail", "Michail"], ["Maksim", "Maxim"], ["Pyotr", "Petr"], ["Fyodor", "Fedor"], ["Ilya", "Ilia"],
]  # fmt: skip
KOREAN_SURNAMES = {
    "ri": ["Lee", "Rhee", "Yi"],
    "pak": ["Park"],
    "choe": ["Choi"],
    "jon": ["Jeon"],
    "o": ["Oh"],
    "han": [],
    "kim": [],
    "jang": ["Chang"],
    "ryu": ["Yu"],
    "kang": [],
    "hyon": ["Hyun"],
    "jo": ["Cho"],
    "yun": ["Yoon"],
    "sin": ["Shin"],
    "chae": [],
    "paek": ["Baek"],
    "mun": ["Moon"],
}
CYRILLIC_ENDINGS = [("iy", ["y", "ii", "i"]), ("yy", ["y", "ii"]), ("skiy", ["sky", "ski"]), ("aya", ["aia"]),
                    ("yev", ["iev", "ev"]), ("yeva", ["ieva", "eva"])]  # fmt: skip


def _match_case(template: str, word: str) -> str:
    return word.upper() if template.isupper() else word.capitalize() if template[:1].isupper() else word.lower()


def transliteration_variant(name: str, entity: Entity, rng: random.Random) -> tuple[str, str] | None:
    """A generated romanisation variant and the rule that made it, or None if no rule applies."""
    words = re.split(r"(\s+|,\s*|-)", name)
    options: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        low = word.casefold()
        for group in ARABIC_GROUPS + CYRILLIC_GROUPS:
            lows = [g.casefold() for g in group]
            if low in lows:
                for alt in group:
                    if alt.casefold() != low:
                        options.append(("".join([*words[:i], _match_case(word, alt), *words[i + 1 :]]), "spelling"))
        if low in ("al", "el") and i + 1 < len(words) and words[i + 1] == "-":
            other = "El" if low == "al" else "Al"
            options.append(("".join([*words[:i], _match_case(word, other), *words[i + 1 :]]), "article"))
        if len(low) >= 6:
            for ending, alts in CYRILLIC_ENDINGS:
                if low.endswith(ending):
                    for alt in alts:
                        new = word[: -len(ending)] + _match_case(word[-len(ending) :], alt)
                        options.append(("".join([*words[:i], new, *words[i + 1 :]]), "ending"))
                    break
    # Korean: "KIM Song Chol" ↔ "KIM Song-chol" ↔ "KIM Songchol"; DPRK ↔ ROK surname spellings
    plain = [w for w in name.replace(",", " ").split() if w]
    if entity.kind == "person" and len(plain) == 3 and is_latin(name):
        surname_first = plain[0].casefold() in KOREAN_SURNAMES
        surname_last = plain[-1].casefold() in KOREAN_SURNAMES and "," not in name
        if surname_first or surname_last:
            surname, given = (plain[0], plain[1:]) if surname_first else (plain[-1], plain[:-1])
            second = given[1] if given[0].isupper() else given[1].lower()
            hyphen, joined = f"{given[0]}-{second}", f"{given[0]}{second}"
            for g in (hyphen, joined):
                options.append((f"{surname} {g}" if surname_first else f"{g} {surname}", "korean-given"))
            for alt in KOREAN_SURNAMES[surname.casefold()]:
                rest = " ".join(given)
                options.append((f"{_match_case(surname, alt)} {rest}" if surname_first else f"{rest} {alt}", "korean"))
    options = [(v, rule) for v, rule in options if norm(v) != norm(name)]
    return rng.choice(options) if options else None


def transliteration_pairs(entities: list[Entity], real: list[Pair]) -> list[Pair]:
    rng = stable_rng("transliteration")
    generated: list[Pair] = []
    for entity in entities:
        if not is_latin(entity.name):
            continue
        found = transliteration_variant(entity.name, entity, rng)
        if found:
            variant, rule = found
            generated.append(Pair(variant, entity.name, entity.kind, 1, "transliteration", f"{entity.id}+gen:{rule}"))
    n = TARGETS["transliteration"]
    chosen = pick(real, n // 2, rng, by_list_kind)
    return chosen + pick(generated, n - len(chosen), rng, lambda p: f"{p.source.split(':')[-1]}/{by_list_kind(p)}")


# --- cross-script -----------------------------------------------------------------------------------------------


def main_script(text: str) -> str:
    found = scripts(text) - {"latin"}
    for script in ("hangul", "kana", "arabic", "cyrillic", "han"):
        if script in found:
            return "japanese" if script == "kana" or (script == "han" and "kana" in found) else script
    return "latin"


def japanese_name(entity: Entity) -> str | None:
    """MOF: the 日本語表記 (the Japanese name) is the first alias in Japanese script after the English variants."""
    for alias in entity.aliases:
        if scripts(alias) & {"kana", "han"}:
            return alias
    return None


def cross_script_pairs(entities: list[Entity]) -> list[Pair]:
    rng = stable_rng("cross-script")
    pool = []
    for entity in entities:
        if not is_latin(entity.name):
            continue
        if entity.list_id == "jp-mof":
            originals = [j for j in [japanese_name(entity)] if j]
            originals += [a for a in entity.aliases if main_script(a) in ("arabic", "cyrillic")][:1]
        elif entity.list_id == "jp-eul":
            # the reader puts the bracketed original-script name first among the aliases
            originals = [a for a in entity.aliases[:1] if main_script(a) != "latin"]
        else:
            originals = [a for a in entity.aliases if main_script(a) != "latin" and not is_latin(a)][:1]
        for original in originals:
            if "latin" in scripts(original):
                continue  # "Jin Tiesan (金铁三)": half Latin; cross-script pairs are one script against Latin
            query, candidate = oriented(rng, entity.name, original)
            pool.append(Pair(query, candidate, entity.kind, 1, "cross-script", entity.id))
    return pick(
        pool,
        TARGETS["cross-script"],
        rng,
        lambda p: f"{main_script(p.query + p.candidate)}/{p.source.split(':')[0]}/{p.kind}",
    )


# --- hard negatives ---------------------------------------------------------------------------------------------


def names_overlap(a: Entity, b: Entity) -> bool:
    """Do two listings share a name, or nearly? Then they may be one entity listed twice: not a negative."""
    na = {norm(n) for n in a.names if n}
    nb = {norm(n) for n in b.names if n}
    if na & nb:
        return True
    sa = {" ".join(sorted(set(n.split()) - TITLES)) for n in na}
    sb = {" ".join(sorted(set(n.split()) - TITLES)) for n in nb}
    if sa & sb:
        return True
    # "SPORTS ZONE (MNC GROUP INTERNATIONAL, INC.)" names its parent: not a clean negative against the parent
    if any(x in y or y in x for x in na for y in nb if min(len(x), len(y)) >= 4 and ("(" in a.name or "(" in b.name)):
        return True
    # "ADVANCED TECH SOLUTIONS" / "ADVANCED TECHNOLOGY SOLUTIONS": word for word, one an abbreviation of the other
    for x in na:
        for y in nb:
            tx, ty = x.split(), y.split()
            if len(tx) == len(ty) and all(u.startswith(v) or v.startswith(u) for u, v in zip(tx, ty, strict=True)):
                return True
    latin_a = [n for n in na if is_latin(n)][:8]
    latin_b = [n for n in nb if is_latin(n)][:8]
    return any(fuzz.ratio(x, y) >= 92 for x in latin_a for y in latin_b)


def person_subset(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)) - TITLES, set(tokens(b)) - TITLES
    return ta <= tb or tb <= ta


def nearest_neighbours(entities: list[Entity]) -> list[tuple[Entity, Entity, float]]:
    """For every Latin-named entity, its most similar other entity of the same group and kind (token_set_ratio
    ≥ 70) that shares no name with it."""
    groups: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        # The DPL lists one party once per address, often spelled differently ("ANDRE TELEMI", "ANDRO TELEMI";
        # "AL NASER AIRLINES", "AL NASER WINGS AIRLINES"): two similar DPL rows are often one party.
        if entity.list_id != "us-dpl" and is_latin(entity.name) and len(tokens(entity.name)) >= 2:
            groups[(entity.group, entity.kind)].append(entity)
    found: list[tuple[Entity, Entity, float]] = []
    seen: set[tuple[str, str]] = set()
    for (_, kind), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        names = [" ".join(without_legal(tokens(e.name))) for e in members]
        for i, a in enumerate(members):
            best = process.extract(names[i], names, scorer=fuzz.token_set_ratio, score_cutoff=70, limit=8)
            for _, score, j in sorted(best, key=lambda hit: (-hit[1], hit[2])):
                if j == i:
                    continue
                b = members[j]
                key = tuple(sorted((a.id, b.id)))
                if key in seen or names_overlap(a, b):
                    continue
                if kind == "person" and person_subset(a.name, b.name):
                    continue  # "John Smith" vs "John K Smith" may be one person: not a clean negative
                if kind == "company" and without_legal(tokens(a.name)) == without_legal(tokens(b.name)):
                    continue
                seen.add((key[0], key[1]))
                found.append((a, b, float(score)))
                break
    return found


def hard_negatives(entities: list[Entity]) -> list[Pair]:
    rng = stable_rng("hard-negative")
    neighbours_found = nearest_neighbours(entities)
    nn_pool, stem_pool = [], []
    for a, b, _score in neighbours_found:
        query, candidate = (a.name, b.name) if rng.random() < 0.5 else (b.name, a.name)
        pair = Pair(query, candidate, a.kind, 0, "hard-negative", f"{a.id}|{b.id}#nn")
        ta, tb = set(without_legal(tokens(a.name))), set(without_legal(tokens(b.name)))
        if a.kind == "company" and (ta <= tb or tb <= ta):
            # "Sky Blue Bird Group" / "Sky Blue Bird Ltd" may be one business: only a distinguishing word makes
            # a clean negative ("Iran Aircraft Industries" / "Iran Aircraft Manufacturing Industries")
            if distinguishing(ta ^ tb):
                stem_pool.append(Pair(query, candidate, a.kind, 0, "hard-negative", f"{a.id}|{b.id}#stem"))
        else:
            nn_pool.append(pair)

    # companies sharing their first two words, differing in a distinguishing word
    by_stem: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        toks = without_legal(tokens(entity.name))
        if entity.list_id == "us-dpl" or not is_latin(entity.name):
            continue
        if entity.kind == "company" and len(toks) >= 3 and distinctive(toks[:2]):
            by_stem[(entity.group, " ".join(toks[:2]))].append(entity)
    for (_, _stem), members in sorted(by_stem.items()):
        for a, b in itertools.pairwise(members):
            if names_overlap(a, b) or not distinguishing(set(tokens(a.name)) ^ set(tokens(b.name))):
                continue
            stem_pool.append(Pair(a.name, b.name, "company", 0, "hard-negative", f"{a.id}|{b.id}#stem"))

    # same surname, different persons: SDN writes "SURNAME, Given"
    by_surname: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.kind == "person" and "," in entity.name and is_latin(entity.name):
            surname, _, given = entity.name.partition(",")
            if given.strip() and len(norm(surname)) >= 3:
                by_surname[(entity.group, norm(surname))].append(entity)
    surname_pool = []
    for (_, _surname), members in sorted(by_surname.items()):
        for a, b in itertools.pairwise(members):
            ga, gb = set(tokens(a.name.partition(",")[2])), set(tokens(b.name.partition(",")[2]))
            if ga & gb or names_overlap(a, b):
                continue
            query = a.name if rng.random() < 0.5 else f"{a.name.partition(',')[2].strip()} {a.name.partition(',')[0]}"
            surname_pool.append(Pair(query, b.name, "person", 0, "hard-negative", f"{a.id}|{b.id}#surname"))

    # cross-script negatives: a listing's original-script name against its Latin nearest neighbour
    xscript_pool = []
    for a, b, _score in neighbours_found:
        original = japanese_name(a) if a.list_id == "jp-mof" else next((x for x in a.aliases if not is_latin(x)), None)
        if original and main_script(original) != "latin" and not names_overlap(a, b):
            query, candidate = (original, b.name) if rng.random() < 0.5 else (b.name, original)
            xscript_pool.append(Pair(query, candidate, a.kind, 0, "hard-negative", f"{a.id}|{b.id}#xscript"))

    chosen = pick(nn_pool, NEGATIVE_TARGETS["nn"], rng, by_list_kind)
    chosen += pick(stem_pool, NEGATIVE_TARGETS["stem"], rng, by_list_kind)
    chosen += pick(surname_pool, NEGATIVE_TARGETS["surname"], rng, by_list_kind)
    chosen += pick(xscript_pool, NEGATIVE_TARGETS["xscript"], rng, lambda p: f"{main_script(p.query + p.candidate)}")
    return chosen + famous_false_positives(entities)


def famous_false_positives(entities: list[Entity]) -> list[Pair]:
    """False-positive patterns users reported against other screening tools (see docs: screening anchors §5)."""
    by_name = {norm(e.name): e for e in entities}
    habbash = by_name.get(norm("HABBASH, George"))
    return [
        Pair("George Bush", habbash.name if habbash else "George Habbash", "person", 0, "hard-negative",
             (habbash.id if habbash else "manual") + "|manual:watchman#115#famous"),
        Pair("EMMA LLC", "Emma Daniels", "company", 0, "hard-negative", "manual:watchman#338#famous"),
        Pair("11420 CORP.", "Corp Trading Ltd", "company", 0, "hard-negative", "manual:watchman#483#famous"),
        Pair("CORP", "11420 CORP.", "company", 0, "hard-negative", "manual:watchman#483#famous"),
        Pair("Trading Company LLC", "Al Trading Company LLC", "company", 0, "hard-negative", "manual:generic#famous"),
    ]  # fmt: skip


# ------------------------------------------------------------------------------------------------------------


def build(lists_dir: Path) -> tuple[list[Pair], dict[str, int]]:
    entities = load_entities(lists_dir)
    all_names = {norm(n) for e in entities for n in e.names}
    real, alias_counts = real_alias_pools(entities)
    rng = stable_rng("alias")
    pairs: list[Pair] = []
    pairs += exact_pairs(entities)
    pairs += pick(real["alias"], TARGETS["alias"], rng, by_list_kind)
    pairs += legal_form_pairs(entities, real["legal-form"])
    pairs += abbreviation_pairs(entities, real["abbreviation"])
    pairs += typo_pairs(entities, all_names)
    pairs += word_order_pairs(entities, real["word-order"])
    pairs += transliteration_pairs(entities, real["transliteration"])
    pairs += cross_script_pairs(entities)
    positives = {(norm(p.query), norm(p.candidate)) for p in pairs}
    positives |= {(c, q) for q, c in positives}
    pairs += [p for p in hard_negatives(entities) if (norm(p.query), norm(p.candidate)) not in positives]
    stats = {f"real aliases: {k}": v for k, v in sorted(alias_counts.items())}
    stats["entities"] = len(entities)
    return pairs, stats


def check(pairs: list[Pair]) -> list[str]:
    counts = Counter(p.category for p in pairs)
    problems = [
        f"{cat}: {counts[cat]} pairs (< {MIN_PER_POSITIVE})" for cat in TARGETS if counts[cat] < MIN_PER_POSITIVE
    ]
    negatives = counts["hard-negative"]
    if negatives / len(pairs) < MIN_NEGATIVE_SHARE:
        problems.append(f"hard negatives are {negatives / len(pairs):.0%} of the set (< {MIN_NEGATIVE_SHARE:.0%})")
    if len(pairs) < MIN_TOTAL:
        problems.append(f"{len(pairs)} pairs (< {MIN_TOTAL})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists-dir", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--out", type=Path, default=HERE / "screening-pairs.csv")
    args = parser.parse_args(argv)
    pairs, stats = build(args.lists_dir)
    # `part` (tune / held) is added by a hash of the pair: see pairsets.py.
    write_set(args.out, [(p.query, p.candidate, p.kind, p.label, p.category, p.source) for p in pairs])
    counts = Counter(p.category for p in pairs)
    for category in [*TARGETS, "hard-negative"]:
        print(f"{category:16} {counts[category]:5}")
    negative_kinds = Counter(p.source.rsplit("#", 1)[-1] for p in pairs if p.label == 0)
    print(
        f"{'total':16} {len(pairs):5}  "
        f"(hard negatives {counts['hard-negative'] / len(pairs):.0%}: {dict(negative_kinds)})"
    )
    for key, value in stats.items():
        print(f"  {key}: {value}")
    print(f"wrote {args.out}")
    problems = check(pairs)
    for problem in problems:
        print(f"NOT ENOUGH: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
