"""`dxatlas user ...`: web accounts from the command line (the first admin is made here).

dxatlas user add ana --admin            # asks for the password twice
printf '%s\\n' "$PASSWORD" | dxatlas user add bot --role editor --password-stdin
dxatlas user list
dxatlas user role ana moderator
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from dxatlas.cli.app import app, console, fail
from dxatlas.store.accounts import Role, User
from dxatlas.store.community import Community
from dxatlas.store.errors import StoreError

user_app = typer.Typer(
    help="Web accounts: add one (the first admin too), list them, change a role or password.",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")

_ROLES = ", ".join(role.value for role in Role)
_PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)


@contextmanager
def open_community() -> Iterator[Community]:
    """The community tables of the settings' database (migrated); `StoreError` is a clean exit 2."""
    from dxatlas.settings import get_settings

    try:
        community = Community.open(get_settings().database_url)
    except StoreError as error:
        fail(str(error))
    try:
        yield community
    except StoreError as error:
        fail(str(error))
    finally:
        community.close()


def read_password(from_stdin: bool) -> str:
    """The password: the first line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: standard input holds no password")
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _line(user: User) -> str:
    return (
        f"{user.id:>5}  {user.name:<40} {user.role.value:<10} {user.created_at:%Y-%m-%d %H:%M} UTC"
    )


@user_app.command("add")
def add(
    name: str = typer.Argument(..., help="The user name (3 to 40 letters, digits, . _ -)."),
    admin: bool = typer.Option(False, "--admin", help="Make the account an admin."),
    role: str | None = typer.Option(None, "--role", help=f"The account's role: {_ROLES}."),
    password_stdin: bool = _PASSWORD_STDIN,
) -> None:
    """Add a web account (role user unless --admin or --role says otherwise)."""
    if admin and role is not None and role.strip().lower() != Role.ADMIN:
        fail(f"--admin and --role {role} contradict each other: give one of them")
    wanted = Role.ADMIN.value if admin else (role or Role.USER.value)
    with open_community() as community:
        Role.parse(wanted)  # a bad role is reported before the password is asked for
        user = community.accounts.add(name, read_password(password_stdin), role=wanted)
    console.print(f"Added {user.name} ({user.role.value})", highlight=False)


@user_app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the web accounts, oldest first."""
    with open_community() as community:
        users = community.accounts.users()
    if as_json:
        console.print_json(json.dumps([user.to_json() for user in users]))
        return
    if not users:
        console.print("No accounts yet: add the first admin with `dxatlas user add NAME --admin`.")
        return
    for user in users:
        console.print(_line(user), highlight=False)


@user_app.command("role")
def set_role(
    name: str = typer.Argument(..., help="The user name."),
    role: str = typer.Argument(..., help=f"The new role: {_ROLES}."),
) -> None:
    """Give an account another role."""
    with open_community() as community:
        user = community.accounts.set_role(name, role)
    console.print(f"{user.name} is now {user.role.value}", highlight=False)


@user_app.command("password")
def set_password(
    name: str = typer.Argument(..., help="The user name."),
    password_stdin: bool = _PASSWORD_STDIN,
) -> None:
    """Set an account's password; its sessions end (it signs in again)."""
    with open_community() as community:
        if community.accounts.find(name) is None:
            fail(f"no user is named {name.strip()!r}")
        community.accounts.set_password(name, read_password(password_stdin))
    console.print(f"New password set for {name.strip()}", highlight=False)
