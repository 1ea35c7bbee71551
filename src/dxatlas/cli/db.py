"""Store commands: `db stats`, `db upgrade`, `db export`, `db import`; and `open_store`, which
every store-using command opens it with."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dxatlas.cli.app import app, console, error_console, fail
from dxatlas.store import CuratedNames, Store, StoreError

db_app = typer.Typer(help="The evidence store (DXATLAS_DATABASE_URL).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@contextmanager
def open_store(curated: CuratedNames | None = None) -> Iterator[Store]:
    """The store the settings name, migrated; any `StoreError` inside becomes a clean exit 2."""
    from dxatlas.settings import get_settings

    try:
        store = Store.open(get_settings().database_url, curated=curated)
    except StoreError as error:
        fail(str(error))
    try:
        yield store
    except StoreError as error:
        fail(str(error))
    finally:
        store.close()


@contextmanager
def _engine(*, must_exist: bool) -> Iterator[Engine]:
    """An engine on the settings' database, not migrated; with `must_exist`, a SQLite file that
    is not there is an error rather than a new empty database."""
    from sqlalchemy.engine import make_url

    from dxatlas.settings import get_settings
    from dxatlas.store.database import make_engine, safe_url, store_error

    url = get_settings().database_url
    try:
        engine = make_engine(url)
    except StoreError as error:
        fail(str(error))
    parsed = make_url(url)
    database = parsed.database or ""
    if (
        must_exist
        and parsed.get_backend_name() == "sqlite"
        and database not in ("", ":memory:")
        and not database.startswith("file:")
        and not Path(database).expanduser().is_file()
    ):
        engine.dispose()
        fail(f"no database at {database} ({safe_url(url)}; set DXATLAS_DATABASE_URL)")
    try:
        yield engine
    except StoreError as error:
        fail(str(error))
    except SQLAlchemyError as error:  # a database that went away between two steps
        fail(str(store_error(engine.url, error)))
    finally:
        engine.dispose()


@db_app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Count what the store holds: concepts, revisions, documents, sentences, evidence."""
    from dxatlas.store.database import current_revision
    from dxatlas.store.transfer import row_counts, snapshot

    with open_store() as store:
        totals = store.stats()
        url = store.url
        with snapshot(store.engine) as connection:
            revision = current_revision(connection)
            tables = row_counts(connection)
    if as_json:
        payload = {
            "database": url,
            "dialect": store.engine.dialect.name,
            "schema_revision": revision,
            **totals.to_json(),
            "tables": tables,
        }
        console.print_json(json.dumps(payload))
        return
    console.print(f"Store {url} (schema {revision})", highlight=False)
    sources = ", ".join(f"{n:,} {source}" for source, n in totals.concepts_by_source.items())
    rows = [
        ("concepts", totals.concepts, sources),
        ("concept revisions", totals.concept_revisions, ""),
        ("documents", totals.documents, ""),
        ("sentences", totals.sentences, ""),
        ("mentions", totals.mentions, ""),
        ("evidence items", totals.evidence, ""),
        ("patients", totals.patients, ""),
    ]
    for label, count, detail in rows:
        console.print(
            f"  {label:<18} {count:>10,}" + (f"  ({detail})" if detail else ""), highlight=False
        )


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database's schema to this version's latest revision (every store-opening
    command does so too; run this once before starting several web workers)."""
    from dxatlas.store.database import current_revision, migrate, safe_url

    with _engine(must_exist=False) as engine:
        url = safe_url(engine.url)
        with engine.connect() as connection:
            before = current_revision(connection)
        migrate(engine)
        with engine.connect() as connection:
            after = current_revision(connection)
    message = (
        f"Store {url} is at the latest schema ({after})"
        if before == after
        else f"Store {url} migrated from {before or 'empty'} to {after}"
    )
    console.print(message, highlight=False, soft_wrap=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
        disable=not error_console.is_terminal,
    )


def _hpo_version() -> str | None:
    """The HPO release the settings' knowledge base is built from (the `data-version` of hp.obo),
    read from the file's header without building anything."""
    from dxatlas.kb.source import DataSourceError, locate_hpo_data
    from dxatlas.settings import get_settings

    try:
        obo = locate_hpo_data(get_settings().hpo_data_dir).obo
        with obo.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("[Term]"):
                    break
                if line.startswith("data-version:"):
                    return line.partition(":")[2].strip().rsplit("/", 1)[-1]
    except (DataSourceError, OSError, UnicodeDecodeError):
        return None
    return None


@contextmanager
def _tracked(
    description: str,
) -> Iterator[tuple[Callable[[int], None], Callable[[str, int], None]]]:
    """A progress bar over rows: (set its total, advance it by a table's rows)."""
    with _progress() as progress:
        task = progress.add_task(description, total=None)

        def total(rows: int) -> None:
            progress.update(task, total=rows)

        def advance(table: str, rows: int) -> None:
            progress.update(task, advance=rows, description=f"{description} {table}")

        yield total, advance


@db_app.command("export")
def export(
    file: Path = typer.Argument(..., help="The file to write: gzip JSON Lines (e.g. kb.jsonl.gz)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE when it exists."),
) -> None:
    """Write the whole store to FILE, to back it up or move it to another database
    (`dxatlas db import`); the format is described in docs/deploy.md."""
    from dxatlas.store.transfer import export_store

    if file.is_dir():
        fail(f"{file} is a folder, not a file")
    if file.exists() and not force:
        fail(f"{file} exists; pass --force to overwrite it")
    with _engine(must_exist=True) as engine, _tracked("exporting") as (total, advance):
        header = export_store(
            engine,
            file,
            hpo_version=_hpo_version(),
            progress=advance,
            on_header=lambda h: total(h.total_rows),
        )
    console.print(
        f"Exported {header.total_rows:,} rows of {len(header.tables)} tables "
        f"(schema {header.schema_revision}) to {file}",
        highlight=False,
        soft_wrap=True,
    )


@db_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A file `dxatlas db export` wrote."),
    replace: bool = typer.Option(
        False, "--replace", help="Delete everything the database holds first (one transaction)."
    ),
) -> None:
    """Load FILE into the store's database, which must be empty (or pass --replace): all of it
    in one transaction, or nothing. Ids are kept and the full-text index is rebuilt."""
    from dxatlas.store.transfer import import_store

    if file.is_dir():
        fail(f"{file} is a folder, not a file")
    if not file.is_file():
        fail(f"{file}: no such file")
    with _engine(must_exist=False) as engine, _tracked("importing") as (total, advance):
        header = import_store(
            engine, file, replace=replace, progress=advance, on_header=lambda h: total(h.total_rows)
        )
    console.print(
        f"Imported {header.total_rows:,} rows of {len(header.tables)} tables from {file} "
        f"(exported {header.created_at[:19]} by dxatlas {header.dxatlas_version}, "
        f"HPO {header.hpo_version or 'unknown'})",
        highlight=False,
        soft_wrap=True,
    )
