"""Normalisation, legal forms and romanisation of party names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.screening.names import expand_names, forms, normalise, split_legal_form
from exportctl.screening.translit import consonant_skeleton, hangul_variants, kana_variants, pinyin, scripts


def tokens(name: str, kind: str = "company") -> set[tuple[str, ...]]:
    return {form.tokens for form in forms(name, kind)}


def legal(name: str) -> set[str | None]:
    return {form.legal for form in forms(name)}


@pytest.mark.parametrize(
    ("written", "stem", "form"),
    [
        ("Hanbit Semiconductor Co., Ltd.", ("hanbit", "semiconductor"), "ltd"),
        ("HANBIT SEMICONDUCTOR COMPANY LIMITED", ("hanbit", "semiconductor"), "ltd"),
        ("Romashka LLC", ("romashka",), "llc"),
        ("OOO Romashka", ("romashka",), "llc"),
        ("ООО Ромашка", ("romashka",), "llc"),
        ("Siemens GmbH", ("siemens",), "llc"),
        ("Toshiba K.K.", ("toshiba",), "kk"),
        ("Toshiba Kabushiki Kaisha", ("toshiba",), "kk"),
        ("JSC Rosoboronexport", ("rosoboronexport",), "jsc"),
    ],
)
def test_legal_forms_are_set_aside_as_a_class(written: str, stem: tuple[str, ...], form: str) -> None:
    assert stem in tokens(written)
    assert form in legal(written)


@pytest.mark.parametrize("written", ["株式会社東芝", "(株)東芝", "㈱東芝", "東芝株式会社"])
def test_japanese_legal_forms(written: str) -> None:
    assert legal(written) == {"kk"}
    assert ("toushiba",) in tokens(written)


def test_korean_and_chinese_legal_forms() -> None:
    assert legal("한빛반도체 주식회사") == {"kk"}
    assert "ltd" in legal("华为技术有限公司")
    assert "jsc" in legal("中兴通讯股份有限公司")


def test_a_name_that_is_only_a_legal_form_keeps_its_token() -> None:
    assert split_legal_form(["co"]) == (["co"], None)


def test_normalise_folds_width_case_and_punctuation() -> None:
    assert normalise("ＤＥＳ　International Co., Ltd.") == "des international co ltd"


def test_scripts() -> None:
    assert scripts("김정은") == {"hangul"}
    assert scripts("キム・ジョンウン") == {"kana"}
    assert scripts("株式会社東芝") == {"han"}
    assert scripts("محمد") == {"arabic"}
    assert scripts("Ромашка") == {"cyrillic"}


def test_hangul_romanisations() -> None:
    """김정은: RR gim-jeong-eun; MR kim chŏng-ŭn (no diacritics); the lists' mixed form Kim Jong Un."""
    variants = hangul_variants("김정은", person=True)
    assert variants["rr"] == "gimjeongeun"
    assert variants["mr"] == "kimchongun"
    assert variants["mixed"] == "gimjongun"
    assert variants["custom"] == "kim jongun"


def test_katakana_loanword_form_drops_epenthetic_vowels() -> None:
    assert kana_variants("キム") == ["kimu", "kim"]
    assert "hanbit" in kana_variants("ハンビット")


def test_pinyin_reads_simplified_traditional_and_shinjitai() -> None:
    assert pinyin("北京航空航天大学") == "bei jing hang kong hang tian da xue"
    assert pinyin("広州") == "guang zhou"  # Japanese shinjitai 広 (simplified 广, traditional 廣)


def test_arabic_consonant_skeleton() -> None:
    assert consonant_skeleton("Muhammad") == consonant_skeleton("Mohammed") == "mhmd"


def test_bracketed_acronyms_are_aliases() -> None:
    assert expand_names("Beijing University of Aeronautics and Astronautics (BUAA)") == [
        "Beijing University of Aeronautics and Astronautics (BUAA)",
        "Beijing University of Aeronautics and Astronautics",
        "BUAA",
    ]
    assert expand_names("Air Koryo") == ["Air Koryo"]


def test_person_names_keep_every_token() -> None:
    assert ("kim", "jong", "un") in tokens("KIM, Jong Un", "person")


@given(st.text(max_size=40), st.sampled_from(["company", "person"]))
def test_forms_never_fail_and_tokens_are_ascii(name: str, kind: str) -> None:
    for form in forms(name, kind):
        assert len(form.tokens) == len(form.weights)
        if form.native:
            # The one exception: a name wholly in Hangul (or a person's in Han) keeps its own letters.
            assert len(form.tokens) == 1
            assert form.tokens[0]
            assert not any(ch.isspace() or ch.isascii() for ch in form.tokens[0])
        else:
            assert all(token.isascii() and token for token in form.tokens)
