"""Shell-company indicators. Each is weak alone; together they say 'look closer'."""

from __future__ import annotations

from typing import Any

from computewatch.graph.explain import path_json, path_text
from computewatch.graph.headquarters import in_headquarters_scope
from computewatch.graph.model import Listing
from computewatch.graph.ownership import Controller, Ownership, Subgraph
from computewatch.graph.store import GraphStore
from computewatch.settings.graph import GraphSettings
from computewatch.sources.indicators import indicator_data


def _flag(code: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "severity": "low" if code != "hub_with_owners_in_country_of_concern" else "medium",
            "text": text, "paths": [], **extra}  # fmt: skip


def shell_indicators(
    store: GraphStore, sub: Subgraph, ownership: Ownership, control: list[Controller],
    listed: dict[str, list[Listing]], settings: GraphSettings,
) -> list[dict[str, Any]]:  # fmt: skip
    node = sub.nodes.get(sub.root)
    if node is None or node.is_person:
        return []
    flags: list[dict[str, Any]] = []
    on = sub.as_of
    if node.incorporation_date and 0 <= (on - node.incorporation_date).days <= settings.recent_incorporation_days:
        days = (on - node.incorporation_date).days
        flags.append(_flag("recently_incorporated", f"incorporated on {node.incorporation_date}, {days} days before {on}"))
    contacts = store.contacts([sub.root])
    addresses = [v for _, kind, v in contacts if kind == "address"]
    for address, n in sorted(store.count_sharing("address", addresses).items()):
        if n >= settings.crowded_address:
            flags.append(_flag("many_companies_at_address", f"{n} entities are registered at the same address ({address})",
                               evidence={"address": address, "entities": n}))  # fmt: skip
    directors = {e.source for e in sub.directors_of.get(sub.root, ())}
    for director, n in sorted(store.count_edges_from(directors, "directorship", on).items()):
        if n >= settings.busy_director:
            flags.append(_flag("director_of_many_companies", f"director {sub.label(director)} sits on {n} boards on {on}",
                               evidence={"director": director, "companies": n}))  # fmt: skip
    if not any(kind == "domain" for _, kind, _ in contacts):
        flags.append(_flag("no_web_or_email_domain", "no website and no e-mail address on a company domain"))
    data = indicator_data()
    if node.country in data.transshipment_hubs:
        paths = [p for o in ownership.owners.values() for p in o.paths[:1]
                 if in_headquarters_scope(sub.nodes[o.entity_id].country if o.entity_id in sub.nodes else "", on, settings)]
        paths += [c.path for c in control if c.how == "director"
                  and in_headquarters_scope(sub.nodes[c.entity_id].country if c.entity_id in sub.nodes else "", on, settings)]  # fmt: skip
        if paths:
            flags.append(_flag(
                "hub_with_owners_in_country_of_concern",
                f"registered in {node.country}, a transshipment hub, with owners or directors in D:5 or Macau: "
                + "; ".join(path_text(p, sub.nodes, listed) for p in paths[:3]),
                paths=[path_json(p, sub.nodes, listed) for p in paths], source=data.hubs_source,
            ))  # fmt: skip
    return flags
