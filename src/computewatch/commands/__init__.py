"""CLI commands, one module per capability; each exposes `register(app)`."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from computewatch.commands import lists, screen, demo, locate, policy

    for module in (lists, screen, demo, locate, policy):
        module.register(app)
