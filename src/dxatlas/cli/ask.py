"""`dxatlas ask`: the findings worth asking about next, by expected information gain."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb, load_ranker
from dxatlas.cli.case_input import AGE, EXCLUDE, FINDINGS, SEX, FindingReader


@app.command("ask")
def ask(
    findings: list[str] = FINDINGS,
    exclude: list[str] = EXCLUDE,
    age: str | None = AGE,
    sex: str | None = SEX,
    top: int = typer.Option(5, "--top", min=1, max=100, help="How many questions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """Suggest the next questions to ask: the findings whose answer would most sharpen the
    differential of `dxatlas diagnose` (expected information gain, in bits)."""
    from dxatlas.rank.case import Case, CaseError
    from dxatlas.rank.questions import next_questions

    present = list(findings or [])
    if not present:
        fail("no findings given: name at least one present finding (an HPO id or a name)")
    kb = load_kb()
    reader = FindingReader(kb)
    try:
        case = Case.build(kb, reader.ids(present), reader.ids(exclude or []), age, sex, strict=True)
    except CaseError as error:
        fail(str(error))
    questions = next_questions(load_ranker(kb), case, top)
    payload = {
        "questions": [
            {
                "id": q.term_id,
                "label": q.label,
                "question": q.question_text,
                "expected_gain": round(q.expected_gain, 4),
                "p_yes": round(q.p_yes, 4),
            }
            for q in questions
        ],
        "kb_version": kb.version,
    }
    if as_json:
        print(json.dumps(payload, indent=2))
        return
    onto = kb.ontology
    given = ", ".join(
        [f"{onto.labels[onto.index[t]]} ({t})" for t in case.present]
        + [f"not {onto.labels[onto.index[t]]} ({t})" for t in case.excluded]
    )
    console.print(f"Findings: {given}")
    table = Table(title=f"Next questions ({kb.version})")
    table.add_column("#", justify="right")
    table.add_column("question", ratio=3)
    table.add_column("finding", ratio=2)
    table.add_column("gain (bits)", justify="right")
    table.add_column("P(yes)", justify="right")
    for rank, item in enumerate(payload["questions"], start=1):
        table.add_row(
            str(rank),
            item["question"],
            f"{item['label']}\n[dim]{item['id']}[/]",
            f"{item['expected_gain']:.3f}",
            f"{item['p_yes']:.0%}",
        )
    if not payload["questions"]:
        console.print("No finding left to ask about for this case.")
        return
    console.print(table)
