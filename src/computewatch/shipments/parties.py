"""Who the parties to a shipment are: restricted-party screening, and what the ownership graph
knows of the consignee (incorporation date, listings, addresses, phones and directors shared
with other entities). A thin adapter over graph/ and screening/, cached per party.

When the workspace holds no graph, only screening answers; shared contacts are then found
among the shipments themselves (history.SharedContacts).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import orjson

from computewatch.graph.model import Edge, Listing
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
    """The consignee as the graph knew it on one day."""

    entity_id: str
    name: str
    incorporated: date | None
    listings: list[str] = field(default_factory=list)  # held on the day: 'Entity List since 2024-12-02'
    shared: list[str] = field(default_factory=list)  # 'shares the phone +6591234567 with X (SG), Y (SG)'
    listed_later: list[str] = field(default_factory=list)  # 'Entity List: listed later, on 2025-03-01'


@dataclass
class GraphRecord:
    """Everything the graph holds on one party, for every day; its answer on a day (`on`) is worked out
    from this alone, so one read of the graph serves every shipment, in any process."""

    entity_id: str
    name: str
    incorporated: date | None
    listings: list[Listing]
    topics: list[str]  # sanction or export.control topics (undated: taken as known on every day)
    contact_texts: list[str]  # shared addresses and phones (undated)
    directorships: list[Edge]  # the party's directors
    boards: list[Edge]  # every directorship of those directors
    people: dict[str, str]  # director id -> name
    labels: dict[str, str]  # entity id -> 'Name (CC)'
    max_listed: int

    def __post_init__(self) -> None:
        days: set[date] = set()
        for since, until in [(x.since, x.until) for x in self.listings] + [(e.start, e.end) for e in self.directorships + self.boards]:
            if since:
                days.add(since)
            if until:
                days.add(until + timedelta(days=1))
        self.changes = tuple(sorted(days))  # the answer can differ only across these days
        self._answers: dict[int, GraphParty] = {}

    def on(self, day: date) -> GraphParty:
        epoch = bisect_right(self.changes, day)
        found = self._answers.get(epoch)
        if found is None:
            found = self._answers[epoch] = self._answer(day)
        return found

    def _answer(self, day: date) -> GraphParty:
        party = GraphParty(self.entity_id, self.name, self.incorporated)
        for listing in self.listings:
            if listing.held_on(day):
                party.listings.append(listing.describe())
            elif listing.since and listing.since > day:
                party.listed_later.append(f"{listing.label}: listed later, on {listing.since.isoformat()}")
        party.listings += [f"topic {t}" for t in self.topics]
        party.shared = list(self.contact_texts)
        directors = {e.source for e in self.directorships if e.held_on(day)}
        boards: dict[str, list[str]] = {}
        for e in self.boards:
            if e.source in directors and e.target != self.entity_id and e.held_on(day):
                boards.setdefault(e.source, []).append(e.target)
        for director, orgs in sorted(boards.items()):
            party.shared.append(f"its director {self.people.get(director, director)} also directs {self.names(orgs)}")
        return party

    def names(self, ids: list[str]) -> str:
        shown = [self.labels.get(i, i) for i in sorted(set(ids))]
        more = len(shown) - self.max_listed
        return ", ".join(shown[: self.max_listed]) + (f" and {more} more" if more > 0 else "")


class PartyChecks:
    """Screening and graph lookups for one scoring run; everything is cached by name or id.

    A party's graph answer is that of each shipment's day (GraphRecord.on): a party listed, or a director
    appointed, between two shipments is seen from the first shipment after it. Screening answers today's
    lists; `listed_since` (list entry id -> its listing date, where the list gives one) tells which matches
    were listed only after a shipment.
    """

    def __init__(self, ws: Workspace | None, screener: Screener | None, threshold: float | None, max_listed: int,
                 listed_since: dict[str, date] | None = None):  # fmt: skip
        self.screener, self.threshold, self.max_listed = screener, threshold, max_listed
        self._screened: dict[tuple[str, str], Match | None] = {}
        self._graph: dict[tuple[str, str, str], GraphRecord | None] = {}
        self._store: Any = None
        self._resolver: Any = None
        self.graph_available = False
        self.in_worker = False  # in a forked scoring worker: the graph (DuckDB) must not be read
        self.listed_since: dict[str, date] = dict(listed_since or {})
        if ws is not None:
            if ws.has_table("graph_entities") and ws.con.execute("SELECT count(*) FROM graph_entities").fetchone()[0]:  # type: ignore[index]
                from computewatch.graph.store import GraphStore

                self._store = GraphStore(ws)
                self.graph_available = True
            if screener is not None and listed_since is None and ws.has_table("list_entities"):
                self.listed_since = _listing_dates(ws)

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
        """The consignee as the graph knew it on the day (by id, else a confident name match), or None."""
        record = self.graph_record(entity_id, name, country)
        return record.on(day) if record is not None else None

    def graph_record(self, entity_id: str, name: str, country: str) -> GraphRecord | None:
        if not self.graph_available:
            return None
        key = (entity_id, name, country)
        if key not in self._graph:
            if self.in_worker:
                raise RuntimeError(f"graph lookup of {key} in a scoring worker: ShipmentScorer.prepare_workers missed it")
            self._graph[key] = self._lookup(entity_id, name, country)
        return self._graph[key]

    def _lookup(self, entity_id: str, name: str, country: str) -> GraphRecord | None:
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
        directorships = store.edges_into([node.id], ("directorship",))
        boards = store.edges_from({e.source for e in directorships}, ("directorship",))
        people = {i: n.name for i, n in store.nodes({e.source for e in directorships}).items()}
        contact_texts, others = self._shared_contacts(node.id)
        labels = {i: f"{n.name} ({n.country or '?'})" for i, n in store.nodes(others | {e.target for e in boards}).items()}
        record = GraphRecord(node.id, node.name, node.incorporation_date, store.listings([node.id]),
                             [t for t in node.topics if t in ("sanction", "export.control")], [], directorships, boards,
                             people, labels, self.max_listed)  # fmt: skip
        record.contact_texts = [f"shares the {kind} '{value}' with {record.names(ids)}" for kind, value, ids in contact_texts]
        return record

    def _shared_contacts(self, entity_id: str) -> tuple[list[tuple[str, str, list[str]]], set[str]]:
        store = self._store
        found: list[tuple[str, str, list[str]]] = []
        everyone: set[str] = set()
        mine = [(kind, value) for _, kind, value in store.contacts([entity_id]) if kind in ("address", "phone")]
        for kind in ("address", "phone"):
            values = [v for k, v in mine if k == kind]
            others: dict[str, list[str]] = {}
            for eid, value in store.entities_with(kind, values):
                if eid != entity_id:
                    others.setdefault(value, []).append(eid)
            for value, ids in sorted(others.items()):
                found.append((kind, value, ids))
                everyone |= set(ids)
        return found, everyone


def listing_date(fields: dict[str, Any]) -> date | None:
    """The day a list entry was listed, where its source record says: CSL `start_date`, FtM `listingDate`
    or `startDate` (the first when several are given)."""
    props = fields.get("properties") or {}
    for raw in (fields.get("start_date"), *(props.get("listingDate") or [])[:1], *(props.get("startDate") or [])[:1]):
        if raw:
            try:
                return date.fromisoformat(str(raw).strip()[:10])
            except ValueError:
                continue
    return None


def _listing_dates(ws: Workspace) -> dict[str, date]:
    """List entry id -> listing_date, for the lists loaded in the workspace."""
    out = {}
    for eid, raw in ws.con.execute("SELECT entity_id, source_fields FROM list_entities").fetchall():
        day = listing_date(orjson.loads(raw))
        if day is not None:
            out[eid] = day
    return out
