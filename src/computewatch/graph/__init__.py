"""The ownership and control graph: ultimate owners, restricted ownership, shells and successors.

Public API (imported lazily, so that sources/ can use graph.dates without a cycle)::

    GraphStore(workspace)                          # tables graph_* in the workspace; .load(batch)
    owners_report(store, entity_id, as_of, screen=None, settings=None) -> dict   # CONTRACTS.md record
    find_successors(store, as_of, settings, entity_id=None) -> list[Successor]
    EntityResolver(store).resolve(entity_id=..., registration_number=..., name=..., country=...)
    ListScreen.from_workspace(store, screener)     # "listed" by screening, dated by list start dates
    GraphSettings()                                # thresholds
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "GraphStore": "computewatch.graph.store",
    "GraphSettings": "computewatch.settings.graph",
    "owners_report": "computewatch.graph.report",
    "find_successors": "computewatch.graph.successors",
    "successor_json": "computewatch.graph.successors",
    "EntityResolver": "computewatch.graph.resolve",
    "ListScreen": "computewatch.graph.restricted",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
