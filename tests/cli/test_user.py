"""`dxatlas user add|list|role|password`: the first admin from the command line, bad input as
one clean line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.settings import get_settings
from dxatlas.store.community import Community
from tests.store.community_helpers import cheap_passwords

runner = CliRunner()
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("DXATLAS_DATABASE_URL", url)
    cheap_passwords(monkeypatch)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def assert_clean_error(result, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_the_first_admin_from_stdin_can_sign_in(database: str) -> None:
    result = run("user", "add", "ana", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Added ana (admin)" in result.stdout
    with Community.open(database) as community:
        assert community.accounts.authenticate("ana", PASSWORD).role == "admin"


def test_the_password_prompt_asks_twice(database: str) -> None:
    result = run("user", "add", "bob", "--role", "editor", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    with Community.open(database) as community:
        assert community.accounts.authenticate("bob", PASSWORD).role == "editor"


def test_list_and_change_a_role() -> None:
    assert "No accounts yet" in run("user", "list").stdout
    run("user", "add", "ana", "--password-stdin", stdin=PASSWORD)
    assert run("user", "role", "ana", "moderator").stdout.strip() == "ana is now moderator"
    listed = json.loads(run("user", "list", "--json").stdout)
    assert [(u["name"], u["role"]) for u in listed] == [("ana", "moderator")]
    assert "ana" in run("user", "list").stdout


def test_a_new_password(database: str) -> None:
    run("user", "add", "ana", "--password-stdin", stdin=PASSWORD)
    result = run("user", "password", "ana", "--password-stdin", stdin="another long one\n")
    assert result.exit_code == 0, result.output
    with Community.open(database) as community:
        assert community.accounts.authenticate("ana", "another long one").name == "ana"


@pytest.mark.parametrize(
    ("args", "stdin", "fragments"),
    [
        (
            ("user", "add", "ana", "--role", "boss", "--password-stdin"),
            PASSWORD,
            ["unknown role 'boss'", "admin"],
        ),
        (("user", "add", "ana", "--admin", "--role", "user"), PASSWORD, ["contradict"]),
        (("user", "add", "a", "--password-stdin"), PASSWORD, ["user name 'a' is not allowed"]),
        (("user", "add", "ana", "--password-stdin"), "short\n", ["too short"]),
        (("user", "add", "ana", "--password-stdin"), "", ["no password"]),
        (("user", "role", "nobody", "admin"), None, ["no user is named 'nobody'"]),
        (
            ("user", "password", "nobody", "--password-stdin"),
            PASSWORD,
            ["no user is named 'nobody'"],
        ),
    ],
)
def test_bad_input_is_one_clean_line(
    args: tuple[str, ...], stdin: str | None, fragments: list[str]
) -> None:
    assert_clean_error(run(*args, stdin=stdin), *fragments)


def test_a_taken_name_is_refused() -> None:
    run("user", "add", "ana", "--password-stdin", stdin=PASSWORD)
    assert_clean_error(run("user", "add", "ANA", "--password-stdin", stdin=PASSWORD), "is taken")
