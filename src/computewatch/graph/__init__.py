"""The ownership and control graph: ultimate owners, restricted ownership, shells and successors.

Public API::

    GraphStore(workspace)                          # tables graph_* in the workspace; .load(batch)
    owners_report(store, entity_id, as_of, screen=None, settings=None) -> dict   # CONTRACTS.md record
    find_successors(store, as_of, settings, entity_id=None) -> list[Successor]
    EntityResolver(store).resolve(entity_id=..., registration_number=..., name=..., country=...)
    ListScreen.from_workspace(store, screener)     # "listed" by screening, dated by list start dates
    GraphSettings()                                # thresholds
"""

from __future__ import annotations

from computewatch.graph.report import owners_report
from computewatch.graph.resolve import EntityResolver
from computewatch.graph.restricted import ListScreen
from computewatch.graph.store import GraphStore
from computewatch.graph.successors import find_successors, successor_json
from computewatch.settings.graph import GraphSettings

__all__ = [
    "EntityResolver",
    "GraphSettings",
    "GraphStore",
    "ListScreen",
    "find_successors",
    "owners_report",
    "successor_json",
]
