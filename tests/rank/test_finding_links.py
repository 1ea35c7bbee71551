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


def test_a_broader_finding_is_explained_by_a_linked_narrower_one(real_kb: KnowledgeBase) -> None:
    # The other direction: a patient's "oral ulcer" is shown by a disease known for aphthous
    # ulcers (canker sores), which the HPO files beside oral ulcer, not below it.
    onto = real_kb.ontology
    oral, aphthous = onto.index["HP:0000155"], onto.index["HP:0032154"]
    linked = FindingAncestors(onto, links=(("HP:0032154", "HP:0000155"),))
    assert linked.linked_below(oral) == [aphthous]
    assert FindingAncestors(onto, links=()).linked_below(oral) == []
    ranker = Ranker(real_kb)
    ranker.finding_ancestors = linked
    case = Case.build(real_kb, ["HP:0000155"], [])
    with_link = ranker.scores(case)
    ranker.finding_ancestors = FindingAncestors(onto, links=())
    without = ranker.scores(case)
    table = real_kb.annotations
    only_aphthous = [
        d for d in range(real_kb.n_diseases)
        if aphthous in {int(t) for t in table.term[table.rows_of(d)]}
        and oral not in {int(t) for t in table.term[table.rows_of(d)]}
    ]  # fmt: skip
    assert only_aphthous
    assert all(with_link[d] >= without[d] for d in only_aphthous)
    assert any(with_link[d] > without[d] for d in only_aphthous)


def test_a_finding_implied_by_a_linked_one_counts_once(real_kb: KnowledgeBase) -> None:
    """Vesicles and blisters in one case are one piece of evidence, as a finding and its
    ontology ancestor are: the broader one is dropped."""
    onto = real_kb.ontology
    ranker = Ranker(real_kb)
    kept = ranker.effective_findings(Case.build(real_kb, [VESICLE, BLISTERING], []))
    assert kept == [(onto.index[VESICLE], "present")]
    ranker.finding_ancestors = FindingAncestors(onto, links=())
    unlinked = ranker.effective_findings(Case.build(real_kb, [VESICLE, BLISTERING], []))
    assert len(unlinked) == 2


def test_listed_links_join_signs_to_the_conditions_pages_name(real_kb: KnowledgeBase) -> None:
    # Regression: the pharyngitis link was described in the docs but missing from the data, so
    # a sore-throat page never explained an examination's "pharyngitis". A bulging eardrum is
    # how acute otitis media is diagnosed; ear-infection pages name the infection only.
    onto = real_kb.ontology
    ancestors = FindingAncestors(onto)
    assert onto.index["HP:0033050"] in ancestors(onto.index["HP:0025439"])  # sore throat
    assert onto.index["HP:0000388"] in ancestors(onto.index["HP:6000172"])  # otitis media
    # A linked pair in one case counts once (the sign implies the condition).
    ranker = Ranker(real_kb)
    kept = ranker.effective_findings(Case.build(real_kb, ["HP:6000172", "HP:0000371"], []))
    assert kept == [(onto.index["HP:6000172"], "present")]


def test_links_chain(real_kb: KnowledgeBase) -> None:
    """A pharyngeal exudate is a pharyngitis, which is a sore throat: a page that names only the
    sore throat explains an examination's tonsillar exudate, and the exudate implies both."""
    onto = real_kb.ontology
    exudate, pharyngitis, sore = (onto.index[t] for t in ("HP:0034035", "HP:0025439", "HP:0033050"))
    links = (("HP:0034035", "HP:0025439"), ("HP:0025439", "HP:0033050"))
    for order in (links, links[::-1]):
        chained = FindingAncestors(onto, links=order)
        assert {pharyngitis, sore} <= set(chained(exudate).tolist())
        assert exudate in chained.linked_below(sore)
    ranker = Ranker(real_kb)
    case = Case.build(real_kb, ["HP:0034035", "HP:0025439", "HP:0033050"], [])
    assert ranker.effective_findings(case) == [(exudate, "present")]
