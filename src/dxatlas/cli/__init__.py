"""The `dxatlas` command line: one Typer app, with each command group in its own module."""

from __future__ import annotations

# Each import registers the commands of one module on the app.
from dxatlas.cli import (  # noqa: F401
    annotate,
    ask,
    bench,
    bench_more,
    bench_recognize,
    bench_sections,
    bench_vignettes,
    concept,
    db,
    demo,
    diagnose,
    ingest,
    kb,
    kb_import,
    page,
    serve,
    user,
)
from dxatlas.cli.app import app, main

__all__ = ["app", "main"]
