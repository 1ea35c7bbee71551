"""Words that name a finding in one sense only ("felt faint", not "a faint rash")."""

from __future__ import annotations

from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.word_senses import WordSenses, load_word_senses


def test_an_adjective_before_another_word_is_no_finding() -> None:
    senses = WordSenses(frozenset({"faint"}), frozenset({"and"}))
    text = "a faint rash; she felt faint and dizzy; he felt faint."
    first = text.index("faint")
    second = text.index("faint", first + 1)
    third = text.index("faint", second + 1)
    assert senses.adjective_use(text, first, first + 5)  # "faint rash"
    assert not senses.adjective_use(text, second, second + 5)  # "faint and"
    assert not senses.adjective_use(text, third, third + 5)  # at the end
    assert not senses.adjective_use("a faint.", 2, 7)
    assert not senses.adjective_use("pale rash", 0, 4)  # not a listed word


def test_the_shipped_lists_and_the_real_annotator(real_annotator: Annotator) -> None:
    assert "faint" in load_word_senses().adjectives
    rash = real_annotator.annotate("A faint erythematous macular rash on the trunk.")
    assert "HP:0001279" not in {m.id for m in rash.mentions}  # no syncope
    assert "HP:0000988" in {m.id for m in rash.mentions}
    felt = real_annotator.annotate("She felt faint and dizzy.")
    assert "HP:0031972" in {m.id for m in felt.mentions}
    nodes = real_annotator.annotate("Enlarged cervical lymph nodes were found.")
    assert "HP:0025289" in {m.id for m in nodes.mentions}


def test_a_side_word_inside_an_everyday_finding(real_annotator: Annotator) -> None:
    # Regression: "a swollen left leg" and "a red left eye" named nothing, since the side word
    # broke the lay name; names with a side of their own still win.
    for text, term in (
        ("She has a swollen left leg.", "HP:0010741"),
        ("He has a red left eye.", "HP:0025337"),
        ("Pain in the right ear since Monday.", "HP:0030766"),
    ):
        assert term in {m.id for m in real_annotator.annotate(text).mentions}, text
    lvh = {m.id for m in real_annotator.annotate("Left ventricular hypertrophy.").mentions}
    assert "HP:0001712" in lvh


def test_a_phrase_before_a_word_that_changes_its_sense(real_annotator: Annotator) -> None:
    # Regression: "most kidney stones pass out of the body" gave kidney stones loss of
    # consciousness as a finding.
    stones = real_annotator.annotate("Most kidney stones pass out of the body without help.")
    assert "HP:0007185" not in {m.id for m in stones.mentions}
    fainted = real_annotator.annotate("He felt dizzy and may pass out when he stands.")
    assert "HP:0007185" in {m.id for m in fainted.mentions}


def test_a_symptom_word_naming_a_medicine_is_no_finding(real_annotator: Annotator) -> None:
    # Regression: "no relief from over-the-counter cough preparations" excluded the cough of a
    # vignette whose cough was productive.
    for text in (
        "She has not had any relief from over-the-counter cough preparations.",
        "He takes pain relievers and fever reducers.",
    ):
        ids = {m.id for m in real_annotator.annotate(text).mentions}
        assert not ids & {"HP:0012735", "HP:0012531", "HP:0001945"}, (text, ids)
    coughing = real_annotator.annotate("A cough and fever for two days; pain in the knee.")
    assert {"HP:0012735", "HP:0001945", "HP:0012531"} <= {m.id for m in coughing.mentions}
