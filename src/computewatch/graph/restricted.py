"""Who is listed on a date, and how much of an entity listed parties own together (the 50% rule).

A party is listed through a Sanction entity in the input (dated), a
`sanction`/`export.control` topic, or a screening match against the loaded
restricted-party lists (dated by the list entry's start date when the list
gives one).

Aggregation follows the Affiliates rule (90 FR 47201) and OFAC's 50% rule: an
entity owned 50% or more, directly or indirectly, individually or in the
aggregate, by listed parties is itself restricted, and its stakes then count
in full further down. The look-through share (shares multiplied along paths
up to a listed party) is reported beside it as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from computewatch.graph.model import PARTY_SCHEMAS, Edge, Listing, Node
from computewatch.graph.ownership import Ownership, OwnershipPath, Subgraph
from computewatch.graph.store import GraphStore
from computewatch.policy.rules import Status, get_rule, rule_status
from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.settings.graph import GraphSettings

LISTED_TOPICS = ("sanction", "export.control")


def short_list_name(source: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' -> 'Entity List'."""
    return source.split(" (")[0].split(" - ")[0].strip() or source


@dataclass
class ListScreen:
    """The screening engine over the loaded lists, and the date each entry was listed (when known)."""

    screener: Screener
    since: dict[str, date]

    @classmethod
    def from_workspace(cls, store: GraphStore, screener: Screener) -> ListScreen:
        rows = store.con.execute(
            """SELECT entity_id, try_cast(json_extract_string(source_fields, '$.start_date') AS DATE)
               FROM list_entities"""
        ).fetchall()
        return cls(screener, {eid: d for eid, d in rows if d is not None})

    @classmethod
    def from_records(cls, records: list[Any], screener: Screener) -> ListScreen:
        since: dict[str, date] = {}
        for record in records:
            raw = str(record.source_fields.get("start_date") or "")
            if len(raw) >= 10:
                try:
                    since[record.id] = date.fromisoformat(raw[:10])
                except ValueError:
                    pass
        return cls(screener, since)

    def listings(self, node: Node) -> list[Listing]:
        out = []
        query = Query(node.name, node.id, node.country, node.schema)
        for m in self.screener.screen(query):
            if m.match:
                detail = f"screening match {m.score:.2f} with '{m.entity.caption}': {m.explanation}"
                out.append(Listing(node.id, short_list_name(m.entity.source), self.since.get(m.entity.id), None, "screening", detail))
        return out


def listed_parties(store: GraphStore, nodes: dict[str, Node], on: date, screen: ListScreen | None) -> dict[str, list[Listing]]:
    """Listings in force on the day, per party."""
    found: dict[str, list[Listing]] = {}
    for listing in store.listings(nodes):
        found.setdefault(listing.entity_id, []).append(listing)
    for node in nodes.values():
        for topic in node.topics:
            if topic in LISTED_TOPICS:
                found.setdefault(node.id, []).append(Listing(node.id, f"topic {topic}", None, None, "topic"))
        if screen is not None and node.schema in PARTY_SCHEMAS:
            found.setdefault(node.id, []).extend(screen.listings(node))
    held = {eid: [x for x in xs if x.held_on(on)] for eid, xs in found.items()}
    return {eid: xs for eid, xs in held.items() if xs}


@dataclass
class Aggregation:
    restricted: dict[str, list[Edge]]  # affiliate (not itself listed) -> the restricted stakes that make it one
    percentage: float  # direct stakes in the entity held by listed parties and affiliates, capped at 100
    lookthrough_percentage: float  # shares multiplied along paths ending at the first listed party
    paths: list[OwnershipPath]  # one explanation per restricted stake
    lookthrough_paths: list[OwnershipPath]  # paths up to the first listed party


def aggregate(sub: Subgraph, ownership: Ownership, listed: set[str], settings: GraphSettings) -> Aggregation:
    restricted: dict[str, list[Edge]] = {}
    threshold = settings.restricted_threshold_pct
    changed = True
    while changed:  # grows monotonically, so it ends; cross-holdings settle like any other stake
        changed = False
        for asset, edges in sub.owners_of.items():
            if asset in listed or asset in restricted:
                continue
            held = [e for e in edges if e.percentage is not None and (e.source in listed or e.source in restricted)]
            if held and sum(e.percentage or 0.0 for e in held) >= threshold:
                restricted[asset] = held
                changed = True
    stakes = [
        e for e in sub.owners_of.get(sub.root, ())
        if e.percentage is not None and (e.source in listed or e.source in restricted)
    ]  # fmt: skip
    paths = [_explain(sub.root, e, listed, restricted) for e in sorted(stakes, key=lambda e: -(e.percentage or 0))]
    lookthrough, through = 0.0, []
    for owner in ownership.owners.values():
        if owner.entity_id in listed:
            for p in owner.paths:
                if not any(i in listed for i in p.ids[1:-1]):
                    lookthrough += p.fraction or 0.0
                    through.append(p)
    return Aggregation(
        restricted,
        min(100.0, sum(e.percentage or 0.0 for e in stakes)),
        min(100.0, lookthrough * 100.0),
        paths,
        through,
    )


def _explain(root: str, first: Edge, listed: set[str], restricted: dict[str, list[Edge]]) -> OwnershipPath:
    """From a restricted stake up, through the largest restricted stake at each step, to a listed party."""
    path, seen = [first], {root, first.source}
    node = first.source
    while node not in listed and node in restricted:
        options = [e for e in restricted[node] if e.source not in seen]
        if not options:
            break
        best = max(options, key=lambda e: (e.source in listed, e.percentage or 0.0))
        path.append(best)
        seen.add(best.source)
        node = best.source
    return OwnershipPath(root, tuple(path))


def affiliates_rule_state(on: date, settings: GraphSettings) -> dict[str, Any]:
    """Whether the Affiliates rule binds on the day: in force, suspended, not yet issued or ended."""
    rule = get_rule(settings.affiliates_rule)
    status = rule_status(rule, on)
    return {"id": rule.id, "source": rule.source, "status": str(status), "binds": status is Status.IN_FORCE}
