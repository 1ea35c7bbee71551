"""Extra is-a links between findings for ranking (a vesicle is a small blister)."""

from __future__ import annotations

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.case import Case
from dxatlas.rank.finding_links import FindingAncestors, listed_links
from dxatlas.rank.ranker import Ranker

VESICLE, BLISTERING = "HP:0200037", "HP:0008066"


def test_every_link_joins_two_current_terms_on_different_branches(real_kb: KnowledgeBase) -> None:
    onto = real_kb.ontology
    assert listed_links()
    for narrower, broader in listed_links():
        assert onto.index.get(narrower) is not None, narrower
        assert onto.index.get(broader) is not None, broader
        # A link the HPO already has would be pointless.
        assert onto.index[broader] not in onto.ancestors_of(onto.index[narrower]), narrower


def test_a_linked_finding_counts_as_its_broader_finding(real_kb: KnowledgeBase) -> None:
    onto = real_kb.ontology
    vesicle, blistering = onto.index[VESICLE], onto.index[BLISTERING]
    plain = FindingAncestors(onto, links=())
    linked = FindingAncestors(onto, links=((VESICLE, BLISTERING),))
    assert blistering not in plain(vesicle)
    assert blistering in linked(vesicle)
    assert set(plain(vesicle)) <= set(linked(vesicle))
    assert list(linked(blistering)) == list(onto.ancestors_of(blistering))  # not the other way

    # A disease annotated with blistering now explains a patient's vesicles.
    ranker = Ranker(real_kb)
    case = Case.build(real_kb, [VESICLE], [])
    annotated = [
        d for d in range(real_kb.n_diseases)
        if blistering in {int(t) for t in real_kb.annotations.term[real_kb.annotations.rows_of(d)]}
    ][:1]  # fmt: skip
    assert annotated
    scores_linked = ranker.scores(case)
    ranker.finding_ancestors = plain
    scores_plain = ranker.scores(case)
    assert scores_linked[annotated[0]] > scores_plain[annotated[0]]
