"""An entity's place in the ownership graph, for the API and the web app: its ultimate owners with
paths and flags (the CONTRACTS.md graph owners record), with the configured graph settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from computewatch.api.context import ApiContext
from computewatch.graph.report import owners_report
from computewatch.graph.store import GraphStore


def ownership(ctx: ApiContext, entity_id: str, as_of: date) -> dict[str, Any]:
    with ctx.open_workspace() as ws:
        return owners_report(GraphStore(ws), entity_id, as_of, settings=ctx.settings.graph)
