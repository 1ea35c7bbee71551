"""`dxatlas diagnose`: rank diseases for findings given as HPO ids, names, or a phenopacket."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb, load_ranker
from dxatlas.cli.case_input import AGE, EXCLUDE, FINDINGS, SEX, FindingReader


@app.command("diagnose")
def diagnose(
    findings: list[str] = FINDINGS,
    exclude: list[str] = EXCLUDE,
    age: str | None = AGE,
    sex: str | None = SEX,
    phenopacket: Path | None = typer.Option(
        None,
        "--phenopacket",
        help="A GA4GH Phenopacket v2 JSON file with the findings, age and sex.",
    ),
    top: int = typer.Option(10, "--top", min=1, max=500, help="How many diseases to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """Rank every disease of the knowledge base for a patient's findings, age and sex."""
    from dxatlas.rank.case import Case, CaseError
    from dxatlas.rank.phenopacket import PhenopacketError, read_phenopacket
    from dxatlas.rank.report import differential_json

    present = list(findings or [])
    excluded = list(exclude or [])
    if phenopacket is not None:
        try:
            text = phenopacket.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read phenopacket {phenopacket}: {error}")
        try:
            packet = read_phenopacket(text, str(phenopacket))
        except PhenopacketError as error:
            fail(str(error))
        present += packet.present
        excluded += packet.excluded
        age = age or packet.age
        sex = sex or packet.sex
    if not present:
        fail("no findings given: name at least one present finding (an HPO id or a name)")

    kb = load_kb()
    reader = FindingReader(kb)
    try:
        case = Case.build(kb, reader.ids(present), reader.ids(excluded), age, sex, strict=True)
    except CaseError as error:
        fail(str(error))
    differential = load_ranker(kb).rank(case, top=top)
    payload = differential_json(kb, case, differential)
    if reader.recognised:
        payload["recognised"] = reader.recognised
    if as_json:
        print(json.dumps(payload, indent=2))
        return
    _print_table(payload)


def _print_table(payload: dict) -> None:
    findings = ", ".join(
        ("not " if f["status"] == "excluded" else "") + f"{f['label']} ({f['id']})"
        for f in payload["findings"]
    )
    details = [d for d in (payload["age_text"], payload["sex"]) if d]
    console.print(f"Findings: {findings}" + (f"; {', '.join(details)}" if details else ""))
    for item in payload.get("recognised", []):
        console.print(
            f"[dim]read {item['text']!r}: {item['words']!r} -> {item['label']} ({item['id']})[/]"
        )
    table = Table(
        title=f"Differential over {payload['n_ranked']:,} diseases ({payload['kb_version']})",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("disease", ratio=3)
    table.add_column("prob.", justify="right")
    table.add_column("supporting", ratio=3)
    table.add_column("contradicting", ratio=2)
    for row in payload["differential"]:
        explanation = row["explanation"]
        supporting = sorted(
            (e for e in explanation if e["likelihood_ratio"] > 1),
            key=lambda e: -e["likelihood_ratio"],
        )
        against = sorted(
            (e for e in explanation if e["likelihood_ratio"] < 1),
            key=lambda e: e["likelihood_ratio"],
        )
        table.add_row(
            str(row["rank"]),
            f"{row['name']}\n[dim]{', '.join([row['id'], *row['xrefs']])}"
            + (" · from the literature" if row["source"] == "literature" else "")
            + "[/]",
            f"{row['probability']:.1%}",
            "; ".join(_describe(e) for e in supporting[:3]),
            "; ".join(_describe(e) for e in against[:2]),
        )
    console.print(table)
    console.print(f"[dim]{payload['notice']}[/]")


def _describe(item: dict) -> str:
    label = item["finding"]["label"]
    prefix = "no " if item["status"] == "excluded" else ""
    return f"{prefix}{label} (x{item['likelihood_ratio']:.2g})"
