"""`dxatlas demo`: what `make run` starts until the web app exists: a guided tour of the CLI."""

from __future__ import annotations

import typer

from dxatlas.cli.app import app, console

# Each step is a command line the user can type themselves; the demo runs them in-process.
DEMO_STEPS: tuple[tuple[str, list[str]], ...] = (
    ("Look up a finding by its lay name", ["finding", "sore throat"]),
    (
        "Rank diseases for a child with thumb and heart findings",
        [
            "diagnose",
            "HP:0001631",
            "absent thumb",
            "triphalangeal thumb",
            "--age",
            "P4Y",
            "--sex",
            "female",
            "--top",
            "5",
        ],
    ),
    (
        "The same question for an infant with respiratory distress and anaemia, without fever",
        [
            "diagnose",
            "respiratory distress",
            "anaemia",
            "--exclude",
            "fever",
            "--age",
            "P4M",
            "--sex",
            "male",
            "--top",
            "5",
        ],
    ),
)


@app.command("demo")
def demo() -> None:
    """Run a short tour: finding lookup and two ranked differentials on the shipped HPO data."""
    for title, args in DEMO_STEPS:
        console.rule(f"[bold]{title}")
        console.print(f"[dim]$ dxatlas {' '.join(_quote(a) for a in args)}[/]")
        try:
            app(args, standalone_mode=False)
        except typer.Exit as stop:
            if stop.exit_code:
                raise
    console.rule()
    console.print("Try your own: dxatlas diagnose --help")


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg
