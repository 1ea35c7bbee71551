"""Questions: pending until approved, answers under approved ones only, deletion, filters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dxatlas.store.accounts import User
from dxatlas.store.community import Community
from dxatlas.store.community_base import Conflict, InvalidInput, NotFound, TextTooLong
from dxatlas.store.questions import APPROVED, GENERAL, PENDING
from tests.store.community_helpers import open_community

TITLE = "How is the diagnosis confirmed?"


@pytest.fixture
def community(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Community]:
    yield from open_community(database_url, monkeypatch)


@pytest.fixture
def people(community: Community) -> tuple[User, User]:
    asker = community.accounts.add("asker", "a long password")
    moderator = community.accounts.add("mod", "a long password", role="moderator")
    return asker, moderator


def test_a_new_question_waits_for_approval(community: Community, people: tuple[User, User]) -> None:
    asker, moderator = people
    question = community.questions.ask(asker, TITLE, "Age 40, **female**.\r\nFever.", "OMIM:1")
    assert question.status == PENDING and question.author == "asker"
    assert question.body == "Age 40, **female**.\nFever."  # line breaks as the form counts them
    assert community.questions.recent() == []
    assert [q.id for q in community.questions.recent(status=PENDING)] == [question.id]
    assert community.questions.count(PENDING) == 1
    approved = community.questions.approve(question.id, moderator)
    assert approved.status == APPROVED and approved.approved_at is not None
    assert [q.id for q in community.questions.recent(concept_id="OMIM:1")] == [question.id]
    assert community.questions.recent(concept_id="OMIM:2") == []
    assert community.questions.recent(concept_id=GENERAL) == []


def test_answers_only_under_approved_questions(
    community: Community, people: tuple[User, User]
) -> None:
    asker, moderator = people
    question = community.questions.ask(asker, TITLE, "Any tests?")
    with pytest.raises(Conflict, match="waits for moderation"):
        community.questions.answer(question.id, moderator, "A biopsy.")
    community.questions.approve(question.id, moderator)
    answer = community.questions.answer(question.id, moderator, "A _skin_ biopsy.")
    shown = community.questions.get(question.id)
    assert [(a.id, a.author, a.body) for a in shown.answers] == [
        (answer.id, "mod", "A _skin_ biopsy.")
    ]
    assert community.questions.recent(concept_id=GENERAL)[0].answers == shown.answers
    with pytest.raises(NotFound, match="no question has the id 999"):
        community.questions.answer(999, asker, "hello there")


def test_deleting_removes_questions_and_answers(
    community: Community, people: tuple[User, User]
) -> None:
    asker, moderator = people
    question = community.questions.ask(asker, TITLE, "Body")
    community.questions.approve(question.id, moderator)
    first = community.questions.answer(question.id, asker, "one")
    community.questions.answer(question.id, asker, "two")
    assert community.questions.delete_answer(first.id) == question.id
    assert [a.body for a in community.questions.get(question.id).answers] == ["two"]
    community.questions.delete(question.id)
    with pytest.raises(NotFound):
        community.questions.get(question.id)
    with pytest.raises(NotFound, match="no answer has the id"):
        community.questions.delete_answer(first.id)


@pytest.mark.parametrize(
    ("title", "body", "error", "message"),
    [
        ("", "Body", InvalidInput, "the title is empty"),
        ("Short", "Body", InvalidInput, "title is too short"),
        (TITLE, "   ", InvalidInput, "the question is empty"),
        (TITLE, "x" * 5001, TextTooLong, "5,001 characters long; at most 5,000"),
        (TITLE, "Write to me: ana@example.org", InvalidInput, "an e-mail address"),
        ("Call me on +44 20 7946 0958", "Body", InvalidInput, "a phone number"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_stored(
    community: Community,
    people: tuple[User, User],
    title: str,
    body: str,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        community.questions.ask(people[0], title, body)
    assert community.questions.recent(status=PENDING) == []


def test_a_body_of_exactly_the_limit_is_taken(
    community: Community, people: tuple[User, User]
) -> None:
    body = "a\r\n" * 2500  # 7,500 characters as sent, 4,999 once line breaks are one each
    assert len(community.questions.ask(people[0], TITLE, body).body) == 4999
