"""Token normalisation and the lexicon: plurals, spellings, inverted names, abbreviations, caching."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize.lexicon import Lexicon, compose, is_short_form, load_or_build, uninvert
from dxatlas.recognize.mention import Kind
from dxatlas.recognize.tokens import TokenNormalizer, normalize_phrase, tokenize


@pytest.fixture(scope="module")
def normalizer() -> TokenNormalizer:
    return TokenNormalizer("en")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("seizures", "Seizure"),
        ("papules", "papule"),
        ("papular", "papule"),
        ("abnormalities", "abnormality"),
        ("synostoses", "synostosis"),
        ("Leukaemia", "leukemia"),
        ("anaemia", "anemia"),
        ("teeth", "tooth"),
        ("decreased", "decrease"),
        ("hypoplastic", "hypoplasia"),
        ("microcephalic", "microcephaly"),
        ("renal", "kidney"),
    ],
)
def test_forms_that_compare_equal(normalizer: TokenNormalizer, a: str, b: str) -> None:
    assert normalizer(a) == normalizer(b)


@pytest.mark.parametrize(
    ("a", "b"), [("fever", "feverish"), ("into", "intoeing"), ("diabetes", "diabete")]
)
def test_forms_that_stay_apart(normalizer: TokenNormalizer, a: str, b: str) -> None:
    assert normalizer(a) != normalizer(b)


def test_stop_words_vanish_from_keys(normalizer: TokenNormalizer) -> None:
    assert normalize_phrase("Hypoplasia of the corpus callosum", normalizer) == normalize_phrase(
        "hypoplasia corpus callosum", normalizer
    )


def test_tokens_keep_original_offsets(normalizer: TokenNormalizer) -> None:
    text = "Tonic-clonic  seizures (café)"
    tokens = tokenize(text, normalizer)
    assert [text[t.start : t.end] for t in tokens] == ["Tonic", "clonic", "seizures", "café"]
    assert tokens[3].norm == "cafe"


def test_uninvert_turns_omim_names_round() -> None:
    assert uninvert("Leukemia, chronic lymphocytic") == "chronic lymphocytic leukemia"
    assert uninvert("Aortic aneurysm, abdominal") == "abdominal aortic aneurysm"
    for name in (
        "Amyloidosis, Finnish type",
        "Alport syndrome 3, autosomal dominant",
        "Leukemia, acute myelocytic, with polyposis coli",
        "Acrofacial dysostosis, Catania type",
        "Toy fever syndrome",
    ):
        assert uninvert(name) is None


def test_a_parents_other_names_compose_the_childs() -> None:
    assert compose(
        "Profound global developmental delay", "Global developmental delay", ["Developmental delay"]
    ) == ["Profound Developmental delay"]
    assert compose(
        "Intellectual disability, profound", "Intellectual disability", ["Mental retardation"]
    ) == ["Mental retardation, profound"]
    assert compose("Cleft lip", "Cleft", ["Fissure"]) == ["Fissure lip"]
    assert compose("Oral cleft", "Cleft lip", ["Cheiloschisis"]) == []  # not in the name
    assert compose("Hyperacusis", "Acusis", ["Hearing"]) == []  # whole words only


def test_short_forms() -> None:
    assert is_short_form("ALL") and is_short_form("CP") and is_short_form("LC")
    assert not is_short_form("Fever") and not is_short_form("ADHD syndrome")
    # Regression: a mixed-case abbreviation ("ChILD") had been indexed as the word "child".
    assert is_short_form("ChILD") and is_short_form("cblG") and is_short_form("HbA1C")
    assert not is_short_form("AFib syndrome") and not is_short_form("McCune-Albright syndrome")


def test_a_mixed_case_abbreviation_matches_only_in_its_case(tiny_kb: KnowledgeBase) -> None:
    from dxatlas.recognize.annotator import Annotator

    annotator = Annotator(Lexicon.build(tiny_kb))
    annotator.add_concept("USER:child", "Children's interstitial lung disease", ["ChILD"])
    found = [(m.text, m.id) for m in annotator.annotate("ChILD is rare. My child coughs.").mentions]
    assert ("ChILD", "USER:child") in found
    assert all(text != "child" for text, _ in found)


def test_lexicon_from_kb(tiny_kb: KnowledgeBase) -> None:
    lexicon = Lexicon.build(tiny_kb)
    assert [c.id for c in lexicon.lookup("pyrexia")] == ["HP:0001945"]
    assert lexicon.lookup("Body heat") == []  # BROAD synonyms are left out
    assert [c.id for c in lexicon.lookup("tonic clonic seizures")] == ["HP:0012758"]  # NARROW kept
    assert [c.id for c in lexicon.lookup("chronic lymphocytic leukemia")] == ["OMIM:151400"]
    assert lexicon.lookup("All") == []  # the root term
    assert lexicon.lookup("CP") == []  # short forms are not words...
    assert lexicon.short_forms["CP"] == ["HP:0100021"]  # ...they are kept apart
    assert lexicon.allowed_short_forms["GERD"] == "HP:0002020"  # curated list
    assert "CP" not in lexicon.allowed_short_forms
    kinds = {c.id: c.kind for c in lexicon.concepts.values()}
    assert kinds["HP:0001945"] == Kind.FINDING
    assert kinds["HP:0000006"] == Kind.MODIFIER
    assert kinds["OMIM:151400"] == Kind.DISEASE
    assert kinds["test:skin-biopsy"] == Kind.OTHER


def test_user_concepts_outrank_the_kb(tiny_kb: KnowledgeBase) -> None:
    lexicon = Lexicon.build(tiny_kb)
    lexicon.add_concept(
        "USER:lc", "Leukemia cutis", ["cutaneous leukemia", "leukaemia cutis", "LC"]
    )
    assert [c.id for c in lexicon.lookup("Leukemia cutis")] == ["USER:lc"]
    assert [c.id for c in lexicon.lookup("cutaneous leukaemia")] == ["USER:lc"]
    assert lexicon.allowed_short_forms["LC"] == "USER:lc"
    lexicon.add_concept("USER:fever", "Fever")
    assert [c.id for c in lexicon.lookup("fever")] == ["USER:fever", "HP:0001945"]


def test_lexicon_cache_round_trip(tiny_kb: KnowledgeBase, tmp_path: Path) -> None:
    built = load_or_build(tiny_kb, tmp_path)
    files = list((tmp_path / "recognize").glob("*.pickle"))
    assert len(files) == 1 and built.version in files[0].name
    loaded = load_or_build(tiny_kb, tmp_path)
    assert loaded.keys == built.keys and loaded.concepts == built.concepts
    assert loaded.normalizer("Seizures") == "seizur"
    files[0].write_bytes(b"damaged")
    assert load_or_build(tiny_kb, tmp_path).keys == built.keys
