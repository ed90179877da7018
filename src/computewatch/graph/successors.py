"""Successors: a new entity takes over an account, lease or contract from an old one and shares people
or contacts with it (the Singapore-to-Malaysia re-registration of SCENARIOS.md S6).

A takeover alone is ordinary business (leases are assigned every day) and a
shared address alone is weak (business parks house hundreds of companies): a
successor needs a takeover, or a declared Succession, *and* enough shared
evidence (GraphSettings.link_weights, successor_threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from computewatch.graph.model import Edge, Node
from computewatch.graph.ownership import OWNING
from computewatch.graph.store import GraphStore
from computewatch.names.analyze import analyze_name
from computewatch.settings.graph import GraphSettings

CONTACT_KINDS = ("phone", "email", "domain", "address")


@dataclass(frozen=True)
class Takeover:
    contract: str
    old: Edge  # the old holder's ContractAward
    new: Edge  # the new holder's

    @property
    def day(self) -> date | None:
        return self.new.start


@dataclass(frozen=True)
class SharedLink:
    kind: str  # succession, director, owner, phone, email, domain, address, crowded_address, name
    value: str
    weight: float
    note: str


@dataclass
class Successor:
    old: str
    new: str
    takeovers: list[Takeover] = field(default_factory=list)
    declared: list[Edge] = field(default_factory=list)
    shared: list[SharedLink] = field(default_factory=list)
    score: float = 0.0
    is_successor: bool = False
    text: str = ""


def _holder_pairs(store: GraphStore, contracts: list[str], on: date) -> dict[tuple[str, str], list[Takeover]]:
    by_contract: dict[str, list[Edge]] = {}
    for edge in store.edges_into(contracts, ("holding",)):
        if edge.start is None or edge.start <= on:
            by_contract.setdefault(edge.target, []).append(edge)
    pairs: dict[tuple[str, str], list[Takeover]] = {}
    for contract, edges in by_contract.items():
        dated = sorted((e for e in edges if e.start is not None), key=lambda e: (e.start, e.source))
        for i, old in enumerate(dated):
            for new in dated[i + 1 :]:
                if new.source != old.source and new.start and old.start and new.start > old.start:
                    pairs.setdefault((old.source, new.source), []).append(Takeover(contract, old, new))
    return pairs


def _name_tokens(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    form = analyze_name(name)
    return frozenset(form.tokens), form.legal_forms


def _shared(store: GraphStore, old: str, new: str, nodes: dict[str, Node], settings: GraphSettings) -> list[SharedLink]:
    w = settings.link_weights
    links: list[SharedLink] = []
    for kind, kinds in (("director", ("directorship",)), ("owner", OWNING)):
        sources: dict[str, set[str]] = {}
        for edge in store.edges_into([old, new], kinds):
            sources.setdefault(edge.target, set()).add(edge.source)
        common = sorted(sources.get(old, set()) & sources.get(new, set()))
        extra = store.nodes(common)
        for party in common:
            links.append(SharedLink(kind, party, w[kind], f"{kind} {extra[party].name if party in extra else party} of both"))
    values: dict[str, dict[str, set[str]]] = {}
    for eid, kind, value in store.contacts([old, new]):
        values.setdefault(kind, {}).setdefault(eid, set()).add(value)
    for kind in CONTACT_KINDS:
        common = sorted(values.get(kind, {}).get(old, set()) & values.get(kind, {}).get(new, set()))
        crowd = store.count_sharing(kind, common) if kind == "address" else {}
        for value in common:
            n = crowd.get(value, 2)
            if kind == "address" and n >= settings.crowded_address:
                links.append(SharedLink("crowded_address", value, w["crowded_address"],
                                        f"same address, but {n} entities are registered there: weak evidence alone"))  # fmt: skip
            else:
                links.append(SharedLink(kind, value, w[kind], f"same {kind} {value}"))
    a, b = nodes.get(old), nodes.get(new)
    if a and b:
        (ta, fa), (tb, fb) = _name_tokens(a.name), _name_tokens(b.name)
        if ta and ta == tb:
            forms = f" ({', '.join(fa) or 'none'} -> {', '.join(fb) or 'none'})" if fa != fb else ""
            links.append(SharedLink("name", b.name, w["name"], f"same name apart from the company form{forms}"))
    return links


def _score(links: list[SharedLink]) -> float:
    best: dict[str, float] = {}
    for link in links:
        best[link.kind] = max(best.get(link.kind, 0.0), link.weight)
    return min(1.0, sum(best.values()))


def _describe(s: Successor, nodes: dict[str, Node]) -> str:
    def label(eid: str) -> str:
        n = nodes.get(eid)
        return f"{n.name} ({n.country})" if n and n.country else (n.name if n else eid)

    parts = []
    for t in s.takeovers:
        contract = nodes.get(t.contract)
        what = contract.name if contract else t.contract
        kind = ", ".join(contract.properties.get("type", [])) if contract else ""
        parts.append(f"{label(s.new)} took over {what}{f' ({kind})' if kind else ''} from {label(s.old)} on {t.day}")
    if s.declared:
        parts.append(f"{label(s.new)} is recorded as the successor of {label(s.old)}")
    old, new = nodes.get(s.old), nodes.get(s.new)
    if old and new and old.country and new.country and old.country != new.country:
        moved = "re-registered from" if s.is_successor else "old holder in"
        parts.append(f"{moved} {old.country} {'to' if s.is_successor else ', new in'} {new.country}".replace(" ,", ","))
    if new and new.incorporation_date:
        parts.append(f"{new.name} incorporated on {new.incorporation_date}")
    if old and old.dissolution_date:
        parts.append(f"{old.name} dissolved on {old.dissolution_date}")
    if s.shared:
        parts.append("shared: " + "; ".join(link.note for link in s.shared))
    verdict = "successor" if s.is_successor else "not enough shared evidence for a successor"
    return f"{verdict} (score {s.score:.2f}): " + "; ".join(parts)


def find_successors(store: GraphStore, on: date, settings: GraphSettings, entity_id: str | None = None) -> list[Successor]:
    """Takeovers and declared successions up to the day, each scored and explained, best first.

    With `entity_id`, only pairs in which that entity is the old or the new one.
    """
    if entity_id is None:
        contracts = store.contracts_with_several_holders()
        succession = store.edges_from(_predecessors(store), ("succession",))
    else:
        contracts = sorted({e.target for e in store.edges_from([entity_id], ("holding",))})
        succession = store.edges_from([entity_id], ("succession",)) + store.edges_into([entity_id], ("succession",))
    pairs = _holder_pairs(store, contracts, on)
    results: dict[tuple[str, str], Successor] = {}
    for (old, new), takeovers in pairs.items():
        if entity_id is None or entity_id in (old, new):
            results[(old, new)] = Successor(old, new, takeovers)
    for edge in succession:
        if edge.start is None or edge.start <= on:
            results.setdefault((edge.source, edge.target), Successor(edge.source, edge.target)).declared.append(edge)
    nodes = store.nodes({i for pair in results for i in pair} | set(contracts))
    out = []
    for s in results.values():
        s.shared = _shared(store, s.old, s.new, nodes, settings)
        if s.declared:
            s.shared.insert(0, SharedLink("succession", s.new, settings.link_weights["succession"], "declared succession"))
        s.score = _score(s.shared)
        s.is_successor = s.score >= settings.successor_threshold and bool(s.takeovers or s.declared)
        s.text = _describe(s, nodes)
        out.append(s)
    out.sort(key=lambda s: (-s.score, s.old, s.new))
    return out


def _predecessors(store: GraphStore) -> list[str]:
    rows = store.con.execute("SELECT DISTINCT source FROM graph_relations WHERE kind = 'succession'").fetchall()
    return [r[0] for r in rows]


def successor_json(s: Successor, store: GraphStore) -> dict[str, Any]:
    nodes = store.nodes({s.old, s.new})

    def party(eid: str) -> dict[str, Any]:
        n = nodes.get(eid)
        return {"entity_id": eid, "name": n.name if n else eid, "country": (n.country or None) if n else None}

    return {
        "old": party(s.old),
        "new": party(s.new),
        "successor": s.is_successor,
        "score": round(s.score, 4),
        "takeovers": [
            {"contract_id": t.contract, "old_from": _iso(t.old.start), "old_until": _iso(t.old.end), "new_from": _iso(t.new.start)}
            for t in s.takeovers
        ],
        "declared": [e.id for e in s.declared],
        "shared": [{"kind": x.kind, "value": x.value, "weight": x.weight, "note": x.note} for x in s.shared],
        "text": s.text,
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
