"""Who the parties to a shipment are: restricted-party screening, and what the ownership graph
knows of the consignee (incorporation date, listings, addresses, phones and directors shared
with other entities). A thin adapter over graph/ and screening/, cached per party.

When the workspace holds no graph, only screening answers; shared contacts are then found
among the shipments themselves (history.SharedContacts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from computewatch.screening.model import Match, Query
from computewatch.screening.screener import Screener
from computewatch.workspace import Workspace

_NAME_NOISE = re.compile(r"[^\w]+")


@lru_cache(maxsize=200_000)
def party_key(name: str) -> str:
    """A comparable form of a party name: case, punctuation and spacing folded."""
    return " ".join(_NAME_NOISE.sub(" ", name.casefold()).split())


def same_party(a: str, b: str) -> bool:
    ka, kb = party_key(a), party_key(b)
    return bool(ka and kb) and (ka == kb or ka.startswith(kb + " ") or kb.startswith(ka + " "))


@dataclass
class GraphParty:
    entity_id: str
    name: str
    incorporated: date | None
    listings: list[str] = field(default_factory=list)  # 'Entity List since 2024-12-02'
    shared: list[str] = field(default_factory=list)  # 'shares the phone 6591234567 with X (SG), Y (SG)'


class PartyChecks:
    """Screening and graph lookups for one scoring run; everything is cached by name or id."""

    def __init__(self, ws: Workspace | None, screener: Screener | None, threshold: float | None, max_listed: int):
        self.screener, self.threshold, self.max_listed = screener, threshold, max_listed
        self._screened: dict[tuple[str, str], Match | None] = {}
        self._graph: dict[tuple[str, str, str], GraphParty | None] = {}
        self._store: Any = None
        self._resolver: Any = None
        self.graph_available = False
        self.in_worker = False  # in a forked scoring worker: the graph (DuckDB) must not be read
        if ws is not None:
            if ws.has_table("graph_entities") and ws.con.execute("SELECT count(*) FROM graph_entities").fetchone()[0]:  # type: ignore[index]
                from computewatch.graph.store import GraphStore

                self._store = GraphStore(ws)
                self.graph_available = True

    # ---- screening -----------------------------------------------------------------------

    def listed(self, name: str, country: str = "") -> Match | None:
        """The best list entry the name matches (at the threshold), or None."""
        if self.screener is None or not name:
            return None
        key = (name, country)
        if key not in self._screened:
            best = None
            for m in self.screener.screen(Query(name, "", country)):
                if (m.score >= self.threshold) if self.threshold is not None else m.match:
                    best = m
                    break
            self._screened[key] = best
        return self._screened[key]

    # ---- graph ---------------------------------------------------------------------------

    def graph_party(self, entity_id: str, name: str, country: str, day: date) -> GraphParty | None:
        """The consignee as the graph knows it (by id, else a confident name match), or None."""
        if not self.graph_available:
            return None
        key = (entity_id, name, country)
        if key not in self._graph:
            if self.in_worker:
                raise RuntimeError(f"graph lookup of {key} in a scoring worker: ShipmentScorer.prepare_workers missed it")
            self._graph[key] = self._lookup(entity_id, name, country, day)  # cached on the first day asked (see prepare_workers)
        return self._graph[key]

    def _lookup(self, entity_id: str, name: str, country: str, day: date) -> GraphParty | None:
        store = self._store
        node = store.node(entity_id) if entity_id else None
        if node is None and name:
            if self._resolver is None:
                from computewatch.graph.resolve import EntityResolver

                self._resolver = EntityResolver(store)
            found = self._resolver.resolve(name=name, country=country)
            node = store.node(found[0].entity_id) if found else None
        if node is None:
            return None
        party = GraphParty(node.id, node.name, node.incorporation_date)
        for listing in store.listings([node.id]):
            if listing.held_on(day):
                party.listings.append(listing.describe())
        party.listings += [f"topic {t}" for t in node.topics if t in ("sanction", "export.control")]
        party.shared = self._shared(node.id, day)
        return party

    def _shared(self, entity_id: str, day: date) -> list[str]:
        store = self._store
        texts = []
        mine = [(kind, value) for _, kind, value in store.contacts([entity_id]) if kind in ("address", "phone")]
        for kind in ("address", "phone"):
            values = [v for k, v in mine if k == kind]
            others: dict[str, list[str]] = {}
            for eid, value in store.entities_with(kind, values):
                if eid != entity_id:
                    others.setdefault(value, []).append(eid)
            for value, ids in sorted(others.items()):
                texts.append(f"shares the {kind} '{value}' with {self._names(ids)}")
        directors = {e.source for e in store.edges_into([entity_id], ("directorship",), day)}
        if directors:
            boards: dict[str, list[str]] = {}
            for e in store.edges_from(directors, ("directorship",), day):
                if e.target != entity_id:
                    boards.setdefault(e.source, []).append(e.target)
            people = store.nodes(boards)
            for director, orgs in sorted(boards.items()):
                who = people[director].name if director in people else director
                texts.append(f"its director {who} also directs {self._names(orgs)}")
        return texts

    def _names(self, ids: list[str]) -> str:
        nodes = self._store.nodes(ids)
        shown = [f"{nodes[i].name} ({nodes[i].country or '?'})" if i in nodes else i for i in sorted(set(ids))]
        more = len(shown) - self.max_listed
        return ", ".join(shown[: self.max_listed]) + (f" and {more} more" if more > 0 else "")
