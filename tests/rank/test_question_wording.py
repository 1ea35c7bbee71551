"""An editor's wording of a question replaces the default one, and only for the finding it names."""

from __future__ import annotations

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank import Case, Ranker
from dxatlas.rank.questions import next_questions, question_text

ANEMIA = "HP:0001903"


def test_wording_overrides_replace_the_default_text_only_for_their_finding(
    toy_kb: KnowledgeBase,
) -> None:
    ranker = Ranker(toy_kb)
    case = Case.build(toy_kb, [ANEMIA])
    default = next_questions(ranker, case, top=3)
    assert len(default) >= 2
    first, second = default[0], default[1]
    onto = toy_kb.ontology
    assert first.question_text == question_text(onto, onto.index[first.term_id])
    wording = {first.term_id: "Has a doctor ever said your neutrophils were low?"}
    worded = next_questions(ranker, case, top=3, wording=wording)
    assert [q.term_id for q in worded] == [q.term_id for q in default]  # the choice is unchanged
    assert worded[0].question_text == wording[first.term_id]
    assert worded[1].question_text == second.question_text
    # The planner caches default texts: an override does not leak into later calls.
    assert next_questions(ranker, case, top=1)[0].question_text == first.question_text
