"""Concept commands: add a user concept, show one with its revisions, import an ontology, revert."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer

from dxatlas.cli.app import app, console, error_console, fail, load_kb
from dxatlas.cli.db import open_store
from dxatlas.store import ConceptChange, ConceptState, CuratedNames, Revision

concept_app = typer.Typer(
    help="User concepts: add, edit, show, import from an ontology, revert to a revision.",
    no_args_is_help=True,
)
app.add_typer(concept_app, name="concept")


def default_author() -> str:
    """The OS user name, which every change is recorded under unless `--author` is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (e.g. a container without a passwd entry)
        return "unknown"


_AUTHOR = typer.Option(None, "--author", help="Who makes the change (default: the OS user name).")


def _curated() -> CuratedNames:
    """The curated diseases of the knowledge base (parents may be one; duplicates are reported)."""
    return CuratedNames.from_kb(load_kb(quiet=True))


def _report_change(verb: str, change: ConceptChange) -> None:
    concept = change.concept
    console.print(
        f"{verb} {concept.id} {concept.name} (revision {change.revision})", highlight=False
    )
    for overlap in change.overlaps:
        error_console.print(
            f"[yellow]note:[/] {overlap.describe()}", highlight=False, soft_wrap=True
        )


@concept_app.command("add")
def add(
    name: str = typer.Argument(..., help="The concept's preferred name."),
    synonyms: list[str] = typer.Option([], "--synonym", help="Another name (repeatable)."),
    parent: str | None = typer.Option(
        None,
        "--parent",
        help="Parent: a stored concept's id or name, or a curated disease's id (OMIM:...).",
    ),
    xrefs: list[str] = typer.Option([], "--xref", help="Id elsewhere, e.g. OMIM:... (repeatable)."),
    description: str | None = typer.Option(
        None, "--description", help="A one-paragraph definition."
    ),
    author: str | None = _AUTHOR,
) -> None:
    """Add a user concept; it gets the id DXATLAS:<name as slug>."""
    curated = _curated()
    with open_store(curated) as store:
        change = store.add_concept(
            name,
            synonyms,
            parent,
            xrefs,
            author=author or default_author(),
            description=description,
        )
    _report_change("Added", change)


def _state_lines(state: ConceptState, parent_name: str | None) -> list[str]:
    lines = [f"{state.id}  {state.name}  ({state.source}{', hidden' if state.hidden else ''})"]
    if state.description:
        lines.append(state.description)
    if state.synonyms:
        lines.append(
            "Synonyms: "
            + "; ".join(
                s.text if s.scope == "exact" else f"{s.text} ({s.scope})" for s in state.synonyms
            )
        )
    if state.xrefs:
        lines.append("Xrefs: " + ", ".join(state.xrefs))
    if state.parent_id:
        lines.append(f"is a: {state.parent_id}" + (f" {parent_name}" if parent_name else ""))
    return lines


def _revision_line(revision: Revision) -> str:
    what = revision.action
    if revision.reverted_to is not None:
        what += f" to {revision.reverted_to}"
    changed = ", ".join(revision.changes) if revision.before is not None else ""
    when = revision.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"  {revision.number:>3}  {when}  {revision.author}  {what}" + (
        f": {changed}" if changed else ""
    )


@concept_app.command("show")
def show(
    name_or_id: str = typer.Argument(..., help="A concept id, name or synonym."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a stored concept with its synonyms, xrefs, parent and every revision."""
    with open_store() as store:
        state = store.find_concept(name_or_id)
        if state is None:
            fail(f"no concept has the id, name or synonym {name_or_id!r}")
        revisions = store.revisions(state.id)
        overlaps = store.overlaps(state.id)
        parent = store.find_concept(state.parent_id) if state.parent_id else None
    if as_json:
        record = {
            "concept": state.to_json(),
            "parent_name": parent.name if parent else None,
            "revisions": [revision.to_json() for revision in revisions],
            "overlaps": [
                {"name": o.shared_name, "other_id": o.other_id, "other_name": o.other_name}
                for o in overlaps
            ],
        }
        console.print_json(json.dumps(record))
        return
    for line in _state_lines(state, parent.name if parent else None):
        console.print(line, highlight=False, soft_wrap=True)
    for overlap in overlaps:
        console.print(f"Note: {overlap.describe()}", highlight=False)
    console.print(f"Revisions ({len(revisions)}):", highlight=False)
    for revision in revisions:
        console.print(_revision_line(revision), highlight=False)


@concept_app.command("import")
def import_(
    path: Path = typer.Argument(
        ..., help="An ontology file (.obo), e.g. MONDO or Disease Ontology."
    ),
    author: str | None = _AUTHOR,
) -> None:
    """Import every term of an ontology file as a concept (re-importing changes only what changed)."""
    with open_store() as store:
        report = store.import_obo(path, author or default_author())
    console.print(
        f"Imported {report.terms:,} terms from {path}: {report.added:,} added, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged; "
        f"{report.skipped:,} obsolete or unnamed skipped",
        highlight=False,
        soft_wrap=True,
    )
    if report.multiple_parents:
        error_console.print(
            f"[yellow]note:[/] {report.multiple_parents:,} terms have several parents; "
            "only the one with the lowest id is kept",
            highlight=False,
        )


@concept_app.command("revert")
def revert(
    concept_id: str = typer.Argument(..., help="The concept's id (or name)."),
    revision: int = typer.Argument(..., help="The revision whose state to restore."),
    author: str | None = _AUTHOR,
) -> None:
    """Restore the state a revision left; this appends a new revision (history is never lost)."""
    with open_store() as store:
        state = store.find_concept(concept_id)
        if state is None:
            fail(f"no concept has the id, name or synonym {concept_id!r}")
        change = store.revert(state.id, revision, author or default_author())
    _report_change(f"Reverted to revision {revision}:", change)


@concept_app.command("edit")
def edit(
    concept_id: str = typer.Argument(..., help="The concept's id (or name)."),
    name: str | None = typer.Option(None, "--name", help="A new preferred name."),
    add_synonyms: list[str] = typer.Option([], "--add-synonym", help="A name to add (repeatable)."),
    remove_synonyms: list[str] = typer.Option(
        [], "--remove-synonym", help="A synonym to remove (repeatable)."
    ),
    description: str | None = typer.Option(None, "--description", help="A new definition."),
    hide: bool | None = typer.Option(
        None, "--hide/--show", help="Hide the concept from pages and ranking, or show it again."
    ),
    author: str | None = _AUTHOR,
) -> None:
    """Change a concept; every change is a new revision (see `concept show`, `concept revert`)."""
    from dxatlas.kb.normalize import normalize_name

    with open_store(_curated()) as store:
        state = store.find_concept(concept_id)
        if state is None:
            fail(f"no concept has the id, name or synonym {concept_id!r}")
        removed = {normalize_name(text) for text in remove_synonyms}
        unknown = removed - {normalize_name(s.text) for s in state.synonyms}
        if unknown:
            fail(f"{concept_id!r} has no synonym {', '.join(sorted(unknown))!r} to remove")
        synonyms = [s for s in state.synonyms if normalize_name(s.text) not in removed]
        synonyms += list(add_synonyms)
        change = store.edit_concept(
            state.id,
            author=author or default_author(),
            name=name,
            synonyms=synonyms if (add_synonyms or remove_synonyms) else None,
            description=description,
            hidden=hide,
        )
    if change is None:
        console.print(f"{state.id} {state.name}: nothing changed", highlight=False)
        return
    _report_change("Edited", change)
