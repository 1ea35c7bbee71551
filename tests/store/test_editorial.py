"""The editorial tables (revision 0004): question wording with its history, and evidence hidden or
restored with a record; on every back end under test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.store import EvidenceSource, Store
from dxatlas.store.community import Community
from dxatlas.store.community_base import Conflict, InvalidInput, NotFound, TextTooLong
from dxatlas.store.evidence_actions import EvidenceActions
from dxatlas.store.wording import WORDING_MAX_CHARS, QuestionWording


@pytest.fixture
def community(store: Store) -> Iterator[Community]:
    found = Community(store.engine)
    yield found


def test_a_wording_override_replaces_the_default_and_keeps_its_history(
    community: Community,
) -> None:
    wording = QuestionWording(community.transaction)
    assert wording.overrides() == {} and wording.get("HP:0001250") is None
    first = wording.set("hp:0001250", "  Have you had   a fit? ", "ana")
    assert (first.number, first.before, first.text) == (1, None, "Have you had a fit?")
    wording.set("HP:0001250", "Have you ever had a seizure (a fit)?", "ben")
    assert wording.overrides() == {"HP:0001250": "Have you ever had a seizure (a fit)?"}
    current = wording.get("HP:0001250")
    assert current is not None and current.updated_by == "ben"
    reset = wording.set("HP:0001250", "", "ana")
    assert (reset.number, reset.text) == (3, None)
    assert wording.overrides() == {} and wording.current() == []
    history = wording.history("HP:0001250")
    assert [(r.number, r.author, r.before, r.text) for r in history] == [
        (1, "ana", None, "Have you had a fit?"),
        (2, "ben", "Have you had a fit?", "Have you ever had a seizure (a fit)?"),
        (3, "ana", "Have you ever had a seizure (a fit)?", None),
    ]
    assert history[0].created_at.tzinfo is not None


def test_wording_refusals(community: Community) -> None:
    wording = QuestionWording(community.transaction)
    with pytest.raises(Conflict, match="default wording"):
        wording.set("HP:0001250", None, "ana")
    wording.set("HP:0001250", "Any fits?", "ana")
    with pytest.raises(Conflict, match="already"):
        wording.set("HP:0001250", "Any  fits?", "ben")
    with pytest.raises(TextTooLong):
        wording.set("HP:0001250", "x" * (WORDING_MAX_CHARS + 1), "ana")
    with pytest.raises(InvalidInput):
        wording.set("   ", "Any fits?", "ana")
    assert [r.number for r in wording.history("HP:0001250")] == [1]


def _evidence(store: Store, concept_id: str, text: str) -> int:
    document = make_document(text, url="https://example.org/e")
    stored = store.add_document(document, split_sentences(document.text)).document_id
    evidence_id, _ = store.add_evidence(concept_id, "presentation", text, [EvidenceSource(stored)])
    return evidence_id


def test_hiding_and_restoring_evidence_is_recorded(store: Store, community: Community) -> None:
    concept = store.add_concept("Toy syndrome", author="test").concept.id
    first = _evidence(store, concept, "Fits are the first sign of toy syndrome.")
    second = _evidence(store, concept, "Toy syndrome is treated with rest.")
    actions = EvidenceActions(community.transaction)
    assert actions.concept_of(first) == concept
    hidden = actions.hide(first, "Not about this disease", "ana")
    assert (hidden.action, hidden.reason, hidden.author) == (
        "hide",
        "Not about this disease",
        "ana",
    )
    assert [e.hidden for e in store.evidence_of(concept)] == [True, False]
    (shown,) = actions.hidden(concept)
    assert (shown.id, shown.reason, shown.author) == (first, "Not about this disease", "ana")
    with pytest.raises(Conflict, match="already hidden"):
        actions.hide(first, "again", "ana")
    with pytest.raises(Conflict, match="not hidden"):
        actions.restore(second, "", "ana")
    with pytest.raises(InvalidInput, match="reason"):
        actions.hide(second, "   ", "ana")
    with pytest.raises(NotFound):
        actions.hide(999_999, "gone", "ana")
    actions.restore(first, "", "ben")
    assert [e.hidden for e in store.evidence_of(concept)] == [False, False]
    assert actions.hidden(concept) == []
    assert [(a.action, a.author, a.evidence_id) for a in actions.history(concept)] == [
        ("hide", "ana", first),
        ("restore", "ben", first),
    ]


def test_evidence_hidden_outside_the_web_app_is_listed_without_an_author(
    store: Store, community: Community
) -> None:
    concept = store.add_concept("Toy syndrome", author="test").concept.id
    evidence = _evidence(store, concept, "Fits are the first sign of toy syndrome.")
    store.hide_evidence(evidence, "off topic")
    (shown,) = EvidenceActions(community.transaction).hidden(concept)
    assert (shown.reason, shown.author, shown.hidden_at) == ("off topic", None, None)
