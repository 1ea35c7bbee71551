"""Accounts: argon2 hashes only, case-blind unique names, roles, sessions that expire and end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from dxatlas.store.accounts import PASSWORDS, Role, token_hash
from dxatlas.store.community import Community
from dxatlas.store.community_base import Conflict, InvalidInput, NotFound, SignInFailed
from dxatlas.store.schema import UserRow, UserSessionRow
from tests.store.community_helpers import open_community

PASSWORD = "correct horse battery"
DAY = timedelta(days=1)


@pytest.fixture
def community(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Community]:
    yield from open_community(database_url, monkeypatch)


def _stored_hash(community: Community, name: str) -> str:
    with community.transaction() as session:
        return session.scalar(select(UserRow.password_hash).where(UserRow.name == name)) or ""


def test_the_password_is_stored_as_an_argon2id_hash(community: Community) -> None:
    user = community.accounts.add("ana", PASSWORD)
    assert user.role is Role.USER and user.created_at.tzinfo is not None
    stored = _stored_hash(community, "ana")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert community.accounts.authenticate("ana", PASSWORD) == user


def test_the_production_hasher_uses_argon2_defaults() -> None:
    assert PASSWORDS.time_cost >= 3 and PASSWORDS.memory_cost >= 64 * 1024


def test_names_are_unique_whatever_their_case(community: Community) -> None:
    community.accounts.add("Ana", PASSWORD)
    with pytest.raises(Conflict, match="'ana' is taken"):
        community.accounts.add("ana", PASSWORD)
    assert community.accounts.authenticate("ANA", PASSWORD).name == "Ana"


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("a", PASSWORD, "user name 'a' is not allowed"),
        ("<script>", PASSWORD, "is not allowed"),
        ("bob", "short", "too short"),
        ("bob", "x" * 2000, "too long"),
        ("robert1234", "Robert1234", "must not be the user name"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    community: Community, name: str, password: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        community.accounts.add(name, password)
    assert community.accounts.users() == []


def test_a_wrong_password_or_name_fails_with_one_message(community: Community) -> None:
    community.accounts.add("ana", PASSWORD)
    with pytest.raises(SignInFailed) as wrong_password:
        community.accounts.authenticate("ana", "not the password")
    with pytest.raises(SignInFailed) as wrong_name:
        community.accounts.authenticate("nobody", PASSWORD)
    assert str(wrong_password.value) == str(wrong_name.value)


def test_roles_rank_and_change(community: Community) -> None:
    community.accounts.add("eddie", PASSWORD, role="editor")
    editor = community.accounts.find("eddie")
    assert editor is not None and editor.has("user") and editor.has(Role.EDITOR)
    assert not editor.has("moderator")
    admin = community.accounts.set_role("eddie", "admin")
    assert admin.has("moderator") and community.accounts.get(admin.id) == admin
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        community.accounts.set_role("eddie", "boss")
    with pytest.raises(NotFound, match="no user is named 'zed'"):
        community.accounts.set_role("zed", "user")


def test_a_session_keeps_only_the_tokens_hash_and_ends_on_sign_out(community: Community) -> None:
    user = community.accounts.add("ana", PASSWORD)
    token = community.accounts.start_session(user, DAY)
    with community.transaction() as session:
        stored = session.scalars(select(UserSessionRow.token_hash)).all()
    assert stored == [token_hash(token)] and token not in stored
    assert community.accounts.session_user(token) == user
    community.accounts.end_session(token)
    assert community.accounts.session_user(token) is None
    assert community.accounts.session_user("made-up") is None


def test_an_expired_session_is_refused_and_removed(community: Community) -> None:
    user = community.accounts.add("ana", PASSWORD)
    token = community.accounts.start_session(user, timedelta(seconds=-1))
    assert community.accounts.session_user(token) is None
    with community.transaction() as session:
        assert session.scalars(select(UserSessionRow)).all() == []


def test_a_new_password_ends_every_session(community: Community) -> None:
    user = community.accounts.add("ana", PASSWORD)
    token = community.accounts.start_session(user, DAY)
    community.accounts.set_password("ana", "another long password")
    assert community.accounts.session_user(token) is None
    assert community.accounts.authenticate("ana", "another long password") == user
