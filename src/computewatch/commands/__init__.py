"""CLI commands, one module per capability; each exposes `register(app)`."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from computewatch.commands import (
        cases,
        demo,
        graph,
        lists,
        locate,
        monitoring,
        native,
        policy,
        rescreen,
        screen,
        shipments,
        tenders,
    )

    for module in (lists, screen, demo, locate, policy, graph, shipments, monitoring, tenders, cases, rescreen, native):
        module.register(app)
