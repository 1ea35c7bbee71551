"""Tickets: about a concept or one of its evidence sentences; status changes and comments."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.store import EvidenceSource, Store
from dxatlas.store.accounts import User
from dxatlas.store.community import Community
from dxatlas.store.community_base import InvalidInput, NotFound
from tests.store.community_helpers import open_community

SENTENCE = "Fever was present in most patients."


@pytest.fixture
def community(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Community]:
    yield from open_community(database_url, monkeypatch)


@pytest.fixture
def people(community: Community) -> tuple[User, User]:
    return (
        community.accounts.add("reader", "a long password"),
        community.accounts.add("editor", "a long password", role="editor"),
    )


def _evidence(database_url: str) -> int:
    with Store.open(database_url) as store:
        document = make_document(SENTENCE, url="https://example.org/a")
        document_id = store.add_document(document, split_sentences(document.text)).document_id
        evidence_id, _ = store.add_evidence(
            "OMIM:100001", "presentation", SENTENCE, [EvidenceSource(document_id)]
        )
    return evidence_id


def test_a_ticket_about_an_evidence_sentence(
    community: Community, people: tuple[User, User], database_url: str
) -> None:
    evidence_id = _evidence(database_url)
    reader, _ = people
    ticket = community.tickets.create(reader, "OMIM:100001", "Wrong disease.", evidence_id)
    assert ticket.status == "open" and ticket.evidence_text == SENTENCE
    assert ticket.to_json()["author"] == "reader"
    with pytest.raises(NotFound, match="concept OMIM:100002 has no evidence sentence"):
        community.tickets.create(reader, "OMIM:100002", "Wrong.", evidence_id)


def test_status_changes_are_kept_as_comments(
    community: Community, people: tuple[User, User]
) -> None:
    reader, editor = people
    ticket = community.tickets.create(reader, "OMIM:100001", "The name is misspelt.")
    moved = community.tickets.set_status(ticket.id, editor, "in progress", "Looking at it.")
    assert moved.status == "in_progress" and moved.status_label == "in progress"
    commented = community.tickets.comment(ticket.id, reader, "Thanks!")
    closed = community.tickets.set_status(commented.id, editor, "closed")
    assert [(c.author, c.text, c.status) for c in closed.comments] == [
        ("editor", "Looking at it.", "in_progress"),
        ("reader", "Thanks!", None),
        ("editor", "", "closed"),
    ]
    assert community.tickets.set_status(ticket.id, editor, "closed") == closed  # no change
    assert community.tickets.counts() == {"open": 0, "in_progress": 0, "closed": 1}
    assert [t.id for t in community.tickets.recent(status="closed")] == [ticket.id]
    assert community.tickets.recent(status="open") == []
    assert [t.id for t in community.tickets.recent(author_id=reader.id)] == [ticket.id]
    assert community.tickets.recent(author_id=editor.id) == []


def test_bad_tickets_and_statuses_are_refused(
    community: Community, people: tuple[User, User]
) -> None:
    reader, editor = people
    with pytest.raises(InvalidInput, match="the ticket text is empty"):
        community.tickets.create(reader, "OMIM:100001", " ")
    with pytest.raises(InvalidInput, match="needs the id of the concept"):
        community.tickets.create(reader, "", "Something")
    ticket = community.tickets.create(reader, "OMIM:100001", "Something")
    with pytest.raises(InvalidInput, match="unknown ticket status 'done'"):
        community.tickets.set_status(ticket.id, editor, "done")
    with pytest.raises(NotFound, match="no ticket has the id 77"):
        community.tickets.comment(77, reader, "hello")
