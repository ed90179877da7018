"""Entities restricted through ownership: owned 50% or more, directly or indirectly, individually
or together, by listed parties (the Affiliates rule, 90 FR 47201; OFAC's 50% rule).

Who is listed comes from this run's screening matches, plus the input's own Sanction
records and sanction topics. Only entities below a listed party can become affiliates, so
the walk starts at the listed parties and goes down the ownership edges; each entity
reached is then judged by graph/restricted.aggregate exactly as `graph owners` judges it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from computewatch.graph.explain import path_text
from computewatch.graph.model import Listing
from computewatch.graph.ownership import OWNING, collect, ownership_paths
from computewatch.graph.restricted import (
    LISTED_TOPICS,
    affiliates_rule_state,
    aggregate,
    listed_parties,
    short_list_name,
)
from computewatch.graph.store import GraphStore
from computewatch.settings.graph import GraphSettings
from computewatch.workspace import Workspace


@dataclass
class Affiliate:
    entity_id: str
    name: str
    country: str
    restricted_pct: float  # direct stakes held by listed parties and their affiliates
    lookthrough_pct: float
    binds: bool  # whether the Affiliates rule is in force on the day
    rule: str  # "affiliates-2025 (90 FR 47201): suspended"
    paths: list[str]


def _descendants(store: GraphStore, roots: set[str], on: date, settings: GraphSettings) -> set[str]:
    seen, frontier, depth = set(roots), set(roots), 0
    while frontier and depth < settings.max_depth:
        frontier = {e.target for e in store.edges_from(frontier, OWNING, on)} - seen
        seen |= frontier
        depth += 1
    return seen - roots


def find_affiliates(
    ws: Workspace,
    listed_by_screening: dict[str, list[str]],
    on: date,
    settings: GraphSettings | None = None,
) -> list[Affiliate]:
    """listed_by_screening: graph entity id -> the list entries it matches ("caption (list)")."""
    settings = settings or GraphSettings()
    store = GraphStore(ws)
    if not store.counts().get("graph_entities"):
        return []
    roots = set(listed_by_screening)
    # Listed in the input itself: a Sanction record, or a sanction / export-control topic.
    roots |= {
        r[0] for r in ws.con.execute("SELECT DISTINCT entity_id FROM graph_listings").fetchall()
    }
    topics = " OR ".join(f"topics LIKE '%\"{t}\"%'" for t in LISTED_TOPICS)
    roots |= {
        r[0]
        for r in ws.con.execute(f"SELECT entity_id FROM graph_entities WHERE {topics}").fetchall()
    }
    if not roots:
        return []
    rule = affiliates_rule_state(on, settings)
    found = []
    for eid in sorted(_descendants(store, roots, on, settings)):
        sub = collect(store, eid, on, settings)
        listed = listed_parties(store, sub.nodes, on, None)
        for owner in sub.nodes:
            for entry in listed_by_screening.get(owner, []):
                listed.setdefault(owner, []).append(
                    Listing(owner, short_list_name(entry), None, None, "screening", entry)
                )
        if eid in listed:
            continue  # listed itself: screening says so already
        agg = aggregate(sub, ownership_paths(sub, settings), set(listed), settings)
        if agg.percentage < settings.restricted_threshold_pct:
            continue
        node = sub.nodes[eid]
        found.append(Affiliate(
            eid, node.name, node.country, agg.percentage, agg.lookthrough_percentage, bool(rule["binds"]),
            f"{rule['id']} ({rule['source']}): {rule['status']}",
            [path_text(p, sub.nodes, listed) for p in agg.paths],
        ))  # fmt: skip
    return found
