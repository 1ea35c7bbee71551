"""Store commands: `db stats`; and `open_store`, which every store-using command opens it with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from dxatlas.cli.app import app, console, fail
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


@db_app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Count what the store holds: concepts, revisions, documents, sentences, evidence."""
    with open_store() as store:
        totals = store.stats()
        url = store.url
    if as_json:
        console.print_json(json.dumps({"database": url, **totals.to_json()}))
        return
    console.print(f"Store {url}", highlight=False)
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
