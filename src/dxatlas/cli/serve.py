"""`dxatlas serve`: run the web app (JSON API and HTML pages) with uvicorn."""

from __future__ import annotations

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

    uvicorn.run(
        "dxatlas.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
    )
