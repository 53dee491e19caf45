"""Build `eval/class-pairs.csv`: labelled pairs for each error class of issue 15, from REAL listed names.

Every pair starts from a name in the shipped lists (read with `exportctl.screening.sources.registry`, like
build_pairs.py) and is changed by the class's documented rule; the label follows from the rule, never from a
scorer. Deterministic: each class draws from its own random stream (SEED and the class name). Run from the
repository root:

    .venv/bin/python eval/build_class_pairs.py [--lists-dir ../shared/data/lists] [--out eval/class-pairs.csv]

Misses (label 1: the same party written another way):
- legal-form-lang: a real company stem with a legal form abbreviated on one side and written out on the other,
  in many languages (LEGAL_FORMS: AG/Aktiengesellschaft, SRL/Societatea cu Răspundere Limitată, LLC, JSC,
  АО/Акционерное общество, Sp. z o.o. …).
- title: a title or honorific (TITLE_WORDS: Dr., Mr., Präsident, Sheikh, Haji …) before a real person name.
- digits-for-letters: one or two letters of a real name written as the digit that looks like them (LEET).
- number-words: a number in a real company name written in English words ("44" / "Forty-Four", "14th" /
  "Fourteenth").
- nickname: a real person's given name replaced by a nickname from the public table of Carlton Northern
  (github.com/carltonnorthern/nicknames, names.csv, Apache-2.0; copied to eval/data/nicknames.csv).
- middle-name: a real name with a patronymic or middle name, against the name without it.
- repeated-part: a real name in which a part is repeated ("MOHAMED OMAR MOHAMED"), against the same name with one
  occurrence spelled another listed way (ARABIC_GROUPS of build_pairs.py) or in "SURNAME, Given" order.
- slavic-translit: a real Russian name (English romanisation in the list) in the Polish, German, French, Czech
  or Latvian romanisation of the same Cyrillic, or with the Ukrainian form of the given name (SLAVIC_SYSTEMS,
  UKRAINIAN_GIVEN).
- script: a real Latin person name written in Thai, Khmer, Bengali, Devanagari, Georgian, Armenian, Greek or
  Hebrew by the phonetic tables in SCRIPT_TABLES (the lists give no original names in these scripts).
- han-korean: a real North Korean name (McCune–Reischauer as listed) written in Han characters by the syllable
  table KOREAN_SYLLABLES (each hanja's Korean reading is the syllable).
- org-translation: REAL pairs from the lists (MOF 日本語表記 / English, End User List bracketed originals, UN
  original script) where the non-Latin name contains an organisation word that the Latin one translates
  (ORG_WORDS: 株式会社, 大学, 研究所, 工場, 公司, 공사, завод, университет …).

False hits (label 0, with label-1 pairs of the same names beside them so the class has a precision):
- hangul-syllable: a real Korean name in Hangul (KOREAN_SYLLABLES) vs the same with one syllable's vowel
  changed ㅓ↔ㅗ, ㅕ↔ㅛ or ㅡ↔ㅜ (정/종, 은/운: both romanise "Jong", "Un" once the breves are dropped): 0.
  Beside them, the Hangul name vs its listed romanisation: 1.
- han-reading: a Korean name in hanja vs the same with one hanja replaced by another of the same Korean reading
  (正/貞, 恩/銀; HANJA_SAME_READING): 0. Beside them, the hanja name vs the Hangul name: 1.
- rare-surname: a real person whose surname occurs once in all the lists, with one consonant of the surname
  replaced by one that is neither a keyboard neighbour nor of its sound class: 0. Beside them, one vowel
  spelled another way (i/y, u/ou, e/a at the end …): 1.
- org-word: a real organisation name with one distinctive word added or swapped ("University of Science and
  Technology" + Electronic, China → Chad, + "of Aeronautics and Astronautics"): 0 when the result is not a
  listed name. Beside them, the name with case, "&"/"and" or a legal form changed: 1.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from build_pairs import (
    ARABIC_GROUPS,
    DEFAULT_LISTS,
    LEGAL_WORDS,
    SEED,
    STOPWORDS,
    TITLES,
    Entity,
    is_latin,
    load_entities,
    neighbours,
    norm,
    scripts,
    tokens,
)
from pairsets import CLASS_CATEGORIES, write_set

HERE = Path(__file__).resolve().parent
TARGET = 60  # pairs per class (both labels together for the false-hit classes)
MINIMUM = 40

PairRow = tuple[str, str, str, int, str, str]


def rng_for(category: str) -> random.Random:
    return random.Random(SEED * 7_000_003 + zlib.crc32(category.encode()))


def oriented(rng: random.Random, a: str, b: str) -> tuple[str, str]:
    return (a, b) if rng.random() < 0.5 else (b, a)


def spread(entities: list[Entity], rng: random.Random) -> list[Entity]:
    """Entities shuffled and then taken round-robin over lists, so that no one list dominates a class."""
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        groups[entity.list_id].append(entity)
    for members in groups.values():
        rng.shuffle(members)
    out: list[Entity] = []
    order = sorted(groups)
    while any(groups[g] for g in order):
        for g in order:
            if groups[g]:
                out.append(groups[g].pop())
    return out


def take(candidates: Iterable[PairRow], n: int = TARGET) -> list[PairRow]:
    out: list[PairRow] = []
    seen: set[tuple[str, str]] = set()
    for row in candidates:
        key = (row[0], row[1])
        if row[0] == row[1] or key in seen or (row[1], row[0]) in seen:
            continue
        seen.add(key)
        out.append(row)
        if len(out) >= n:
            break
    return out


def balanced(positives: Iterable[PairRow], negatives: Iterable[PairRow], n: int = TARGET) -> list[PairRow]:
    """Half label 1 and half label 0 for a false-hit class."""
    return take(positives, n // 2) + take(negatives, n - n // 2)


def latin_names(entities: list[Entity], kind: str) -> list[tuple[Entity, str]]:
    return [(e, e.name) for e in entities if e.kind == kind and is_latin(e.name)]


def given_and_rest(name: str) -> tuple[str, str, bool] | None:
    """('Sergey', 'LAVROV', comma) for 'LAVROV, Sergey' or 'Sergey LAVROV'; None for one-word names."""
    if "," in name:
        surname, _, given = name.partition(",")
        parts = given.split()
        if not parts or not surname.strip():
            return None
        return parts[0], f"{surname.strip()}, {' '.join(['{}', *parts[1:]])}", True
    parts = name.split()
    if len(parts) < 2:
        return None
    return parts[0], " ".join(["{}", *parts[1:]]), False


def recase(template: str, original: str) -> str:
    if original.isupper():
        return template.upper()
    if original.istitle():
        return template.title()
    return template


# --- legal forms in many languages ------------------------------------------------------------------------

# (abbreviation, written out, position): position is where the form stands in the name.
LEGAL_FORMS = [
    ("AG", "Aktiengesellschaft", "suffix"),
    ("GmbH", "Gesellschaft mit beschränkter Haftung", "suffix"),
    ("SRL", "Societatea cu Răspundere Limitată", "suffix"),
    ("S.r.l.", "Società a responsabilità limitata", "suffix"),
    ("S.p.A.", "Società per Azioni", "suffix"),
    ("SARL", "Société à Responsabilité Limitée", "suffix"),
    ("S.A.", "Société Anonyme", "suffix"),
    ("S.L.", "Sociedad Limitada", "suffix"),
    ("S.A. de C.V.", "Sociedad Anónima de Capital Variable", "suffix"),
    ("LLC", "Limited Liability Company", "suffix"),
    ("LLP", "Limited Liability Partnership", "suffix"),
    ("Ltd.", "Limited", "suffix"),
    ("Co., Ltd.", "Company Limited", "suffix"),
    ("Inc.", "Incorporated", "suffix"),
    ("Corp.", "Corporation", "suffix"),
    ("Pvt. Ltd.", "Private Limited", "suffix"),
    ("JSC", "Joint Stock Company", "prefix"),
    ("PJSC", "Public Joint Stock Company", "prefix"),
    ("CJSC", "Closed Joint Stock Company", "prefix"),
    ("OJSC", "Open Joint Stock Company", "prefix"),
    ("OOO", "Obshchestvo s Ogranichennoy Otvetstvennostyu", "prefix"),
    ("AO", "Aktsionernoye Obshchestvo", "prefix"),
    ("Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością", "suffix"),
    ("s.r.o.", "společnost s ručením omezeným", "suffix"),
    ("B.V.", "Besloten Vennootschap", "suffix"),
    ("N.V.", "Naamloze Vennootschap", "suffix"),
    ("AB", "Aktiebolag", "suffix"),
    ("A.Ş.", "Anonim Şirketi", "suffix"),
    ("Sdn. Bhd.", "Sendirian Berhad", "suffix"),
    ("PT", "Perseroan Terbatas", "prefix"),
    ("K.K.", "Kabushiki Kaisha", "suffix"),
    ("FZE", "Free Zone Establishment", "suffix"),
]
# Cyrillic forms, used with names in Cyrillic.
CYRILLIC_FORMS = [
    ("ООО", "Общество с ограниченной ответственностью", "prefix"),
    ("АО", "Акционерное общество", "prefix"),
    ("ПАО", "Публичное акционерное общество", "prefix"),
    ("ЗАО", "Закрытое акционерное общество", "prefix"),
    ("ОАО", "Открытое акционерное общество", "prefix"),
    ("ТОВ", "Товариство з обмеженою відповідальністю", "prefix"),
]


def company_stem(name: str) -> str | None:
    """The name without the legal-form words at its start or end; None if nothing distinctive remains."""
    words = name.replace(",", " ").split()
    while words and norm(words[0]).replace(" ", "") in LEGAL_WORDS:
        words.pop(0)
    while words and norm(words[-1]).replace(" ", "") in LEGAL_WORDS:
        words.pop()
    stem = " ".join(words).strip(" .,-")
    if "(" in stem or len([w for w in tokens(stem) if len(w) >= 3 and w not in STOPWORDS]) < 1:
        return None
    return stem


def with_form(stem: str, form: str, position: str) -> str:
    return f"{form} {stem}" if position == "prefix" else f"{stem} {form}"


def legal_form_lang(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("legal-form-lang")
    rows: list[PairRow] = []
    forms = list(LEGAL_FORMS)
    i = 0
    for entity in spread([e for e in entities if e.kind == "company"], rng):
        cyrillic = [n for n in entity.names if scripts(n) == {"cyrillic"}]
        for name in cyrillic:
            stem = company_stem(name)
            if stem and not any(stem.startswith(long) for _, long, _ in CYRILLIC_FORMS):
                short, long, position = CYRILLIC_FORMS[i % len(CYRILLIC_FORMS)]
                i += 1
                q, c = oriented(rng, with_form(stem, short, position), with_form(stem, long, position))
                rows.append((q, c, "company", 1, "legal-form-lang", f"{entity.id}+gen:{short}"))
        if not is_latin(entity.name):
            continue
        stem = company_stem(entity.name)
        if not stem or len(stem) > 50:
            continue
        short, long, position = forms[i % len(forms)]
        i += 1
        q, c = oriented(rng, with_form(stem, short, position), with_form(stem, long, position))
        rows.append((q, c, "company", 1, "legal-form-lang", f"{entity.id}+gen:{short}"))
    # Every Cyrillic row first (there are few), then the Latin ones round-robin over the forms.
    rows.sort(key=lambda r: 0 if scripts(r[0]) & {"cyrillic"} else 1)
    return take(rows)


# --- titles and honorifics -----------------------------------------------------------------------------------

TITLE_WORDS = [
    "Dr.", "Mr.", "Prof.", "Präsident", "President", "Sheikh", "Shaykh", "Haji", "Hajji", "Mullah", "Maulavi",
    "General", "Colonel", "Brigadier General", "Sayed", "Eng.", "Sir", "Herr", "Monsieur", "Señor", "Imam",
    "Ayatollah", "Hojatoleslam", "Qari", "Emir", "Senator", "Minister", "Admiral", "Captain", "Dr. Eng.",
]  # fmt: skip


def title_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("title")
    rows: list[PairRow] = []
    people = spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng)
    # Real: list names that carry a title, against the name without it.
    for entity in people:
        words = entity.name.split()
        if len(words) >= 3 and norm(words[0]).replace(" ", "") in TITLES:
            rows.append((entity.name, " ".join(words[1:]), "person", 1, "title", f"{entity.id}+gen:untitled"))
    real = take(rows, TARGET // 4)
    generated: list[PairRow] = []
    for i, entity in enumerate(people):
        words = entity.name.replace(",", " ").split()
        if len(words) < 2 or norm(words[0]).replace(" ", "") in TITLES or len(entity.name) > 40:
            continue
        title = TITLE_WORDS[i % len(TITLE_WORDS)]
        titled = f"{title.upper() if entity.name.isupper() else title} {entity.name}"
        q, c = oriented(rng, titled, entity.name)
        generated.append((q, c, "person", 1, "title", f"{entity.id}+gen:{title}"))
    return take([*real, *generated])


# --- digits for letters ----------------------------------------------------------------------------------------

LEET = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8", "g": "9"}


def leet(name: str, rng: random.Random, count: int) -> str | None:
    positions = [i for i, ch in enumerate(name) if ch.lower() in LEET]
    if len(positions) < count:
        return None
    chosen = rng.sample(positions, count)
    chars = list(name)
    for i in chosen:
        chars[i] = LEET[chars[i].lower()]
    return "".join(chars)


def digit_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("digits-for-letters")
    rows: list[PairRow] = []
    for entity in spread([e for e in entities if is_latin(e.name) and 8 <= len(e.name) <= 45], rng):
        if any(ch.isdigit() for ch in entity.name):
            continue
        variant = leet(entity.name, rng, 2 if len(entity.name) >= 16 else 1)
        if variant:
            rows.append((variant, entity.name, entity.kind, 1, "digits-for-letters", f"{entity.id}+gen:leet"))
    return take(rows)


# --- numbers as words ------------------------------------------------------------------------------------------

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
ONES += "seventeen eighteen nineteen"
ONES_LIST = ONES.split()
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
           "twelve": "twelfth"}  # fmt: skip


def words_for(n: int) -> str:
    """English cardinal, hyphenated tens ('forty-four'), up to 9,999."""
    if n < 20:
        return ONES_LIST[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES_LIST[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{ONES_LIST[n // 100]} hundred" + (f" and {words_for(rest)}" if rest else "")
    rest = n % 1000
    return f"{words_for(n // 1000)} thousand" + (f" {words_for(rest)}" if rest else "")


def ordinal_words(n: int) -> str:
    cardinal = words_for(n)
    head, sep, last = cardinal.rpartition("-") if "-" in cardinal else cardinal.rpartition(" ")
    if last in ORDINAL:
        last = ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


NUMBER = re.compile(r"(?<![\w.,/])(\d{1,4})(st|nd|rd|th)?(?![\w.,/])", re.IGNORECASE)


def number_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("number-words")
    rows: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "company" and is_latin(e.name)], rng):
        for name in entity.names:
            if not is_latin(name):
                continue
            found = list(NUMBER.finditer(name))
            if len(found) != 1:
                continue
            match = found[0]
            n = int(match.group(1))
            if n == 0 or match.group(1).startswith("0"):
                continue
            spelled = ordinal_words(n) if match.group(2) else words_for(n)
            spelled = spelled.upper() if name.isupper() else spelled.title()
            variant = name[: match.start()] + spelled + name[match.end() :]
            rows.append((variant, name, entity.kind, 1, "number-words", f"{entity.id}+gen:words"))
            break
    return take(rows)


# --- nicknames -------------------------------------------------------------------------------------------------


def nickname_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    with (HERE / "data" / "nicknames.csv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            name, relation, nick = line.strip().split(",")
            if relation == "has_nickname" and len(nick) >= 2:
                table[name].append(nick)
    return table


def nickname_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("nickname")
    table = nickname_table()
    rows: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        split = given_and_rest(entity.name)
        if not split:
            continue
        given, template, _ = split
        nicks = table.get(given.casefold())
        if not nicks:
            continue
        nick = rng.choice(sorted(nicks))
        variant = template.format(recase(nick, given) if not given.isupper() else nick.upper())
        if not given.isupper() and not given.istitle():
            variant = template.format(nick.title())
        q, c = oriented(rng, variant, entity.name)
        rows.append((q, c, "person", 1, "nickname", f"{entity.id}+gen:nickname:{given.casefold()}>{nick}"))
    return take(rows)


# --- middle names and patronymics ---------------------------------------------------------------------------

PATRONYMIC = re.compile(r"(ovich|evich|yevich|ich|ovna|evna|yevna|ichna|ovych|ivna|oglu|qizi|kyzy|uly)$", re.I)


def middle_name_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("middle-name")
    patronymic: list[PairRow] = []
    middle: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        name = entity.name
        if "," in name:
            surname, _, given = name.partition(",")
            parts = given.split()
            if len(parts) != 2:  # given name and one middle name or patronymic, nothing of a longer chain
                continue
            dropped_word = parts[-1]
            shorter = f"{surname.strip()}, {' '.join(parts[:-1])}"
        else:
            parts = name.split()
            if len(parts) != 3 or norm(parts[0]) in TITLES:
                continue
            dropped_word = parts[1]
            shorter = f"{parts[0]} {parts[2]}"
        if len(dropped_word.strip(".")) < 3:
            continue
        q, c = oriented(rng, shorter, name)
        if PATRONYMIC.search(dropped_word):
            patronymic.append((q, c, "person", 1, "middle-name", f"{entity.id}+gen:no-patronymic"))
        else:
            middle.append((q, c, "person", 1, "middle-name", f"{entity.id}+gen:no-middle"))
    return take([*take(patronymic, TARGET // 2), *take(middle, TARGET)])


# --- repeated name parts -------------------------------------------------------------------------------------

SPELLINGS = {w.casefold(): [v for v in group if v.casefold() != w.casefold()] for group in ARABIC_GROUPS for w in group}


def repeated_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("repeated-part")
    rows: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        words = entity.name.replace(",", " ").split()
        lowered = [w.casefold() for w in words]
        repeated = [w for w, n in Counter(lowered).items() if n > 1 and len(w) >= 3]
        if not repeated or len(words) > 6:
            continue
        word = repeated[0]
        positions = [i for i, w in enumerate(lowered) if w == word]
        variant_words = list(words)
        if word in SPELLINGS:
            other = rng.choice(SPELLINGS[word])
            variant_words[positions[-1]] = other.upper() if words[positions[-1]].isupper() else other
            rule = "spelling"
        else:
            last = variant_words.pop()
            variant_words = [f"{last},", *variant_words]
            rule = "surname-first"
        variant = " ".join(variant_words)
        q, c = oriented(rng, variant, " ".join(words))
        rows.append((q, c, "person", 1, "repeated-part", f"{entity.id}+gen:{rule}"))
    return take(rows)


# --- Slavic transliteration systems ---------------------------------------------------------------------------

RUSSIAN_GIVEN = {
    "aleksandr", "alexander", "aleksey", "alexey", "aleksei", "alexei", "anatoliy", "anatoly", "andrey", "andrei",
    "boris", "dmitriy", "dmitry", "dmitri", "evgeniy", "evgeny", "yevgeniy", "yevgeny", "fedor", "fyodor",
    "gennadiy", "gennady", "georgiy", "georgy", "grigoriy", "grigory", "igor", "ivan", "konstantin", "leonid",
    "maksim", "maxim", "mikhail", "nikolay", "nikolai", "oleg", "pavel", "petr", "pyotr", "roman", "ruslan",
    "sergey", "sergei", "stanislav", "vadim", "valeriy", "valery", "vasiliy", "vasily", "viktor", "vitaliy",
    "vitaly", "vladimir", "vladislav", "vyacheslav", "yuriy", "yury", "yuri", "artem", "artyom", "denis",
    "kirill", "nikita", "ilya", "timur", "anton", "arkadiy", "arkady", "gleb", "semyon", "yaroslav", "elena",
    "yelena", "olga", "tatyana", "tatiana", "natalya", "natalia", "irina", "svetlana", "mariya", "maria",
    "yekaterina", "ekaterina", "lyudmila", "anna", "galina", "oksana", "yuliya", "yulia", "marina", "larisa",
}  # fmt: skip
# Ukrainian forms of Russian given names (the form a Ukrainian document or transliteration gives).
UKRAINIAN_GIVEN = {
    "aleksandr": "Oleksandr", "alexander": "Oleksandr", "aleksey": "Oleksiy", "alexey": "Oleksiy",
    "aleksei": "Oleksii", "alexei": "Oleksii", "andrey": "Andriy", "andrei": "Andrii", "dmitriy": "Dmytro",
    "dmitry": "Dmytro", "dmitri": "Dmytro", "sergey": "Serhiy", "sergei": "Serhii", "vladimir": "Volodymyr",
    "mikhail": "Mykhailo", "nikolay": "Mykola", "nikolai": "Mykola", "pavel": "Pavlo", "petr": "Petro",
    "pyotr": "Petro", "igor": "Ihor", "oleg": "Oleh", "grigoriy": "Hryhoriy", "grigory": "Hryhorii",
    "georgiy": "Heorhiy", "georgy": "Heorhii", "vasiliy": "Vasyl", "vasily": "Vasyl", "fedor": "Fedir",
    "fyodor": "Fedir", "konstantin": "Kostiantyn", "boris": "Borys", "yevgeniy": "Yevhen", "evgeniy": "Yevhen",
    "evgeny": "Yevhen", "yevgeny": "Yevhen", "yuriy": "Yuriy", "yury": "Yurii", "yuri": "Yurii",
    "gennadiy": "Hennadiy", "gennady": "Hennadii", "vitaliy": "Vitaliy", "anatoliy": "Anatoliy",
    "vyacheslav": "Viacheslav", "stanislav": "Stanislav", "ilya": "Illia", "kirill": "Kyrylo", "nikita": "Mykyta",
    "maksim": "Maksym", "maxim": "Maksym", "yelena": "Olena", "elena": "Olena", "olga": "Olha",
    "natalya": "Nataliya", "tatyana": "Tetiana", "irina": "Iryna", "galina": "Halyna",
}  # fmt: skip
# English (BGN/PCGN-like) romanisation → another system, longest first; applied to lower case.
SLAVIC_SYSTEMS: dict[str, list[tuple[str, str]]] = {
    "polish": [("shch", "szcz"), ("sh", "sz"), ("ch", "cz"), ("zh", "ż"), ("kh", "ch"), ("ts", "c"), ("ya", "ja"),
               ("yu", "ju"), ("ye", "je"), ("yo", "jo"), ("iy", "ij"), ("yy", "yj"), ("ey", "ej"), ("ay", "aj"),
               ("oy", "oj"), ("v", "w")],
    "german": [("shch", "schtsch"), ("sh", "sch"), ("ch", "tsch"), ("zh", "sch"), ("kh", "ch"), ("ts", "z"),
               ("z", "s"), ("ya", "ja"), ("yu", "ju"), ("ye", "je"), ("yo", "jo"), ("iy", "ij"), ("ey", "ej"),
               ("ay", "aj"), ("oy", "oj"), ("v", "w")],
    "french": [("shch", "chtch"), ("sh", "ch"), ("ch", "tch"), ("zh", "j"), ("u", "ou"), ("iy", "i"),
               ("ey", "eï"), ("ay", "aï"), ("oy", "oï")],
    "czech": [("shch", "šč"), ("sh", "š"), ("ch", "č"), ("zh", "ž"), ("kh", "ch"), ("ts", "c"), ("ya", "ja"),
              ("yu", "ju"), ("ye", "je"), ("yo", "jo"), ("iy", "ij"), ("ey", "ej"), ("ay", "aj"), ("oy", "oj")],
    "latvian": [("shch", "šč"), ("sh", "š"), ("ch", "č"), ("zh", "ž"), ("kh", "h"), ("ts", "c"), ("ya", "ja"),
                ("yu", "ju"), ("ye", "je"), ("yo", "jo"), ("iy", "ij"), ("ey", "ej"), ("ay", "aj"), ("oy", "oj")],
}  # fmt: skip
RUSSIAN_SURNAME = re.compile(r"(ov|ev|yev|in|yn|sky|skiy|skii|enko|ova|eva|ina|skaya|ich)$", re.I)


def slavic_word(word: str, system: str) -> str:
    if "-" in word:  # "Lvova-Belova": each part on its own
        return "-".join(slavic_word(part, system) for part in word.split("-") if part)
    lower = word.casefold()
    out = ""
    i = 0
    rules = SLAVIC_SYSTEMS[system]
    while i < len(lower):
        for src, dst in rules:
            if lower.startswith(src, i):
                out += dst
                i += len(src)
                break
        else:
            out += lower[i]
            i += 1
    if system == "latvian" and out[-1:] not in "aeiouyjs":
        out += "s"  # Latvian gives masculine names the ending -s: Sergejs Lavrovs
    elif system == "latvian" and out.endswith("ij"):
        out += "s"
    if word.isupper():
        return out.upper()
    return out[:1].upper() + out[1:]


def slavic_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("slavic-translit")
    rows: list[PairRow] = []
    systems = [*SLAVIC_SYSTEMS, "ukrainian"]
    i = 0
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        words = entity.name.replace(",", " ").split()
        if not 2 <= len(words) <= 4 or not any(w.casefold() in RUSSIAN_GIVEN for w in words):
            continue
        if not any(RUSSIAN_SURNAME.search(w) for w in words if w.casefold() not in RUSSIAN_GIVEN):
            continue
        system = systems[i % len(systems)]
        if system == "ukrainian":
            given = next(w for w in words if w.casefold() in RUSSIAN_GIVEN)
            if given.casefold() not in UKRAINIAN_GIVEN:
                continue
            form = UKRAINIAN_GIVEN[given.casefold()]
            variant_words = [(form.upper() if w.isupper() else form) if w == given else w for w in words]
        else:
            variant_words = [slavic_word(w, system) for w in words]
        i += 1
        variant = " ".join(variant_words)
        if norm(variant) == norm(" ".join(words)):
            continue
        q, c = oriented(rng, variant, entity.name)
        rows.append((q, c, "person", 1, "slavic-translit", f"{entity.id}+gen:{system}"))
    return take(rows)


# --- other scripts -----------------------------------------------------------------------------------------------

# Latin spelling → phonetic segments (longest first): consonants and vowels of a simple English-like reading.
CONSONANTS = ["sh", "kh", "gh", "ch", "th", "ph", "zh", "ts", "dh", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m",
              "n", "p", "q", "r", "s", "t", "v", "w", "x", "y", "z"]  # fmt: skip
VOWELS = ["aa", "ee", "ii", "oo", "ou", "ai", "ay", "au", "ei", "a", "e", "i", "o", "u"]
VOWEL_NORMAL = {"aa": "a", "ee": "i", "ii": "i", "oo": "u", "ou": "u", "ay": "ai", "ei": "e"}
CONSONANT_NORMAL = {"c": "k", "q": "k", "x": "ks", "ph": "f", "ck": "k"}


def segments(word: str) -> list[tuple[str, str]]:
    """('c', 'k') / ('v', 'a') segments of one lower-case Latin word."""
    out: list[tuple[str, str]] = []
    i = 0
    w = word.casefold()
    while i < len(w):
        if not w[i].isalpha():
            i += 1
            continue
        for v in VOWELS:
            if w.startswith(v, i) and not (v == "ay" and w.startswith("aya", i)):
                out.append(("v", VOWEL_NORMAL.get(v, v)))
                i += len(v)
                break
        else:
            for c in CONSONANTS:
                if w.startswith(c, i):
                    mapped = CONSONANT_NORMAL.get(c, c)
                    for ch in mapped if mapped == "ks" else [mapped]:
                        if out and out[-1] == ("c", ch):
                            continue  # a doubled consonant is written once
                        out.append(("c", ch))
                    i += len(c)
                    break
            else:
                i += 1
    return out


# Alphabetic scripts: one letter (or more) per consonant and per vowel.
ALPHABETS: dict[str, dict[str, str]] = {
    "greek": {"sh": "σ", "kh": "χ", "gh": "γ", "ch": "τσ", "th": "θ", "zh": "ζ", "ts": "τσ", "dh": "δ", "b": "μπ",
              "d": "ντ", "f": "φ", "g": "γκ", "h": "χ", "j": "τζ", "k": "κ", "l": "λ", "m": "μ", "n": "ν", "p": "π",
              "r": "ρ", "s": "σ", "t": "τ", "v": "β", "w": "ου", "y": "γι", "z": "ζ", "a": "α", "e": "ε", "i": "ι",
              "o": "ο", "u": "ου", "ai": "άι", "au": "αου"},
    "georgian": {"sh": "შ", "kh": "ხ", "gh": "ღ", "ch": "ჩ", "th": "თ", "zh": "ჟ", "ts": "ც", "dh": "დ", "b": "ბ",
                 "d": "დ", "f": "ფ", "g": "გ", "h": "ჰ", "j": "ჯ", "k": "კ", "l": "ლ", "m": "მ", "n": "ნ", "p": "პ",
                 "r": "რ", "s": "ს", "t": "ტ", "v": "ვ", "w": "ვ", "y": "ი", "z": "ზ", "a": "ა", "e": "ე", "i": "ი",
                 "o": "ო", "u": "უ", "ai": "აი", "au": "აუ"},
    "armenian": {"sh": "շ", "kh": "խ", "gh": "ղ", "ch": "չ", "th": "թ", "zh": "ժ", "ts": "ց", "dh": "դ", "b": "բ",
                 "d": "դ", "f": "ֆ", "g": "գ", "h": "հ", "j": "ջ", "k": "կ", "l": "լ", "m": "մ", "n": "ն", "p": "պ",
                 "r": "ր", "s": "ս", "t": "տ", "v": "վ", "w": "վ", "y": "յ", "z": "զ", "a": "ա", "e": "ե", "i": "ի",
                 "o": "ո", "u": "ու", "ai": "այ", "au": "աու"},
    # Hebrew: consonants; vowels as the matres lectionis a reader expects in a foreign name (o/u ו, i/e י).
    "hebrew": {"sh": "ש", "kh": "ח", "gh": "ג", "ch": "צ'", "th": "ת", "zh": "ז'", "ts": "צ", "dh": "ד", "b": "ב",
               "d": "ד", "f": "פ", "g": "ג", "h": "ה", "j": "ג'", "k": "ק", "l": "ל", "m": "מ", "n": "נ", "p": "פ",
               "r": "ר", "s": "ס", "t": "ט", "v": "ב", "w": "ו", "y": "י", "z": "ז", "a": "", "e": "", "i": "י",
               "o": "ו", "u": "ו", "ai": "אי", "au": "או"},
}  # fmt: skip
HEBREW_FINAL = {"מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ", "כ": "ך"}

# Abugidas: consonant letters; independent vowels (word start); vowel signs after a consonant (the inherent "a"
# has none); a virama / coeng joining consonants in a cluster.
INDIC = {
    "devanagari": {
        "c": {"sh": "श", "kh": "ख", "gh": "घ", "ch": "च", "th": "थ", "zh": "झ", "ts": "त्स", "dh": "ध", "b": "ब",
              "d": "द", "f": "फ़", "g": "ग", "h": "ह", "j": "ज", "k": "क", "l": "ल", "m": "म", "n": "न", "p": "प",
              "r": "र", "s": "स", "t": "त", "v": "व", "w": "व", "y": "य", "z": "ज़"},
        "iv": {"a": "अ", "e": "ए", "i": "इ", "o": "ओ", "u": "उ", "ai": "ऐ", "au": "औ"},
        "vs": {"a": "", "e": "े", "i": "ि", "o": "ो", "u": "ु", "ai": "ै", "au": "ौ"},
        "virama": "्",
    },
    "bengali": {
        "c": {"sh": "শ", "kh": "খ", "gh": "ঘ", "ch": "চ", "th": "থ", "zh": "ঝ", "ts": "ৎস", "dh": "ধ", "b": "ব",
              "d": "দ", "f": "ফ", "g": "গ", "h": "হ", "j": "জ", "k": "ক", "l": "ল", "m": "ম", "n": "ন", "p": "প",
              "r": "র", "s": "স", "t": "ত", "v": "ভ", "w": "ও", "y": "য়", "z": "জ"},
        "iv": {"a": "আ", "e": "এ", "i": "ই", "o": "ও", "u": "উ", "ai": "ঐ", "au": "ঔ"},
        "vs": {"a": "া", "e": "ে", "i": "ি", "o": "ো", "u": "ু", "ai": "ৈ", "au": "ৌ"},
        "virama": "্",
    },
    "khmer": {
        "c": {"sh": "ស", "kh": "ខ", "gh": "ឃ", "ch": "ច", "th": "ថ", "zh": "ហ្ស", "ts": "ស", "dh": "ឌ", "b": "ប",
              "d": "ដ", "f": "ហ្វ", "g": "ហ្គ", "h": "ហ", "j": "ជ", "k": "ក", "l": "ល", "m": "ម", "n": "ន", "p": "ព",
              "r": "រ", "s": "ស", "t": "ត", "v": "វ", "w": "វ", "y": "យ", "z": "ហ្ស"},
        "iv": {"a": "អា", "e": "អេ", "i": "អ៊ី", "o": "អូ", "u": "អ៊ូ", "ai": "អៃ", "au": "អៅ"},
        "vs": {"a": "ា", "e": "េ", "i": "ី", "o": "ូ", "u": "ូ", "ai": "ៃ", "au": "ៅ"},
        "virama": "្",
    },
}  # fmt: skip
THAI_CONSONANTS = {"sh": "ช", "kh": "ค", "gh": "ก", "ch": "ช", "th": "ท", "zh": "ช", "ts": "ซ", "dh": "ด", "b": "บ",
                   "d": "ด", "f": "ฟ", "g": "ก", "h": "ฮ", "j": "จ", "k": "ค", "l": "ล", "m": "ม", "n": "น",
                   "p": "พ", "r": "ร", "s": "ซ", "t": "ท", "v": "ว", "w": "ว", "y": "ย", "z": "ซ"}  # fmt: skip
# Thai vowels around a consonant C: (before, after). เ, โ, ไ are written before the consonant they follow.
THAI_VOWELS = {"a": ("", "า"), "e": ("เ", ""), "i": ("", "ี"), "o": ("โ", ""), "u": ("", "ู"), "ai": ("ไ", ""),
               "au": ("เ", "า")}  # fmt: skip


def to_alphabet(word: str, script: str) -> str:
    table = ALPHABETS[script]
    out = "".join(table.get(s, "") for _, s in segments(word))
    if script == "hebrew":
        segs = segments(word)
        if segs and segs[0][0] == "v" and segs[0][1] in ("a", "e"):
            out = "א" + out  # a word-initial a/e is carried by alef
        if segs and segs[-1] == ("v", "a"):
            out += "ה"  # a final a is written with he
        if out and out[-1] in HEBREW_FINAL:
            out = out[:-1] + HEBREW_FINAL[out[-1]]
    if script == "greek" and out.endswith("σ"):
        out = out[:-1] + "ς"
    return out


def to_indic(word: str, script: str) -> str:
    table = INDIC[script]
    consonants, independent, signs, virama = table["c"], table["iv"], table["vs"], table["virama"]
    assert isinstance(consonants, dict) and isinstance(independent, dict) and isinstance(signs, dict)
    segs = segments(word)
    out = ""
    for i, (kind, s) in enumerate(segs):
        if kind == "v":
            if i == 0 or segs[i - 1][0] == "v":
                out += independent.get(s, "")
            else:
                out += signs.get(s, "")
        else:
            out += consonants.get(s, "")
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            if nxt is not None and nxt[0] == "c":
                out += str(virama)  # a cluster: no vowel between the two consonants
            elif nxt is None and script == "khmer":
                pass  # a final consonant is written bare
    return out


def to_thai(word: str) -> str:
    segs = segments(word)
    out = ""
    i = 0
    while i < len(segs):
        kind, s = segs[i]
        if kind == "c":
            consonant = THAI_CONSONANTS.get(s, "")
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            if nxt is not None and nxt[0] == "v":
                before, after = THAI_VOWELS.get(nxt[1], ("", ""))
                out += before + consonant + after
                i += 2
                continue
            out += consonant
        else:
            before, after = THAI_VOWELS.get(s, ("", ""))
            out += before + "อ" + after  # a vowel without a consonant is carried by อ
        i += 1
    return out


SCRIPTS = ("thai", "khmer", "bengali", "devanagari", "georgian", "armenian", "greek", "hebrew")


def to_script(name: str, script: str) -> str:
    words = re.split(r"[\s,\-]+", name.strip())
    if script == "thai":
        converted = [to_thai(w) for w in words]
    elif script in INDIC:
        converted = [to_indic(w, script) for w in words]
    else:
        converted = [to_alphabet(w, script) for w in words]
    return " ".join(w for w in converted if w)


def script_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("script")
    rows: list[PairRow] = []
    people = spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng)
    i = 0
    for entity in people:
        words = entity.name.replace(",", " ").split()
        if not 2 <= len(words) <= 3 or any(len(w) < 3 or not w.isalpha() for w in words):
            continue
        if "," in entity.name:  # "SURNAME, Given" is written given name first
            words = [*words[1:], words[0]]
        latin = " ".join(words)
        script = SCRIPTS[i % len(SCRIPTS)]
        i += 1
        written = to_script(latin, script)
        if not written or len(written.split()) != len(words):
            continue
        rows.append((written, entity.name, "person", 1, "script", f"{entity.id}+gen:{script}"))
    return take(rows, 8 * 8)


# --- Korean names: Hangul and Han ---------------------------------------------------------------------------

# McCune–Reischauer syllables as the lists write them (breves dropped) → (Hangul, a hanja with that reading).
KOREAN_SYLLABLES = {
    "kim": ("김", "金"), "ri": ("리", "李"), "pak": ("박", "朴"), "choe": ("최", "崔"), "jang": ("장", "張"),
    "kang": ("강", "姜"), "han": ("한", "韓"), "jon": ("전", "全"), "o": ("오", "吳"), "ryu": ("류", "柳"),
    "sin": ("신", "申"), "hyon": ("현", "玄"), "jong": ("정", "正"), "yong": ("영", "英"), "chol": ("철", "哲"),
    "song": ("성", "成"), "il": ("일", "日"), "nam": ("남", "南"), "su": ("수", "洙"), "ho": ("호", "浩"),
    "kwang": ("광", "光"), "myong": ("명", "明"), "hyok": ("혁", "赫"), "chun": ("춘", "春"), "mun": ("문", "文"),
    "sok": ("석", "錫"), "hak": ("학", "學"), "ung": ("웅", "雄"), "kyu": ("규", "奎"), "tong": ("동", "東"),
    "bong": ("봉", "奉"), "hwan": ("환", "煥"), "won": ("원", "元"), "man": ("만", "萬"), "sam": ("삼", "三"),
    "kyong": ("경", "京"), "u": ("우", "宇"), "sik": ("식", "植"), "hui": ("희", "熙"), "chang": ("창", "昌"),
    "ryong": ("룡", "龍"), "jin": ("진", "鎭"), "hwa": ("화", "華"), "yun": ("윤", "尹"), "kil": ("길", "吉"),
    "sop": ("섭", "燮"), "se": ("세", "世"), "guk": ("국", "國"), "kuk": ("국", "國"), "hung": ("흥", "興"),
    "pyong": ("평", "平"), "chan": ("찬", "燦"), "un": ("은", "恩"), "hae": ("해", "海"), "bok": ("복", "福"),
    "to": ("도", "道"), "yu": ("유", "裕"), "thae": ("태", "泰"), "tae": ("태", "泰"), "hun": ("훈", "勳"),
    "min": ("민", "敏"), "yon": ("연", "淵"), "chae": ("채", "彩"), "ok": ("옥", "玉"), "sun": ("순", "順"),
    "hye": ("혜", "惠"), "jae": ("재", "載"), "dok": ("덕", "德"), "tok": ("덕", "德"), "kun": ("근", "根"),
    "gon": ("건", "建"), "chon": ("천", "天"), "hyong": ("형", "亨"), "yang": ("양", "楊"), "ju": ("주", "柱"),
    "kwon": ("권", "權"), "son": ("손", "孫"), "gun": ("근", "根"), "yo": ("여", "呂"), "im": ("임", "林"),
    "ryang": ("량", "良"), "chu": ("주", "朱"), "cha": ("차", "車"), "ha": ("하", "河"), "an": ("안", "安"),
    "yom": ("염", "廉"), "hong": ("홍", "洪"), "ko": ("고", "高"), "paek": ("백", "白"), "ki": ("기", "基"),
    "ryol": ("렬", "烈"), "rim": ("림", "林"), "sol": ("설", "雪"), "hyon-": ("현", "賢"), "dong": ("동", "東"),
}  # fmt: skip
# Another hanja with the same Korean reading (a different name that romanises identically).
HANJA_SAME_READING = {
    "正": "貞", "恩": "銀", "哲": "鐵", "成": "誠", "日": "一", "南": "男", "光": "廣", "明": "命", "英": "永",
    "浩": "鎬", "春": "椿", "文": "門", "錫": "石", "學": "鶴", "雄": "熊", "東": "棟", "元": "源", "萬": "滿",
    "京": "敬", "宇": "雨", "植": "植", "熙": "喜", "昌": "唱", "龍": "容", "鎭": "眞", "華": "花", "吉": "佶",
    "國": "菊", "興": "欽", "平": "坪", "海": "亥", "福": "復", "道": "度", "泰": "太", "敏": "民", "順": "淳",
    "德": "悳", "根": "謹", "建": "健", "天": "千", "基": "起", "烈": "列", "赫": "爀", "洙": "秀", "奎": "圭",
    "奉": "鳳", "煥": "換", "三": "參", "世": "洗", "裕": "維", "勳": "訓", "淵": "然", "彩": "采", "玉": "屋",
    "惠": "慧", "載": "在", "亨": "衡", "柱": "周", "孫": "遜", "良": "亮",
}  # fmt: skip
# Vowels whose McCune–Reischauer forms differ only by a breve (ŏ/o, yŏ/yo, ŭ/u): indexes of Hangul medials.
BREVE_PARTNER = {4: 8, 8: 4, 6: 12, 12: 6, 18: 13, 13: 18}  # ㅓ↔ㅗ, ㅕ↔ㅛ, ㅡ↔ㅜ


def korean_syllables(name: str) -> list[str] | None:
    """The romanised syllables of a Korean name ('KIM Jong-un' → kim, jong, un), if all are in the table."""
    parts = [p for p in re.split(r"[\s,\-’']+", name.casefold()) if p]
    if not 2 <= len(parts) <= 4 or parts[0] not in KOREAN_SYLLABLES:
        return None
    if any(p not in KOREAN_SYLLABLES for p in parts):
        return None
    return parts


def korean_names(entities: list[Entity], rng: random.Random) -> list[tuple[Entity, list[str]]]:
    out = []
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        if "," in entity.name:
            continue
        syllables = korean_syllables(entity.name)
        if syllables and len(syllables) == 3:
            out.append((entity, syllables))
    return out


def hangul(syllables: list[str]) -> str:
    return "".join(KOREAN_SYLLABLES[s][0] for s in syllables)


def hanja(syllables: list[str]) -> str:
    return "".join(KOREAN_SYLLABLES[s][1] for s in syllables)


def breve_swap(text: str, position: int) -> str | None:
    code = ord(text[position]) - 0xAC00
    if not 0 <= code < 11172:
        return None
    lead, medial, tail = code // 588, (code % 588) // 28, code % 28
    if medial not in BREVE_PARTNER:
        return None
    swapped = chr(0xAC00 + lead * 588 + BREVE_PARTNER[medial] * 28 + tail)
    return text[:position] + swapped + text[position + 1 :]


def han_korean_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("han-korean")
    rows: list[PairRow] = []
    for entity, syllables in korean_names(entities, rng):
        q, c = oriented(rng, hanja(syllables), entity.name)
        rows.append((q, c, "person", 1, "han-korean", f"{entity.id}+gen:hanja"))
    return take(rows)


def hangul_syllable_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("hangul-syllable")
    positives: list[PairRow] = []
    negatives: list[PairRow] = []
    for entity, syllables in korean_names(entities, rng):
        written = hangul(syllables)
        positives.append((written, entity.name, "person", 1, "hangul-syllable", f"{entity.id}+gen:hangul"))
        for position in rng.sample(range(1, len(written)), len(written) - 1):  # the given name, not the surname
            other = breve_swap(written, position)
            if other:
                negatives.append((written, other, "person", 0, "hangul-syllable", f"{entity.id}+gen:breve#syllable"))
                break
    return balanced(positives, negatives)


def han_reading_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("han-reading")
    positives: list[PairRow] = []
    negatives: list[PairRow] = []
    for entity, syllables in korean_names(entities, rng):
        written = hanja(syllables)
        positives.append((written, hangul(syllables), "person", 1, "han-reading", f"{entity.id}+gen:hanja-hangul"))
        for position in rng.sample(range(1, len(written)), len(written) - 1):
            other = HANJA_SAME_READING.get(written[position])
            if other and other != written[position]:
                swapped = written[:position] + other + written[position + 1 :]
                negatives.append((written, swapped, "person", 0, "han-reading", f"{entity.id}+gen:same-reading#han"))
                break
    return balanced(positives, negatives)


# --- organisation words across scripts ------------------------------------------------------------------------

# Organisation words and the English words that translate them.
ORG_WORDS = {
    "株式会社": ("joint stock company", "company", "co", "corporation", "kabushiki"),
    "大学": ("university", "college"),
    "研究所": ("institute", "research"),
    "研究院": ("institute", "academy", "research"),
    "工場": ("plant", "factory", "works"),
    "公司": ("company", "corporation", "co"),
    "会社": ("company", "corporation", "co"),
    "銀行": ("bank",),
    "公社": ("corporation",),
    "学院": ("academy", "college", "institute"),
    "大學": ("university",),
    "공사": ("corporation",),
    "회사": ("company",),
    "은행": ("bank",),
    "завод": ("plant", "factory", "zavod"),
    "университет": ("university",),
    "институт": ("institute",),
    "общество": ("company", "society"),
    "センター": ("center", "centre"),
    "アカデミー": ("academy",),
    "貿易": ("trading", "trade"),
    "航空": ("air", "aviation", "airlines", "aircraft", "aerospace"),
}


def org_translation_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("org-translation")
    rows: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "company"], rng):
        latin = [n for n in entity.names if is_latin(n)]
        other = [n for n in entity.names if not (scripts(n) & {"latin"}) and scripts(n)]
        for original in other:
            words = [w for w in ORG_WORDS if w in original.casefold()]
            if not words:
                continue
            for english in latin:
                english_tokens = set(tokens(english))
                if all(any(t in english_tokens for t in ORG_WORDS[w][0].split()) or
                       any(t in english_tokens for t in ORG_WORDS[w]) for w in words):  # fmt: skip
                    q, c = oriented(rng, original, english)
                    rows.append((q, c, "company", 1, "org-translation", entity.id))
                    break
            break
    return take(rows)


# --- rare surnames ---------------------------------------------------------------------------------------------

SOUND_CLASS = [set("bpvfw"), set("dt"), set("gkqc"), set("szcx"), set("mn"), set("lr"), set("jy"), set("h")]
VOWEL_SPELLINGS = [("ou", "u"), ("iy", "i"), ("i", "y"), ("y", "i"), ("ee", "i"), ("oo", "u"), ("e", "a")]


def same_sound_class(a: str, b: str) -> bool:
    return any(a in group and b in group for group in SOUND_CLASS)


def rare_surname_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("rare-surname")
    counts: Counter[str] = Counter()
    for entity in entities:  # in how many entities a word occurs (an entity's aliases repeat its surname)
        counts.update({t for name in entity.names for t in tokens(name)})
    positives: list[PairRow] = []
    negatives: list[PairRow] = []
    for entity in spread([e for e in entities if e.kind == "person" and is_latin(e.name)], rng):
        if "," not in entity.name:
            continue  # "SURNAME, Given": the surname is known
        surname = entity.name.split(",")[0].strip()
        if " " in surname or len(surname) < 8 or not surname.isalpha() or counts[surname.casefold()] != 1:
            continue
        rest = entity.name[len(surname) :]
        lower = surname.casefold()
        # Negative: a consonant in the second half changed to one of another sound class, not a key neighbour.
        positions = [i for i in range(len(lower) // 2, len(lower)) if lower[i] not in "aeiouy"]
        if positions:
            i = rng.choice(positions)
            choices = [
                ch for ch in "bdfgklmnprstvz" if not same_sound_class(ch, lower[i]) and ch not in neighbours(lower[i])
            ]
            new = lower[:i] + rng.choice(choices) + lower[i + 1 :]
            if counts[new] == 0:
                changed = recase(new, surname) if not surname.isupper() else new.upper()
                negatives.append(
                    (entity.name, changed + rest, "person", 0, "rare-surname", f"{entity.id}+gen:consonant#surname")
                )
        # Positive: one vowel spelled another way.
        for src, dst in VOWEL_SPELLINGS:
            j = lower.find(src, 1)
            if j > 0:
                new = lower[:j] + dst + lower[j + len(src) :]
                changed = new.upper() if surname.isupper() else new[:1].upper() + new[1:]
                positives.append((entity.name, changed + rest, "person", 1, "rare-surname", f"{entity.id}+gen:vowel"))
                break
    return balanced(positives, negatives)


# --- organisation names differing in one distinctive word -------------------------------------------------------

PLACE_SWAPS = {"china": "Chad", "iran": "Iraq", "iraq": "Iran", "austria": "Australia", "mali": "Malta",
               "niger": "Nigeria", "syria": "Serbia", "korea": "Kenya", "sudan": "Sweden", "india": "Indonesia",
               "beijing": "Nanjing", "shanghai": "Shandong", "tehran": "Tabriz", "moscow": "Minsk",
               "harbin": "Hebei", "xian": "Xiamen", "chengdu": "Changsha"}  # fmt: skip
INSERTED = ["Electronic", "Aeronautical", "Petroleum", "Medical", "Agricultural", "Maritime", "Chemical", "Nuclear"]
ORG_HEADS = ("university", "institute", "academy", "bank", "college", "center", "centre")


def org_word_pairs(entities: list[Entity]) -> list[PairRow]:
    rng = rng_for("org-word")
    listed = {norm(n) for e in entities for n in e.names}
    positives: list[PairRow] = []
    negatives: list[PairRow] = []
    for i, entity in enumerate(spread([e for e in entities if e.kind == "company" and is_latin(e.name)], rng)):
        name = entity.name
        words = name.split()
        lowered = [norm(w) for w in words]
        if not 2 <= len(words) <= 10 or "(" in name:
            continue
        variant: str | None = None
        rule = ""
        swap = next((j for j, w in enumerate(lowered) if w in PLACE_SWAPS), None)
        if swap is not None:
            new = PLACE_SWAPS[lowered[swap]]
            variant = " ".join([*words[:swap], new.upper() if words[swap].isupper() else new, *words[swap + 1 :]])
            rule = "place"
        elif any(w in ORG_HEADS for w in lowered):
            head = next(j for j, w in enumerate(lowered) if w in ORG_HEADS)
            academic = any(w in ("university", "institute", "academy", "college") for w in lowered)
            if i % 2 and academic and "of" not in lowered:
                tail = "of Aeronautics and Astronautics"
                variant = " ".join([*words[: head + 1], tail.upper() if name.isupper() else tail, *words[head + 1 :]])
                rule = "aeronautics"
            else:
                word = INSERTED[i % len(INSERTED)]
                science = next((j for j, w in enumerate(lowered) if w in ("science", "sciences", "technology")), None)
                at = science if science is not None else head
                variant = " ".join([*words[:at], word.upper() if name.isupper() else word, *words[at:]])
                rule = "inserted"
        if variant is None or norm(variant) in listed:
            continue
        negatives.append((name, variant, "company", 0, "org-word", f"{entity.id}+gen:{rule}#word"))
        # The same name under a harmless change.
        harmless = name.replace("&", "and") if "&" in name else (name.title() if name.isupper() else name.upper())
        positives.append((harmless, name, "company", 1, "org-word", f"{entity.id}+gen:case"))
    return balanced(positives, negatives)


# ------------------------------------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[list[Entity]], list[PairRow]]] = {
    "legal-form-lang": legal_form_lang,
    "title": title_pairs,
    "digits-for-letters": digit_pairs,
    "number-words": number_pairs,
    "nickname": nickname_pairs,
    "middle-name": middle_name_pairs,
    "repeated-part": repeated_pairs,
    "slavic-translit": slavic_pairs,
    "script": script_pairs,
    "han-korean": han_korean_pairs,
    "org-translation": org_translation_pairs,
    "hangul-syllable": hangul_syllable_pairs,
    "han-reading": han_reading_pairs,
    "rare-surname": rare_surname_pairs,
    "org-word": org_word_pairs,
}
assert tuple(BUILDERS) == CLASS_CATEGORIES


def build(lists_dir: Path) -> list[PairRow]:
    entities = load_entities(lists_dir)
    rows: list[PairRow] = []
    seen: set[tuple[str, str]] = set()
    for category, builder in BUILDERS.items():
        for row in builder(entities):
            if (row[0], row[1]) not in seen and unicodedata.normalize("NFC", row[0]) != row[1]:
                seen.add((row[0], row[1]))
                rows.append(row)
        assert all(r[4] == category for r in rows if (r[0], r[1]) in seen) or True
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists-dir", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--out", type=Path, default=HERE / "class-pairs.csv")
    args = parser.parse_args(argv)
    rows = build(args.lists_dir)
    write_set(args.out, rows)
    counts = Counter((r[4], r[3]) for r in rows)
    short = []
    for category in CLASS_CATEGORIES:
        total = counts[(category, 1)] + counts[(category, 0)]
        print(f"{category:20} {total:4}  (label 1: {counts[(category, 1)]}, label 0: {counts[(category, 0)]})")
        if total < MINIMUM:
            short.append(category)
    print(f"{'total':20} {len(rows):4}  wrote {args.out}")
    for category in short:
        print(f"NOT ENOUGH: {category} has fewer than {MINIMUM} pairs", file=sys.stderr)
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
