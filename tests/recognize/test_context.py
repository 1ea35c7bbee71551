"""Assertion status: a 40+ sentence test set (written for this test) and the key ConText rules."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.context import ContextRules
from dxatlas.recognize.mention import Assertion
from dxatlas.recognize.tokens import TokenNormalizer, scan

A, N, U, F = Assertion.ASSERTED, Assertion.NEGATED, Assertion.UNCERTAIN, Assertion.FAMILY

# Each case: a sentence and the expected assertion of each finding it names (by its text).
CASES: list[tuple[str, dict[str, Assertion]]] = [
    ("The patient has fever.", {"fever": A}),
    ("No fever.", {"fever": N}),
    (
        "No history of fever, weight loss or abdominal pain.",
        {"fever": N, "weight loss": N, "abdominal pain": N},
    ),
    ("She denies fever and abdominal pain.", {"fever": N, "abdominal pain": N}),
    ("He presented without fever.", {"fever": N}),
    ("There was an absence of seizures.", {"seizures": N}),
    ("Negative for anemia and neutropenia.", {"anemia": N, "neutropenia": N}),
    ("Leukemia was ruled out.", {"Leukemia": N}),
    ("The child is free of seizures.", {"seizures": N}),
    ("Fever was absent.", {"Fever": N}),
    ("Seizures were not seen during the stay.", {"Seizures": N}),
    ("Papules were not observed on the trunk.", {"Papules": N}),
    ("No fever but abdominal pain persisted.", {"fever": N, "abdominal pain": A}),
    ("No weight loss; however, he reports fever.", {"weight loss": N, "fever": A}),
    ("There was no anemia, although neutropenia was present.", {"anemia": N, "neutropenia": A}),
    ("No seizures, which is reassuring, and the papules faded.", {"seizures": N, "papules": A}),
    ("She never had seizures.", {"seizures": N}),
    ("He did not have fever or abdominal pain.", {"fever": N, "abdominal pain": N}),
    ("There is no evidence of leukemia.", {"leukemia": N}),
    ("Rule out leukemia.", {"leukemia": U}),
    ("Possible cerebral palsy.", {"cerebral palsy": U}),
    ("Suspected leukemia in a child with anemia.", {"leukemia": U, "anemia": U}),
    ("Patients may develop seizures later in life.", {"seizures": U}),
    ("If fever develops, the parents should call.", {"fever": U}),
    ("Leukemia is unlikely.", {"Leukemia": U}),
    ("This is probably a viral fever.", {"fever": U}),
    ("There is a risk of seizures after surgery.", {"seizures": U}),
    ("Evaluate for anemia at the next visit.", {"anemia": U}),
    ("Family history of leukemia.", {"leukemia": F}),
    ("Her mother had seizures.", {"seizures": F}),
    ("His brother has cerebral palsy.", {"cerebral palsy": F}),
    ("Microcephaly was also seen in his sister.", {"Microcephaly": F}),
    ("There is a family history of anemia and neutropenia.", {"anemia": F, "neutropenia": F}),
    ("The patient's father was treated for leukemia.", {"leukemia": F}),
    ("He has seizures and microcephaly.", {"seizures": A, "microcephaly": A}),
    ("Examination showed papules on the face.", {"papules": A}),
    ("Blood tests revealed anemia and neutropenia.", {"anemia": A, "neutropenia": A}),
    (
        "She presented with fever, weight loss and abdominal pain.",
        {"fever": A, "weight loss": A, "abdominal pain": A},
    ),
    ("A cleft palate was repaired at one year.", {"cleft palate": A}),
    ("There was no increase in seizures.", {"seizures": A}),
    ("The leukemia was in remission, and anemia persisted.", {"leukemia": A, "anemia": A}),
    ("Without treatment, fever returned.", {"fever": A}),
    ("Gram negative bacteria grew, with fever.", {"fever": A}),
    ("No known history of maternal exposure, presented with papules.", {"papules": A}),
    ("Brachydactyly is present.", {"Brachydactyly": A}),
    ("The boy has no microcephaly.", {"microcephaly": N}),
]


def _labels(annotator: Annotator) -> list[tuple[str, str, Assertion, Assertion]]:
    results = []
    for sentence, expected in CASES:
        mentions = {m.text: m.assertion for m in annotator.annotate(sentence).mentions}
        for text, label in expected.items():
            results.append((sentence, text, label, mentions.get(text, Assertion.ASSERTED)))
            assert text in mentions, f"{text!r} not recognised in {sentence!r}"
    return results


def test_the_set_is_large_enough() -> None:
    assert len(CASES) >= 40
    labels = {label for _, expected in CASES for label in expected.values()}
    assert labels == {A, N, U, F}


def test_assertion_accuracy_on_the_sentence_set(tiny_annotator: Annotator) -> None:
    results = _labels(tiny_annotator)
    wrong = [(s, t, want, got) for s, t, want, got in results if want != got]
    accuracy = 1 - len(wrong) / len(results)
    assert accuracy >= 0.95, f"accuracy {accuracy:.1%}; wrong: {wrong}"


def test_negation_scope_covers_a_list(tiny_annotator: Annotator) -> None:
    mentions = tiny_annotator.annotate(
        "No history of fever, weight loss or abdominal pain."
    ).mentions
    assert [m.assertion for m in mentions] == [N, N, N]


@pytest.mark.parametrize("breaker", ["but", "however,", "although", "which", "along with"])
def test_scope_breakers_end_the_negation(tiny_annotator: Annotator, breaker: str) -> None:
    mentions = tiny_annotator.annotate(f"No fever {breaker} seizures occurred.").mentions
    assert [(m.text, m.assertion) for m in mentions] == [("fever", N), ("seizures", A)]


@pytest.mark.parametrize(
    "duration", ["12-day history of", "3 week history of", "two-month course of"]
)
def test_a_duration_of_the_complaint_ends_the_negation(
    tiny_annotator: Annotator, duration: str
) -> None:
    # Regression (a vignette without its verb): "with no known underlying lung disease 12-day
    # history of cough" read the cough as denied.
    mentions = tiny_annotator.annotate(f"A woman with no fever {duration} seizures.").mentions
    assert [(m.text, m.assertion) for m in mentions] == [("fever", N), ("seizures", A)]


def test_negation_stops_at_the_sentence_end(tiny_annotator: Annotator) -> None:
    mentions = tiny_annotator.annotate("No fever. Seizures started at two.").mentions
    assert [m.assertion for m in mentions] == [N, A]


@pytest.mark.parametrize(
    "sentence", ["Fever was absent.", "Fever and seizures were not seen.", "Fever was ruled out."]
)
def test_post_triggers_look_backwards(tiny_annotator: Annotator, sentence: str) -> None:
    assert {m.assertion for m in tiny_annotator.annotate(sentence).mentions} == {N}


def test_pseudo_triggers_do_not_negate(tiny_annotator: Annotator) -> None:
    assert tiny_annotator.annotate("No change in seizures.").mentions[0].assertion == A


def test_family_outranks_negation(tiny_annotator: Annotator) -> None:
    assert tiny_annotator.annotate("Her mother had no seizures.").mentions[0].assertion == F


def test_a_cue_inside_a_mention_does_not_apply_to_it() -> None:
    rules = ContextRules.for_language("en")
    cues = rules.cues("Absent thumbs were noted.")
    assert cues and cues[0].start == 0  # "Absent" is a cue, but...
    from dxatlas.recognize.mention import Concept, Kind, Mention

    mention = Mention(0, 13, "Absent thumbs", Concept("HP:0009777", "Absent thumb", Kind.FINDING))
    rules.assert_mentions("Absent thumbs were noted.", 0, [mention])
    assert mention.assertion == A


def test_a_self_cue_applies_to_its_own_mention_only() -> None:
    # "afebrile" names the fever it denies; it must not negate the findings around it.
    from dxatlas.recognize.mention import Concept, Kind, Mention

    rules = ContextRules.for_language("en")
    text = "Afebrile with cough."
    fever = Mention(0, 8, "Afebrile", Concept("HP:0001945", "Fever", Kind.FINDING))
    cough = Mention(14, 19, "cough", Concept("HP:0012735", "Cough", Kind.FINDING))
    rules.assert_mentions(text, 0, [fever, cough])
    assert (fever.assertion, cough.assertion) == (N, A)


def test_a_condition_ends_where_a_list_of_signs_begins(tiny_annotator: Annotator) -> None:
    # "If your child cannot say so, here are the signs to look for: ..." lists signs.
    mentions = tiny_annotator.annotate(
        "If he is too young, here are signs - fever - seizures"
    ).mentions
    assert [m.assertion for m in mentions] == [A, A]


def test_rules_are_data() -> None:
    from importlib import resources

    path = resources.files("dxatlas.recognize").joinpath("data/en/context_rules.json")
    assert path.is_file()
    assert len(ContextRules.for_language("en").rules) > 40


_PIECES = ["no", "No", "not", "in", "the", "family", "fever", "denies", "absent", "A1", "x", "as"]


@given(
    st.lists(
        st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", ", ", ". ", "-", "/", "\n", ""])),
        max_size=12,
    ),
    st.integers(0, 80),
    st.integers(0, 80),
)
def test_cue_words_read_off_the_document_are_the_sentences(
    pieces: list[tuple[str, str]], a: int, b: int
) -> None:
    """The annotator reads a sentence's cue words off the document's words; where it can, that
    gives what `positions` finds in the sentence itself, whatever the sentence's bounds."""
    rules = ContextRules.for_language("en")
    text = "".join(word + gap for word, gap in pieces)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    words = scan(text, TokenNormalizer("en"))
    cue_words = rules.document_words(text, words.words)
    assert cue_words is not None  # an ASCII text
    span = (start, end, bisect_left(words.starts, start), bisect_right(words.ends, end))
    at = rules.sentence_positions(text, words.words, words.starts, cue_words, span)
    if at is not None:  # None: a word runs across the edge, and the sentence is read itself
        assert at == rules.positions(text[start:end])


@pytest.mark.parametrize(
    "sentence",
    ["He doesn't have a fever.", "She didn\u2019t have seizures.", "There wasn't any fever."],
)
def test_a_contracted_not_negates(tiny_annotator: Annotator, sentence: str) -> None:
    """Regression: "doesn't" (straight or curly apostrophe) left the fever asserted."""
    assert {m.assertion for m in tiny_annotator.annotate(sentence).mentions} == {N}


def test_cannot_states_an_inability_not_an_absence(tiny_annotator: Annotator) -> None:
    assert tiny_annotator.annotate("He can't stop the seizures.").mentions[0].assertion == A


def test_consistent_with_is_an_impression_not_a_finding(tiny_annotator: Annotator) -> None:
    # Regression: "signs ... consistent with a viral respiratory infection" (an otitis media
    # vignette) read the impression as a respiratory infection, which every disease of
    # recurrent infections then explained.
    mentions = tiny_annotator.annotate("Fever, with signs consistent with anemia.").mentions
    assert [(m.text, m.assertion) for m in mentions] == [("Fever", A), ("anemia", U)]
