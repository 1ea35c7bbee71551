"""Descriptive variants from word parts, and the recall rules that came with them, on sentences and
small lexicons written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize import variants as variants_module
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import MATCH_RANK, Lexicon, lexicon_version
from dxatlas.recognize.mention import Concept, Kind
from dxatlas.recognize.tokens import TokenNormalizer
from dxatlas.recognize.variants import WordParts

FINDING = 20  # rank of a finding's label (SOURCE_RANK * 10)


def _lexicon(names: list[tuple[str, str, int]], kind: Kind = Kind.FINDING) -> Lexicon:
    """A hand-made lexicon: (id, name, rank); a name's concept is labelled by its first name."""
    lexicon = Lexicon(version="test")
    for concept_id, name, rank in names:
        concept = lexicon.concepts.get(concept_id) or Concept(concept_id, name, kind)
        lexicon.add_name(concept, name, rank)
    return lexicon


def _found(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.id) for m in annotator.annotate(text).mentions}


# -- word parts ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parts() -> WordParts:
    return WordParts.for_language("en", frozenset())  # no combining form splits off


def test_compound_words_get_plain_phrases(parts: WordParts) -> None:
    assert parts.variants("Microphthalmia") == ["small eye"]
    assert parts.variants("Microtia") == ["small ear"]  # micro + otia: the prefix's "o" elided
    assert parts.variants("Anophthalmia") == ["absent eye", "missing eye"]
    assert parts.variants("Hepatomegaly")[:2] == ["enlarged liver", "large liver"]
    assert "short finger" in parts.variants("Brachydactyly")
    assert "small eye" in parts.variants("Unilateral microphthalmia")[0]


def test_words_that_are_no_compound_are_left_alone(parts: WordParts) -> None:
    assert parts.variants("Anemia") == []  # "an" + "emia": no root
    assert parts.variants("Seizure") == []
    assert parts.variants("Aplasia/Hypoplasia of the eye") == []  # a grouping term


def test_plain_adjectives_go_before_their_noun(parts: WordParts) -> None:
    assert parts.variants("Cerebellar hypoplasia")[0] == "small Cerebellar"
    assert parts.variants("Hypoplastic hippocampus")[0] == "small hippocampus"
    assert parts.variants("Hypoplasia of the thymus")[0] == "small of the thymus"


def test_other_head_nouns_participles_and_adverbs(parts: WordParts) -> None:
    assert parts.variants("Aggressive behaviour") == ["Aggressive features", "Aggressive traits"]
    assert parts.variants("Increased head circumference") == ["increasing head circumference"]
    assert parts.variants("Sloping forehead") == ["sloped forehead"]
    assert parts.variants("Fainting") == []  # a head word keeps its form
    assert parts.variants("Unusually long nose")[0] == "long nose"
    assert parts.variants("Inability to swim")[:2] == ["unable to swim", "cannot to swim"]


def test_adverbs_of_place_or_extent_stay(parts: WordParts) -> None:
    assert "duplicated ureter" not in parts.variants("Partially duplicated ureter")
    assert "displaced lens" not in parts.variants("Laterally displaced lens")
    assert parts.variants("Abnormally large globe")[0] == "large globe"


def test_whole_name_phrasings(parts: WordParts) -> None:
    assert "C brachydactyly" in parts.variants("Type C brachydactyly")
    assert "Brachydactyly A1" in parts.variants("Brachydactyly type A1")
    assert "Type of seizure" not in " ".join(parts.variants("Type of seizure"))
    assert "Postnatal onset microcephaly" in parts.variants("Postnatal microcephaly")
    assert not any("onset" in v for v in parts.variants("Severe microcephaly"))
    lab = parts.variants("Elevated circulating creatine kinase concentration")
    for phrase in (
        "Elevated creatine kinase",
        "Elevated serum creatine kinase",
        "Elevated creatine kinase level",
        "Elevated blood creatine kinase level",
    ):
        assert phrase in lab
    # Only laboratory names lose "concentration": "Poor concentration" stays whole.
    assert parts.variants("Poor concentration") == []


def test_combining_forms_split_only_before_known_words() -> None:
    parts = WordParts.for_language("en", frozenset({"developmental"}))
    assert parts.variants("Neurodevelopmental delay") == ["neuro developmental delay"]
    assert parts.variants("Neuroblastoma") == []  # "blastoma" is not a word of the vocabulary
    assert parts.variants("Supra-orbital ridge") == ["supraorbital ridge"]


def test_variants_rank_below_every_curated_name(tiny_kb: KnowledgeBase) -> None:
    lexicon = Lexicon.build(tiny_kb)
    assert [c.id for c in lexicon.lookup("small heads")] == ["HP:0000252"]  # Microcephaly
    assert lexicon.keys[lexicon.normalizer("small") + " head"][0][0] == FINDING + 5
    derived = ("variant", "composed")  # made by rules, not curated
    for made in derived:
        assert MATCH_RANK[made] > max(r for k, r in MATCH_RANK.items() if k not in derived)
    # A variant never takes a name that the ontology gives to another term.
    lexicon.add_name(Concept("X:1", "Small head", Kind.FINDING), "Small head", FINDING)
    assert [c.id for c in lexicon.lookup("small head")] == ["X:1", "HP:0000252"]


def test_the_word_parts_file_is_part_of_the_cache_key(
    tiny_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = lexicon_version(tiny_kb)
    edited = tmp_path / "word_parts.json"
    edited.write_bytes(variants_module.data_path("en").read_bytes() + b"\n")
    monkeypatch.setattr(variants_module, "data_path", lambda language: edited)
    assert lexicon_version(tiny_kb) != before


def test_phenotypic_abnormality_names_no_finding(tiny_kb: KnowledgeBase) -> None:
    assert Lexicon.build(tiny_kb).lookup("phenotypic abnormalities") == []


# -- word forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("hippocampi", "hippocampus"),  # Latin plurals
        ("papillae", "papilla"),
        ("absence", "absent"),  # -ence/-ent, -ancy/-ant
        ("redundancy", "redundant"),
        ("ataxic", "ataxia"),  # six-letter words share their stem too
        ("ulceration", "ulcerated"),  # -ation and the participle
        ("retardation", "retarded"),
        ("dilatation", "dilated"),
        ("paroxysmal", "paroxysms"),
        ("ureteral", "ureter"),
        ("changes", "abnormality"),
        ("disturbances", "abnormality"),
        ("mutilating", "mutilation"),  # -ating with -ation, as -ated already was
        ("UTIs", "UTI"),  # the plural of an abbreviation
        ("EEGs", "eeg"),
        ("myoclonias", "myoclonus"),
        ("occulta", "occult"),  # Latin agreement: "spina bifida occulta", "occult spina bifida"
        ("high", "increased"),
        ("low", "reduced"),
    ],
)
def test_word_forms_that_compare_equal(one: str, other: str) -> None:
    normalizer = TokenNormalizer("en")
    assert normalizer(one) == normalizer(other)


def test_falls_is_not_the_verb_and_both_is_dropped() -> None:
    normalizer = TokenNormalizer("en")
    assert normalizer("falls") != normalizer("fall")
    assert normalizer("both") == ""
    assert normalizer("has") == normalizer("had") == ""  # "TSH has been elevated"
    assert normalizer("Is") == ""  # only capitals followed by a lower-case "s" are plurals
    assert normalizer("Fainting") != normalizer("faint")  # "-ing" alone is kept


# -- matching ------------------------------------------------------------------------------------


def test_a_rotation_that_is_another_name_finds_both() -> None:
    lexicon = _lexicon([("T:1", "Type B polydactyly", FINDING)])
    lexicon.add_name(Concept("D:1", "Polydactyly, type B", Kind.DISEASE), "Polydactyly type B", 30)
    found = _found(Annotator(lexicon), "The child had polydactyly type B.")
    assert {("polydactyly type B", "D:1"), ("polydactyly type B", "T:1")} <= found


def test_the_name_written_with_the_same_words_wins() -> None:
    lexicon = _lexicon(
        [
            ("T:1", "Abnormality of the kidney", FINDING),
            ("T:1", "Kidney abnormality", FINDING + 1),
            ("T:2", "Abnormal renal morphology", FINDING),
            ("T:2", "Renal malformation", FINDING + 1),
        ]
    )
    annotator = Annotator(lexicon)
    assert lexicon.lookup("renal malformation") == lexicon.lookup("kidney abnormality")
    assert _found(annotator, "It showed renal malformations.") == {("renal malformations", "T:2")}
    assert ("kidney anomalies", "T:1") in _found(annotator, "It showed kidney anomalies.")
    mention = annotator.annotate("renal malformation").mentions[0]
    assert mention.alternatives == ("T:1",)


def test_user_concepts_keep_winning_over_the_same_words() -> None:
    lexicon = _lexicon([("T:1", "Kidney abnormality", FINDING)])
    lexicon.add_concept("USER:1", "Renal anomaly")
    found = _found(Annotator(lexicon), "A kidney abnormality.")
    assert found == {("kidney abnormality", "USER:1")}


def test_names_do_not_run_across_list_commas() -> None:
    lexicon = _lexicon(
        [
            ("T:1", "Cleft lip", FINDING),
            ("T:2", "Severe photosensitivity", FINDING),
            ("T:3", "Global developmental delay", FINDING),
            ("T:4", "Global developmental delay, severe", FINDING),
        ]
    )
    annotator = Annotator(lexicon)
    assert _found(annotator, "He had branchial clefts, lip pits and a cleft lip.") == {
        ("cleft lip", "T:1")
    }
    found = _found(annotator, "She has global developmental delay, severe photosensitivity.")
    assert found == {("global developmental delay", "T:3"), ("severe photosensitivity", "T:2")}
    # A name written with a comma still matches across one when nothing competes.
    assert ("global developmental delay, severe", "T:4") in _found(
        annotator, "She has global developmental delay, severe."
    )


def test_names_do_not_run_across_list_bullets() -> None:
    # Regression: pages flattened to one line keep their bullets as " - "; "Itching eyes, nose
    # and throat - Red and watery eyes" had named a red throat (pharyngitis), reordered across
    # the bullet, and taken "eyes" away from "watery eyes".
    lexicon = _lexicon([("T:1", "Red throat", FINDING), ("T:2", "Watery eyes", FINDING)])
    found = _found(Annotator(lexicon), "Itching nose and throat - Red and watery eyes")
    assert found == {("watery eyes", "T:2")}
    # An unspaced hyphen joins words: no bullet.
    assert _found(Annotator(lexicon), "A red-throat.") == {("red-throat", "T:1")}


def test_descriptive_variants_are_found_in_text(tiny_kb: KnowledgeBase) -> None:
    annotator = Annotator(Lexicon.build(tiny_kb))
    found = _found(annotator, "On examination his head was small and he had short fingers.")
    assert ("head was small", "HP:0000252") in found  # rotated, copula dropped
    assert ("short fingers", "HP:0001156") in found
