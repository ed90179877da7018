"""`graph owners`: the ultimate-owner record of CONTRACTS.md, with its evidence, for one entity on a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from computewatch.errors import NotFound
from computewatch.graph.explain import node_label, path_json, path_text
from computewatch.graph.headquarters import headquarters_flags
from computewatch.graph.model import Listing
from computewatch.graph.ownership import collect, controllers, ownership_paths, ultimate_parent
from computewatch.graph.restricted import (
    ListScreen,
    affiliates_rule_state,
    aggregate,
    listed_parties,
)
from computewatch.graph.shells import shell_indicators
from computewatch.graph.store import GraphStore
from computewatch.graph.successors import find_successors
from computewatch.settings.graph import GraphSettings


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 4)


def owners_report(
    store: GraphStore,
    entity_id: str,
    as_of: date,
    screen: ListScreen | None = None,
    settings: GraphSettings | None = None,
    successors: bool = True,
) -> dict[str, Any]:
    """`{"entity_id", "as_of", "owners": [...], "restricted_ownership_pct", "flags": [...]}` plus extras."""
    settings = settings or GraphSettings()
    if store.node(entity_id) is None:
        raise NotFound("entity", entity_id)
    sub = collect(store, entity_id, as_of, settings)
    ownership = ownership_paths(sub, settings)
    control = controllers(sub, settings)
    listed = listed_parties(store, sub.nodes, as_of, screen)
    agg = aggregate(sub, ownership, set(listed), settings)
    rule = affiliates_rule_state(as_of, settings)
    parent = ultimate_parent(sub, settings)

    owners = []
    for owner in sorted(ownership.owners.values(), key=lambda o: (-(o.effective_fraction or 0.0), o.entity_id)):
        node = sub.nodes.get(owner.entity_id)
        owners.append({
            "entity_id": owner.entity_id,
            "name": node.name if node else owner.entity_id,
            "country": (node.country or None) if node else None,
            "effective_percentage": _pct(owner.effective_fraction),
            "paths": [p.ids for p in owner.paths],
            "listed": owner.entity_id in listed,
            "schema": node.schema if node else None,
            "ultimate": owner.ultimate,
            "direct": owner.direct,
            "percentage_known": owner.fully_known,
            "affiliate_of_listed": owner.entity_id in agg.restricted,
            "listings": [x.describe() for x in listed.get(owner.entity_id, [])],
            "path_text": [path_text(p, sub.nodes, listed) for p in owner.paths],
            "path_details": [path_json(p, sub.nodes, listed) for p in owner.paths],
        })  # fmt: skip

    flags = _ownership_flags(sub.root, sub.nodes, listed, agg, rule, control, settings)
    flags += headquarters_flags(sub, parent, listed, settings)
    flags += shell_indicators(store, sub, ownership, control, listed, settings)
    successor_records = []
    if successors:
        from computewatch.graph.successors import successor_json

        for s in find_successors(store, as_of, settings, entity_id):
            record = successor_json(s, store)
            successor_records.append(record)
            if s.is_successor:
                role = "successor of" if s.new == entity_id else "succeeded by"
                other = s.old if s.new == entity_id else s.new
                flags.append({"code": "successor", "severity": "high", "text": s.text, "paths": [],
                              "evidence": {"role": role, "other": other}})  # fmt: skip
    root = sub.nodes[entity_id]
    return {
        "entity_id": entity_id,
        "as_of": as_of.isoformat(),
        "owners": owners,
        "restricted_ownership_pct": round(agg.percentage, 4),
        "flags": flags,
        "entity": {"entity_id": entity_id, "name": root.name, "schema": root.schema, "country": root.country or None,
                   "label": node_label(entity_id, sub.nodes, listed), "listed": entity_id in listed,
                   "listings": [x.describe() for x in listed.get(entity_id, [])]},
        "restricted_lookthrough_pct": round(agg.lookthrough_percentage, 4),
        "affiliates_rule": rule,
        "ultimate_parent": path_json(parent, sub.nodes, listed) if parent.edges else None,
        "controllers": [
            {"entity_id": c.entity_id, "name": sub.label(c.entity_id), "how": c.how, "listed": c.entity_id in listed,
             "path": c.path.ids, "path_text": path_text(c.path, sub.nodes, listed)}
            for c in control
        ],
        "successors": successor_records,
        "truncated": ownership.truncated,
    }  # fmt: skip


def _ownership_flags(
    root: str, nodes: dict[str, Any], listed: dict[str, list[Listing]], agg: Any, rule: dict[str, Any],
    control: list[Any], settings: GraphSettings,
) -> list[dict[str, Any]]:  # fmt: skip
    flags: list[dict[str, Any]] = []
    if root in listed:
        flags.append({"code": "listed", "severity": "high", "paths": [],
                      "text": f"{node_label(root, nodes, listed)} is itself listed"})  # fmt: skip
    if agg.percentage >= settings.restricted_threshold_pct:
        binds = "binds" if rule["binds"] else f"does not bind ({rule['status']}); shown as risk evidence"
        flags.append({
            "code": "affiliate_of_listed",
            "severity": "high" if rule["binds"] else "medium",
            "text": f"listed parties own {agg.percentage:g}% in aggregate (>= {settings.restricted_threshold_pct:g}%); "
                    f"the Affiliates rule ({rule['source']}) {binds} on the date: "
                    + "; ".join(path_text(p, nodes, listed) for p in agg.paths),
            "rule": rule,
            "paths": [path_json(p, nodes, listed) for p in agg.paths],
        })  # fmt: skip
    elif agg.paths or agg.lookthrough_paths:
        paths = agg.paths or agg.lookthrough_paths
        flags.append({
            "code": "listed_owner",
            "severity": "medium",
            "text": f"listed parties hold {agg.percentage:g}% (look-through {agg.lookthrough_percentage:g}%), below "
                    f"{settings.restricted_threshold_pct:g}%: " + "; ".join(path_text(p, nodes, listed) for p in paths),
            "rule": rule,
            "paths": [path_json(p, nodes, listed) for p in paths],
        })  # fmt: skip
    listed_controllers = [c for c in control if c.entity_id in listed]
    if listed_controllers:
        flags.append({
            "code": "controlled_by_listed",
            "severity": "high",
            "text": "controlled by a listed party: " + "; ".join(path_text(c.path, nodes, listed) for c in listed_controllers),
            "paths": [path_json(c.path, nodes, listed) for c in listed_controllers],
        })  # fmt: skip
    return flags
