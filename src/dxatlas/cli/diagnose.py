"""`dxatlas diagnose`: rank diseases for findings given as HPO ids, names, or a phenopacket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb, load_ranker
from dxatlas.cli.case_input import AGE, EXCLUDE, FINDINGS, SEX, FindingReader

if TYPE_CHECKING:
    from dxatlas.rank.case_text import CaseText


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
    text: str | None = typer.Option(
        None,
        "--text",
        help="The case in words ('61 year old male. Fever and dry cough; no chest pain.'): its "
        "findings (negated ones excluded; past conditions, 'with a history of asthma', counted "
        "only in a disease's favour; abnormal vital signs, 'heart rate 112 bpm'; misspelt "
        "finding words, 'hedache', corrected and said so), age and sex are read from it.",
    ),
    text_file: Path | None = typer.Option(
        None, "--text-file", help="A UTF-8 text file with the case in words (as --text)."
    ),
    risk: list[str] = typer.Option(
        [],
        "--risk",
        help="A risk factor the patient has (repeatable): RISK:smoking, RISK:recent-surgery, "
        "RISK:day-care ... (`dxatlas/kb/data/risk_factors.json`); --text reads them too.",
    ),
    top: int = typer.Option(10, "--top", min=1, max=500, help="How many diseases to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """Rank every disease of the knowledge base for a patient's findings, age and sex."""
    from dxatlas.rank.case import Case, CaseError
    from dxatlas.rank.case_text import (
        findings_with_words,
        no_complaint_message,
        risk_factors_with_words,
    )
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
    words = _case_words(text, text_file)
    if not present and words is None:
        fail(
            "no findings given: name at least one present finding (an HPO id or a name), or "
            "describe the case with --text"
        )

    kb = load_kb()
    reader = FindingReader(kb)
    read: CaseText | None = None
    history: list[str] = []
    risk_factors = list(risk)
    if words is not None:
        read = reader.case_text(words)
        present += read.present
        excluded += read.excluded
        history = read.history
        risk_factors += read.present_risk_factors
        if age is None and read.age_years is not None:
            age = str(read.age_years)
        sex = sex or read.sex
        if not present:
            fail(no_complaint_message(read))
    try:
        case = Case.build(
            kb,
            reader.ids(present),
            reader.ids(excluded),
            age,
            sex,
            strict=True,
            history=reader.ids(history),
            risk_factors=risk_factors,
        )
    except CaseError as error:
        fail(str(error))
    differential = load_ranker(kb).rank(case, top=top)
    payload = differential_json(kb, case, differential)
    if reader.recognised:
        payload["recognised"] = reader.recognised
    if read is not None:
        payload["findings"] = findings_with_words(payload["findings"], read)
        payload["risk_factors"] = risk_factors_with_words(payload["risk_factors"], read)
        if read.corrections:
            payload["spelling"] = [c.as_json() for c in read.corrections]
    if as_json:
        print(json.dumps(payload, indent=2))
        return
    _print_table(payload)


def _case_words(text: str | None, text_file: Path | None) -> str | None:
    """The case text of --text or --text-file (not both); None when neither is given."""
    if text is not None and text_file is not None:
        fail("give the case text with --text or --text-file, not both")
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read the case text {text_file}: {error}")
    if text is not None and not text.strip():
        fail("the case text is empty")
    return text


def _print_table(payload: dict) -> None:
    findings = ", ".join(
        ("not " if f["status"] == "excluded" else "")
        + f"{f['label']} ({f['id']}{', past history' if f.get('history') else ''})"
        for f in payload["findings"]
    )
    details = [d for d in (payload["age_text"], payload["sex"]) if d]
    console.print(f"Findings: {findings}" + (f"; {', '.join(details)}" if details else ""))
    for item in payload["findings"]:
        if item.get("text") and item["text"] != item["id"]:
            status = "absent" if item["status"] == "excluded" else "present"
            status = "past history" if item.get("history") else status
            console.print(f"[dim]read {item['text']!r} -> {item['label']} ({status})[/]")
    for item in payload.get("risk_factors", []):
        status = "denied" if item["status"] == "excluded" else "present"
        words = f" read {item['text']!r}" if item.get("text", item["id"]) != item["id"] else ""
        console.print(f"[dim]risk factor: {item['label']} ({status}){words}[/]")
    for item in payload.get("spelling", []):
        console.print(f"[dim]spelling: {item['written']!r} read as {item['read_as']!r}[/]")
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
