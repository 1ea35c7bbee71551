"""`dxatlas serve`: run the web app (JSON API and HTML pages) with uvicorn."""

from __future__ import annotations

import os

import typer

from dxatlas.cli.app import app


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (each loads the knowledge base)."
    ),
    reload: bool = typer.Option(False, "--reload", help="Restart on code changes (development)."),
) -> None:
    """Serve the web app: search, concept pages, the symptom check and the /api/v1 JSON API."""
    import uvicorn

    one_blas_thread()

    uvicorn.run(
        "dxatlas.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
    )


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Worker processes use one BLAS thread unless the environment says otherwise. The ranking's
    small matrix products gained nothing from OpenBLAS's threads, whose busy waiting made a
    next-question call cost 25 ms of CPU instead of 14 under load. Worker processes (`--workers`
    2 or more, `--reload`) start after this and read it; a single in-process worker has loaded
    BLAS already (set the variable before starting `dxatlas serve` for that)."""
    if not any(name in os.environ for name in BLAS_THREAD_VARIABLES):
        for name in BLAS_THREAD_VARIABLES:
            os.environ[name] = "1"
