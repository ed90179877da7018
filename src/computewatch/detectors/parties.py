"""A thin adapter over graph/: who controls a party, where it is headquartered, when it was
incorporated, and whether it succeeded another entity, as of a day.

Graph lookups are point queries on the workspace (DuckDB) whichever engine runs the table work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from computewatch.detectors.policy_checks import PolicyChecks
from computewatch.settings import GraphSettings
from computewatch.workspace import Workspace


@dataclass
class PartyControl:
    entity_id: str
    name: str
    country: str
    incorporated: date | None
    concern_countries: list[str] = field(default_factory=list)  # countries of concern it is run from
    reasons: list[str] = field(default_factory=list)  # each with its ownership path
    successor_of: list[str] = field(default_factory=list)  # explained takeovers / successions

    @property
    def of_concern(self) -> bool:
        return bool(self.concern_countries)


class PartyLookup:
    def __init__(self, ws: Workspace, as_of: date, policy: PolicyChecks, graph: GraphSettings | None = None):
        self.ws, self.as_of, self.policy = ws, as_of, policy
        self.graph_settings = graph or GraphSettings()
        self._store: Any = None
        self._resolver: Any = None
        self._cache: dict[str, PartyControl | None] = {}
        self.available = ws.has_table("graph_entities") and bool(
            ws.con.execute("SELECT count(*) FROM graph_entities").fetchone()[0]  # type: ignore[index]
        )

    def _graph(self) -> Any:
        if self._store is None:
            from computewatch.graph.store import GraphStore

            self._store = GraphStore(self.ws)
        return self._store

    def resolve(self, entity_id: str | None, name: str | None, country: str = "") -> str | None:
        """The graph entity a lease or account means: its id if known, else a confident name match."""
        if not self.available:
            return None
        if entity_id and self._graph().node(entity_id):
            return entity_id
        if not name:
            return None
        if self._resolver is None:
            from computewatch.graph.resolve import EntityResolver

            self._resolver = EntityResolver(self._graph())
        found = self._resolver.resolve(name=name, country=country)
        return found[0].entity_id if found else None

    def control(self, entity_id: str | None) -> PartyControl | None:
        if not entity_id or not self.available:
            return None
        if entity_id not in self._cache:
            self._cache[entity_id] = self._control(entity_id)
        return self._cache[entity_id]

    def _control(self, entity_id: str) -> PartyControl | None:
        from computewatch.graph.explain import path_text
        from computewatch.graph.ownership import collect, controllers, ultimate_parent
        from computewatch.graph.successors import find_successors

        store, gs, day = self._graph(), self.graph_settings, self.as_of
        if store.node(entity_id) is None:
            return None
        sub = collect(store, entity_id, day, gs)
        node = sub.nodes[entity_id]
        party = PartyControl(entity_id, node.name, node.country, node.incorporation_date)

        def add(country: str, reason: str) -> None:
            if country not in party.concern_countries:
                party.concern_countries.append(country)
            if reason not in party.reasons:
                party.reasons.append(reason)

        if self.policy.concern(node.country, day):
            add(node.country, f"{node.name} is headquartered in {node.country}")
        parent = ultimate_parent(sub, gs)
        top = sub.nodes.get(parent.owner)
        if parent.edges and top and self.policy.concern(top.country, day):
            add(top.country, f"ultimate parent in {top.country}: {path_text(parent, sub.nodes, {})}")
        for c in controllers(sub, gs):
            owner = sub.nodes.get(c.entity_id)
            if c.how == "majority owner" and owner and self.policy.concern(owner.country, day):
                add(owner.country, f"controlled from {owner.country}: {path_text(c.path, sub.nodes, {})}")
        for s in find_successors(store, day, gs, entity_id):
            if s.is_successor and s.new == entity_id:
                party.successor_of.append(s.text)
                old = self.control(s.old)
                if old and old.of_concern:
                    for country in old.concern_countries:
                        add(country, f"its predecessor {old.name} is run from {country}")
                    party.reasons.extend(f"predecessor {old.name}: {r}" for r in old.reasons)
        return party
