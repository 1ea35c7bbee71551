"""The `dxatlas` command line: one Typer app, with each command group in its own module."""

from __future__ import annotations

from dxatlas.cli import annotate, bench, bench_recognize, bench_sections, demo, diagnose, ingest, kb  # noqa: F401  (each import registers its commands)
from dxatlas.cli.app import app, main

__all__ = ["app", "main"]
