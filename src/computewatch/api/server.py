"""Run the application with uvicorn (used by `computewatch serve` and `computewatch demo --serve`)."""

from __future__ import annotations

from pathlib import Path


def run_server(workspace: str | Path | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    from computewatch.api.app import create_app

    app = create_app(workspace=workspace)
    uvicorn.run(app, host=host, port=port, log_level="info")
