"""The root Typer app, shared helpers for clean errors, and the knowledge-base provider."""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console

from dxatlas.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from pydantic import ValidationError

    from dxatlas.rank.literature import LiteratureModel
    from dxatlas.rank.ranker import Ranker

app = typer.Typer(
    name="dxatlas",
    help="dxatlas: a medical knowledge engine. It informs; it never replaces a physician.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
error_console = Console(stderr=True)

EXIT_BAD_INPUT = 2


class UserInputError(Exception):
    """Bad input from the user: reported as one line on stderr with exit code 2, never a traceback."""


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    error_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn `UserInputError` (and the lookup/parse errors it wraps) into a clean one-line error."""
    try:
        yield
    except UserInputError as error:
        fail(str(error))


def load_kb(*, quiet: bool = False, rebuild: bool = False) -> KnowledgeBase:
    """The knowledge base of the current settings; builds the index on first use with a notice.
    Unusable HPO files or cache folder end the command with a one-line error."""
    from dxatlas.kb.hpoa import HpoaError
    from dxatlas.kb.index import index_folder, open_knowledge_base
    from dxatlas.kb.source import DataSourceError
    from dxatlas.settings import get_settings

    settings = get_settings()
    try:
        folder = index_folder(settings)
    except DataSourceError as error:
        fail(str(error))
    if (rebuild or not (folder / "meta.json").is_file()) and not quiet:
        error_console.print(f"Building the knowledge-base index in {folder} (once)...")
    try:
        return open_knowledge_base(settings, rebuild=rebuild)
    except HpoaError as error:
        fail(f"the HPO annotation file is malformed: {error}")
    except OSError as error:
        fail(f"cannot build the knowledge-base index in {folder}: {error}")


def load_ranker(kb: KnowledgeBase, *, literature: bool = True) -> Ranker:
    """A ranker for `kb`, its model matrices read from (or saved beside) the knowledge-base index,
    with the evidence store's literature knowledge unless `literature` is False."""
    from dxatlas.kb.index import index_folder
    from dxatlas.rank.model import PhenotypeModel
    from dxatlas.rank.ranker import Ranker
    from dxatlas.settings import get_settings

    settings = get_settings()
    model = PhenotypeModel.load_or_build(kb, None, index_folder(settings))
    mined = _literature(kb, settings.database_url) if literature else None
    return Ranker(kb, model=model, literature=mined)


def _literature(kb: KnowledgeBase, database_url: str) -> LiteratureModel | None:
    """The literature knowledge of the evidence store, when there is a store (never creates one)."""
    from sqlalchemy.engine import make_url

    from dxatlas.rank.from_store import literature_model
    from dxatlas.store import Store, StoreError

    try:
        url = make_url(database_url)
    except Exception:  # a malformed URL is reported by the commands that need the store
        return None
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return None
    try:
        with Store.open(database_url) as store:  # an older schema is brought up to date
            return literature_model(store, kb)
    except StoreError as error:
        error_console.print(f"[yellow]note:[/] literature knowledge not used: {error}")
        return None


def main() -> None:
    """Console-script entry point."""
    from pydantic import ValidationError

    try:
        app()
    except KeyboardInterrupt:
        error_console.print("interrupted")
        sys.exit(130)
    except ValidationError as error:
        error_console.print(f"[bold red]error:[/] {settings_problem(error)}", highlight=False)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        # Any command given a path argument longer than the file system allows lands here.
        name = str(error.filename or "")
        shown = name if len(name) <= 60 else f"{name[:57]}..."
        error_console.print(
            f"[bold red]error:[/] file name too long ({len(name):,} characters): {shown}",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_BAD_INPUT)


def settings_problem(error: ValidationError) -> str:
    """A settings validation error as one line naming the environment variables at fault."""
    parts = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem.get("loc", ())) or "settings"
        parts.append(f"DXATLAS_{field.upper()}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts)
