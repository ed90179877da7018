"""CLI commands, one module per capability; each exposes `register(app)`."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from computewatch.commands import demo, graph, lists, locate, policy, screen, tenders

    for module in (lists, screen, demo, locate, policy, graph, tenders):
        module.register(app)
