"""Run the application (used by `computewatch serve` and `computewatch demo --serve`); see api/server.py."""

from __future__ import annotations

from pathlib import Path

from computewatch.api.server import ServeOptions
from computewatch.api.server import run_server as run_api_server
from computewatch.settings import default_settings


def run_server(workspace: str | Path | None, host: str = "127.0.0.1", port: int = 8000, options: ServeOptions | None = None) -> None:
    settings = default_settings()
    options = options or ServeOptions(host=host, port=port, workers=settings.api.workers, access_log=settings.api.access_log)
    run_api_server(workspace, options, settings)
