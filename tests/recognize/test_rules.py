"""The matching rules added for speed and recall, on sentences and small lexicons written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxatlas.bench.recognize import Document, half_of, mention_scores
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.context import ContextRules
from dxatlas.recognize.lexicon import Lexicon
from dxatlas.recognize.mention import Concept, Kind
from dxatlas.recognize.tokens import TokenNormalizer, scan, tokenize


def _lexicon(terms: list[tuple[str, str, tuple[str, ...]]]) -> Lexicon:
    """A hand-made lexicon of findings: (id, label, parents)."""
    lexicon = Lexicon(version="test")
    for term_id, label, parents in terms:
        lexicon.add_name(Concept(term_id, label, Kind.FINDING), label, 20)
        lexicon.parents[term_id] = parents
    return lexicon


def _found(annotator: Annotator, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.id) for m in annotator.annotate(text).mentions}


@pytest.fixture
def tumours() -> Annotator:
    return Annotator(
        _lexicon(
            [
                ("T:1", "Schwannoma", ()),
                ("T:2", "Vestibular schwannoma", ("T:1",)),
                ("T:3", "Bilateral vestibular schwannoma", ("T:2",)),
                ("T:4", "Hypoplasia of the left ventricle", ()),
                ("T:5", "Brachydactyly type A", ()),
                ("T:6", "Brachydactyly", ()),
                ("T:7", "Abnormal cerebellum morphology", ()),
                ("T:8", "Photosensitivity", ()),
                ("T:9", "Severe developmental delay", ()),
            ]
        )
    )


def test_scan_agrees_with_tokenize() -> None:
    normalizer = TokenNormalizer("en")
    text = "  Seizures of the  left-hand, café-au-lait spots; 3 teeth_x!"
    words = scan(text, normalizer)
    tokens = tokenize(text, normalizer)
    assert words.starts == [t.start for t in tokens]
    assert words.ends == [t.end for t in tokens]
    assert words.words == [t.text for t in tokens]
    assert words.norms == [t.norm for t in tokens]
    assert scan("", normalizer).words == [] and scan("...", normalizer).words == []


@given(st.text(alphabet=st.sampled_from("aZ09_ -.,;\n\tx\u00e9")))
def test_scan_agrees_with_tokenize_on_any_text(text: str) -> None:
    # ASCII texts take a faster split; it must find the same words as the Unicode one.
    normalizer = TokenNormalizer("en")
    words = scan(text, normalizer)
    tokens = tokenize(text, normalizer)
    assert (words.starts, words.ends, words.words) == (
        [t.start for t in tokens],
        [t.end for t in tokens],
        [t.text for t in tokens],
    )


def test_rotated_names_are_found(tumours: Annotator) -> None:
    assert _found(tumours, "An infant with left ventricle hypoplasia.") == {
        ("left ventricle hypoplasia", "T:4")
    }
    assert ("type A brachydactyly", "T:5") in _found(tumours, "He has type A brachydactyly.")


def test_rotated_names_do_not_span_a_comma(tumours: Annotator) -> None:
    found = _found(tumours, "She had developmental delay, severe photosensitivity and seizures.")
    assert ("severe photosensitivity", "T:8") not in found
    assert {m for m in found if m[1] == "T:9"} == set()
    assert ("photosensitivity", "T:8") in found


def test_nested_ancestors_are_reported_recursively(tumours: Annotator) -> None:
    mentions = tumours.annotate("He had bilateral vestibular schwannomas.").mentions
    assert {(m.text, m.id) for m in mentions} == {
        ("bilateral vestibular schwannomas", "T:3"),
        ("vestibular schwannomas", "T:2"),
        ("schwannomas", "T:1"),
    }
    assert {m.via for m in mentions if m.id != "T:3"} == {"inside-finding-name"}


def test_a_capital_a_is_a_designator_not_an_article(tumours: Annotator) -> None:
    normalizer = TokenNormalizer("en")
    assert normalizer("A") == "a" and normalizer("a") == ""
    assert _found(tumours, "A brachydactyly type was not named.") == {("brachydactyly", "T:6")}
    assert ("brachydactyly type A", "T:5") in _found(tumours, "It was brachydactyly type A.")


@pytest.mark.parametrize(
    ("adjective", "noun"),
    [("cerebellar", "cerebellum"), ("mandibular", "mandible"), ("patellar", "patella")],
)
def test_organ_adjectives_compare_with_their_nouns(adjective: str, noun: str) -> None:
    normalizer = TokenNormalizer("en")
    assert normalizer(adjective) == normalizer(noun)


def test_abnormality_of_an_organ_in_either_order(tumours: Annotator) -> None:
    # "Abnormal X morphology" is also "abnormal X"; "X anomalies" and "cerebellar" normalise to it.
    lexicon = tumours.lexicon
    lexicon.add_name(lexicon.concepts["T:7"], "Abnormal cerebellum", 23)
    annotator = Annotator(lexicon)
    assert ("cerebellar anomalies", "T:7") in _found(annotator, "MRI showed cerebellar anomalies.")


def test_cue_lookup_by_first_word_matches_a_scan() -> None:
    rules = ContextRules.for_language("en")
    sentence = "There was no fever; her mother had seizures, not seen in the son."
    cues = rules.cues(sentence)
    assert [(sentence[c.start : c.end].lower(), c.category.value) for c in cues] == [
        ("no", "negated"),
        ("her mother", "family"),
        ("not seen", "negated"),
    ]
    assert [sentence[a:b] for a, b in rules.terminators(sentence)] == [";"]


def test_hash_halves_and_mention_scores(tmp_path: Path) -> None:
    assert {half_of(f"PMID:{n}") for n in range(20)} == {0, 1}
    document = Document("d", "fever and seizures", ((0, 5, "HP:1"), (10, 18, "HP:2")))
    scores = mention_scores([document], {"d": [(0, 5, "HP:1"), (0, 5, "HP:1")]})
    assert scores["mention_recall"] == 0.5 and scores["mention_precision"] == 0.5


def test_a_name_found_again_follows_lexicon_changes(tiny_annotator: Annotator) -> None:
    # The annotator remembers what a name names; a concept added later must still win.
    assert [m.id for m in tiny_annotator.annotate("Fever.").mentions] == ["HP:0001945"]
    tiny_annotator.add_concept("USER:fever", "Fever")
    assert [m.id for m in tiny_annotator.annotate("Fever.").mentions] == ["USER:fever"]
