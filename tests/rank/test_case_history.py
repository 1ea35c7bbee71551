"""Which words of a case text are past or background history (pure text rules)."""

from __future__ import annotations

from dxatlas.rank.case_history import history_spans, in_history


def _history_words(text: str, word: str) -> bool:
    start = text.index(word)
    return in_history(start, start + len(word), history_spans(text))


def test_history_of_puts_a_condition_in_the_past() -> None:
    text = "A 50-year-old man with a history of gout presents with fever and cough."
    assert _history_words(text, "gout")
    assert not _history_words(text, "fever") and not _history_words(text, "cough")


def test_a_duration_before_history_is_the_illness_itself() -> None:
    text = "A boy with a 3-day history of fever and rash."
    assert not _history_words(text, "fever") and not _history_words(text, "rash")


def test_conditions_before_the_main_verb_of_the_introduction() -> None:
    text = "A 70-year-old woman with diabetes and gout presents with a swollen knee."
    assert _history_words(text, "diabetes") and _history_words(text, "gout")
    assert not _history_words(text, "swollen knee")
    # "with" after the main verb introduces the complaint.
    assert not _history_words("A 9-year-old girl presents with wheezing.", "wheezing")


def test_otherwise_healthy_except_and_the_end_of_the_scope() -> None:
    text = "He is otherwise healthy, except for eczema. Today he has a fever."
    assert _history_words(text, "eczema") and not _history_words(text, "fever")
    witnessed = "A 60-year-old man with a history of gout is witnessed to have slurred speech."
    assert _history_words(witnessed, "gout") and not _history_words(witnessed, "slurred speech")


def test_the_history_scope_ends_at_the_next_verb() -> None:
    # Regression: the scope ran past "has had", so the whole illness read as past history.
    text = "A 30-year-old woman with a history of asthma has had fever and a cough for two days."
    assert _history_words(text, "asthma")
    assert not _history_words(text, "fever") and not _history_words(text, "cough")


def test_a_duration_of_the_complaint_ends_a_history_scope() -> None:
    # Regression: "known" opened a history scope that ran over the complaint itself.
    text = "A 34-year-old woman with no known underlying lung disease 12-day history of cough."
    assert _history_words(text, "lung disease")
    assert not _history_words(text, "cough")
