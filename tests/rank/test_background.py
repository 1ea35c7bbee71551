"""Background rates among everyone who consults, for ranking common diseases (toy ontology)."""

from __future__ import annotations

import numpy as np

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.background import complaint_share, listed_shares, patient_background
from dxatlas.rank.literature import FindingSupport, LiteratureConcept, LiteratureModel
from dxatlas.rank.ranker import Ranker

SEIZURE, TONIC_CLONIC, NERVOUS, ANEMIA = "HP:0001250", "HP:0002069", "HP:0000707", "HP:0001903"


def test_a_listed_finding_its_subtypes_and_its_ancestors_are_raised(toy_kb: KnowledgeBase) -> None:
    onto = toy_kb.ontology
    rare = np.full(len(onto.ids), 0.001)
    raised = patient_background(onto, rare, {SEIZURE: 0.05})
    index = onto.index
    assert raised[index[SEIZURE]] == 0.05
    assert raised[index[TONIC_CLONIC]] == 0.05  # the same factor as its listed ancestor
    assert raised[index[NERVOUS]] >= 0.05  # at least as common as the finding it generalises
    assert raised[index[ANEMIA]] == 0.001  # not listed, not below a listed finding
    assert (raised >= rare).all()


def test_the_shipped_shares_are_valid_fractions() -> None:
    shares = listed_shares()
    assert len(shares) >= 40 and all(0 < share < 1 for share in shares.values())
    assert shares["HP:0001945"] == 0.1  # fever: about one consultation in ten


def test_the_raised_background_is_used_only_with_literature(toy_kb: KnowledgeBase) -> None:
    curated_only = Ranker(toy_kb)
    assert curated_only.background is curated_only.model.background
    concept = LiteratureConcept("DXATLAS:x", "X", (), {ANEMIA: FindingSupport(2)})
    with_literature = Ranker(toy_kb, literature=LiteratureModel.build(toy_kb, [concept]))
    assert (with_literature.background >= curated_only.background).all()


def test_a_disorder_named_for_a_common_complaint_takes_its_share(toy_kb: KnowledgeBase) -> None:
    onto, shares = toy_kb.ontology, {SEIZURE: 0.05, NERVOUS: 0.2}
    assert complaint_share(onto, [SEIZURE], 0.1, shares) == 0.05
    # The most specific complaint the name names counts, not the broader one beside it ...
    assert complaint_share(onto, [NERVOUS, SEIZURE], 0.1, shares) == 0.05
    # ... and one too broad to be a diagnosis, or none listed, gives no prevalence.
    assert complaint_share(onto, [NERVOUS], 0.1, shares) is None
    assert complaint_share(onto, [ANEMIA], 0.1, shares) is None
    assert complaint_share(onto, [], 0.1, shares) is None
