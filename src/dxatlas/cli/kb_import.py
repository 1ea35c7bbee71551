"""`dxatlas kb import FILE`: a user's curated table of disease findings, into the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dxatlas.cli.app import app, console, fail, load_kb
from dxatlas.cli.case_input import FindingReader
from dxatlas.cli.concept import default_author
from dxatlas.cli.db import open_store

if TYPE_CHECKING:
    from dxatlas.kb.table_import import TableRow

kb_app = typer.Typer(
    help="The knowledge the ranking uses beyond the shipped HPO annotations.",
    no_args_is_help=True,
)
app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def kb_import(
    path: Path = typer.Argument(
        ...,
        help="A CSV, JSON or JSON Lines table with disease, finding, frequency, source; or "
        "DDXPlus's release_conditions.json.",
    ),
    evidences: Path | None = typer.Option(
        None,
        "--evidences",
        help="DDXPlus only: its release_evidences.json (default: the file of that name beside "
        "the conditions file).",
    ),
    author: str | None = typer.Option(
        None, "--author", help="Who imports it (default: the OS user name)."
    ),
) -> None:
    """Import a curated table: each row says a disease has a finding (HPO id or words), with a
    frequency and a source when given. Checked whole first; a bad row stops the import.
    DDXPlus's knowledge files are read through dxatlas's crosswalk of its symptom codes."""
    from dxatlas.kb.lookup import NameIndex
    from dxatlas.kb.table_import import TableError, check_rows
    from dxatlas.rank.statements import load_cues
    from dxatlas.store import CuratedNames

    try:
        rows = _read_rows(path, evidences)
    except TableError as error:
        fail(str(error))
    kb = load_kb()
    reader = FindingReader(kb)

    def read_words(text: str) -> list[tuple[str, str]]:
        """The distinct asserted findings a phrase names, as (id, label)."""
        return list({found_id: label for found_id, label, _ in reader.findings_in(text)}.items())

    words = dict(load_cues().frequency_words)
    try:
        checked = check_rows(rows, kb, NameIndex.build(kb), read_words, words, str(path))
    except TableError as error:
        fail(str(error))
    with open_store(CuratedNames.from_kb(kb)) as store:
        outcome = store.import_findings(checked, str(path), author or default_author())
    console.print(
        f"imported {path}: {outcome.added} new row(s), {outcome.unchanged} already stored; "
        f"{len(outcome.concepts_added)} new concept(s)"
        + (f" ({', '.join(outcome.concepts_added[:5])})" if outcome.concepts_added else ""),
        soft_wrap=True,
    )


def _read_rows(path: Path, evidences: Path | None) -> list[TableRow]:
    """The rows of a table, or of DDXPlus's conditions (with a line on what was left out)."""
    from dxatlas.kb.ddxplus import evidences_beside, is_ddxplus_conditions, read_ddxplus
    from dxatlas.kb.risk_factors import is_risk_id
    from dxatlas.kb.table_import import TableError, read_table

    if not is_ddxplus_conditions(path):
        if evidences is not None:
            raise TableError(f"--evidences is for DDXPlus files; {path} is not one")
        return read_table(path)
    reading = read_ddxplus(path, evidences or evidences_beside(path))
    risks = sum(1 for row in reading.rows if is_risk_id(row.finding))
    unmapped = (
        f"; {len(reading.unmapped)} symptom code(s) the crosswalk does not know, not imported: "
        + ", ".join(reading.unmapped)
        if reading.unmapped
        else ""
    )
    console.print(
        f"DDXPlus: {reading.conditions} condition(s), {len(reading.rows) - risks} finding row(s) "
        f"and {risks} risk-factor row(s); left out: {reading.follow_ups} follow-up question(s), "
        f"{reading.antecedents} antecedent(s) no risk factor maps, "
        f"{reading.no_finding} code(s) that name no HPO finding{unmapped}",
        soft_wrap=True,
    )
    return reading.rows
