"""Knowledge-base commands: build the index, show a finding, show a disease."""

from __future__ import annotations

import json
import time
from typing import Any

import typer
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.lookup import NameIndex, UnknownNameError

index_app = typer.Typer(
    help="The knowledge-base index (built once per HPO release).", no_args_is_help=True
)
app.add_typer(index_app, name="index")


@index_app.command("build")
def index_build(
    rebuild: bool = typer.Option(False, "--rebuild", help="Build again even if an index exists."),
) -> None:
    """Build the knowledge-base index from the shipped HPO data (skipped when it already exists)."""
    from dxatlas.kb.index import index_folder
    from dxatlas.settings import get_settings

    started = time.perf_counter()
    kb = load_kb(rebuild=rebuild)
    console.print(
        f"{kb.version}: {len(kb.ontology):,} terms, {kb.n_diseases:,} diseases, "
        f"{len(kb.annotations):,} annotations; index {index_folder(get_settings())} "
        f"({time.perf_counter() - started:.2f} s)"
    )


@app.command("finding")
def finding(
    name: str = typer.Argument(..., help="An HPO id, a term name or a synonym (lay words too)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a finding: its HPO id, definition, synonyms and parents."""
    kb = load_kb()
    try:
        term_id = NameIndex.build(kb).finding(name)
    except UnknownNameError as error:
        fail(str(error))
    term = kb.ontology.term(kb.ontology.index[term_id])
    record = {
        "id": term.id,
        "label": term.label,
        "definition": term.definition,
        "synonyms": [
            {"text": s.text, "scope": s.scope.lower(), "type": s.kind} for s in term.synonyms
        ],
        "parents": [
            {"id": p, "label": kb.ontology.labels[kb.ontology.index[p]]} for p in term.parents
        ],
        "kb_version": kb.version,
    }
    if as_json:
        print(json.dumps(record, indent=2))
        return
    console.print(f"[bold]{term.id}[/] {term.label}   ({kb.version})")
    if term.definition:
        console.print(term.definition)
    if term.synonyms:
        console.print(
            "Synonyms: "
            + "; ".join(s.text + (" (lay)" if s.kind == "layperson" else "") for s in term.synonyms)
        )
    for parent in record["parents"]:
        console.print(f"is a: {parent['id']} {parent['label']}")


@app.command("disease")
def disease(
    name: str = typer.Argument(..., help="A disease id (OMIM:151400, ORPHA:558) or name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a disease's curated annotations: findings, frequency, onset, sex, NOT, references."""
    kb = load_kb()
    try:
        index = NameIndex.build(kb).disease(name)
    except UnknownNameError as error:
        fail(str(error))
    record = disease_record(kb, index)
    if as_json:
        print(json.dumps(record, indent=2))
        return
    console.print(f"[bold]{record['id']}[/] {record['name']}   ({kb.version})")
    if record["onset"]:
        console.print("Onset: " + ", ".join(o["label"] for o in record["onset"]))
    if record["inheritance"]:
        console.print("Inheritance: " + ", ".join(o["label"] for o in record["inheritance"]))
    table = Table("finding", "label", "frequency", "onset", "sex", "references")
    for row in record["findings"]:
        label = ("NOT " if row["negated"] else "") + row["label"]
        table.add_row(
            row["id"],
            label,
            row["frequency"] or "",
            row["onset"] or "",
            row["sex"] or "",
            ", ".join(row["references"][:3]) + (" ..." if len(row["references"]) > 3 else ""),
        )
    console.print(table)


def disease_record(kb: KnowledgeBase, index: int) -> dict[str, Any]:
    """A disease's annotations as a JSON-ready dict."""
    findings, onset, inheritance = [], [], []
    for view in kb.annotation_views(index):
        item = {"id": view.id, "label": view.label}
        if view.aspect == "C":
            onset.append(item)
        elif view.aspect == "I":
            inheritance.append(item)
        else:
            findings.append(
                {
                    **item,
                    "negated": view.negated,
                    "frequency": view.frequency,
                    "onset": view.onset,
                    "sex": view.sex,
                    "aspect": view.aspect,
                    "references": list(view.references),
                }
            )
    return {
        "id": kb.disease_ids[index],
        "name": kb.disease_names[index],
        "onset": onset,
        "inheritance": inheritance,
        "findings": findings,
        "kb_version": kb.version,
    }
