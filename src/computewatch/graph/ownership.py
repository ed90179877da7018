"""Ultimate owners: effective shares multiplied along each path and summed over paths, cycles included.

A path is a simple path (no entity twice), so a cycle of cross-holdings is
followed once round and never counted again. Only relationships that held on
the as-of date are followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from computewatch.graph.model import Edge, Node
from computewatch.graph.store import GraphStore
from computewatch.settings.graph import GraphSettings

OWNING = ("ownership", "parent")


@dataclass
class Subgraph:
    """Everything above one entity on a date: its owners, their owners..., and the directors of them all."""

    root: str
    as_of: date
    owners_of: dict[str, list[Edge]]  # asset id -> ownership/parent edges into it
    directors_of: dict[str, list[Edge]]  # organisation id -> directorship edges into it
    nodes: dict[str, Node]
    truncated: bool = False

    def label(self, entity_id: str) -> str:
        node = self.nodes.get(entity_id)
        return node.name if node else entity_id


def collect(store: GraphStore, root: str, as_of: date, settings: GraphSettings) -> Subgraph:
    """Walk up the ownership relationships level by level (one indexed lookup per level)."""
    owners_of: dict[str, list[Edge]] = {}
    edge_ids: set[str] = set()
    # best[n]: the largest share of the root held through n by any path found so far (unknown shares
    # count as whole); owners above a node whose best share is below min_path_pct are not fetched.
    best, floor = {root: 1.0}, settings.min_path_pct / 100.0
    frontier, depth = {root}, 0
    while frontier and depth < settings.max_depth and len(best) < settings.max_nodes:
        edges = store.edges_into(frontier, OWNING, as_of)
        frontier = set()
        for edge in edges:
            if edge.id not in edge_ids:
                edge_ids.add(edge.id)
                owners_of.setdefault(edge.target, []).append(edge)
            share = best[edge.target] * (edge.fraction if edge.fraction is not None else 1.0)
            if share > best.get(edge.source, -1.0) and share >= floor:
                best[edge.source] = share
                frontier.add(edge.source)
        depth += 1
    seen = set(best) | {e.source for edges in owners_of.values() for e in edges}
    directors_of: dict[str, list[Edge]] = {}
    for edge in store.edges_into(seen, ("directorship",), as_of):
        directors_of.setdefault(edge.target, []).append(edge)
    everyone = seen | {e.source for edges in directors_of.values() for e in edges}
    return Subgraph(root, as_of, owners_of, directors_of, store.nodes(everyone), truncated=bool(frontier))


@dataclass(frozen=True)
class OwnershipPath:
    """Edges from the entity upward: edges[0].target is the entity, edges[-1].source the owner."""

    root: str
    edges: tuple[Edge, ...]
    ends_chain: bool = False  # the owner at the end has no owner of its own off this path

    @property
    def owner(self) -> str:
        return self.edges[-1].source if self.edges else self.root

    @property
    def ids(self) -> list[str]:
        return [self.root, *(e.source for e in self.edges)]

    @property
    def fraction(self) -> float | None:
        """Product of the shares along the path (0..1); None when a share on it is not stated."""
        product = 1.0
        for edge in self.edges:
            if edge.fraction is None:
                return None
            product *= edge.fraction
        return product


@dataclass
class Owner:
    entity_id: str
    paths: list[OwnershipPath] = field(default_factory=list)

    @property
    def effective_fraction(self) -> float | None:
        known = [f for p in self.paths if (f := p.fraction) is not None]
        return min(1.0, sum(known)) if known else None

    @property
    def fully_known(self) -> bool:
        return all(p.fraction is not None for p in self.paths)

    @property
    def direct(self) -> bool:
        return any(len(p.edges) == 1 for p in self.paths)

    @property
    def ultimate(self) -> bool:
        return any(p.ends_chain for p in self.paths)


@dataclass
class Ownership:
    owners: dict[str, Owner]
    truncated: bool


def ownership_paths(sub: Subgraph, settings: GraphSettings) -> Ownership:
    """Every simple ownership path from the entity up to each of its direct and indirect owners."""
    owners: dict[str, Owner] = {}
    min_fraction = settings.min_path_pct / 100.0
    count, truncated = 0, sub.truncated
    # stack of (node, path so far, ids on the path, product of the stated shares)
    stack: list[tuple[str, tuple[Edge, ...], frozenset[str], float]] = [(sub.root, (), frozenset({sub.root}), 1.0)]
    while stack:
        node, path, on_path, product = stack.pop()
        for edge in sub.owners_of.get(node, ()):
            if edge.source in on_path:
                continue  # a cycle: each entity once per path
            share = product * (edge.fraction if edge.fraction is not None else 1.0)
            if share < min_fraction:
                continue
            new_path = (*path, edge)
            count += 1
            if count > settings.max_paths:
                return Ownership(owners, True)
            nxt = on_path | {edge.source}
            going_on = [e for e in sub.owners_of.get(edge.source, ()) if e.source not in nxt]
            owners.setdefault(edge.source, Owner(edge.source)).paths.append(
                OwnershipPath(sub.root, new_path, ends_chain=not going_on)
            )
            if len(new_path) < settings.max_depth:
                stack.append((edge.source, new_path, nxt, share))
            elif going_on:
                truncated = True
    for owner in owners.values():
        owner.paths.sort(key=lambda p: (-(p.fraction or 0.0), len(p.edges), p.ids))
    return Ownership(owners, truncated)


def controls(edge: Edge, settings: GraphSettings) -> bool:
    """A majority stake, or a stated parent company, controls the asset."""
    if edge.kind == "parent":
        return True
    return edge.percentage is not None and edge.percentage > settings.control_threshold_pct


@dataclass(frozen=True)
class Controller:
    entity_id: str
    how: str  # 'majority owner', 'director'
    path: OwnershipPath  # for a director, the last edge is the directorship


def controllers(sub: Subgraph, settings: GraphSettings) -> list[Controller]:
    """Majority owners up the chain, and the directors of the entity and of each of them."""
    out: list[Controller] = []
    stack: list[tuple[str, tuple[Edge, ...]]] = [(sub.root, ())]
    while stack:
        node, path = stack.pop()
        on_path = {sub.root, *(e.source for e in path)}
        for edge in sub.directors_of.get(node, ()):
            if edge.source not in on_path:
                out.append(Controller(edge.source, "director", OwnershipPath(sub.root, (*path, edge))))
        for edge in sub.owners_of.get(node, ()):
            if controls(edge, settings) and edge.source not in on_path and len(path) < settings.max_depth:
                out.append(Controller(edge.source, "majority owner", OwnershipPath(sub.root, (*path, edge))))
                stack.append((edge.source, (*path, edge)))
    return out


def ultimate_parent(sub: Subgraph, settings: GraphSettings) -> OwnershipPath:
    """Follow the largest controlling stake held by an organisation up to the top (the entity itself if none)."""
    path: list[Edge] = []
    node, seen = sub.root, {sub.root}
    while True:
        candidates = [
            e for e in sub.owners_of.get(node, ())
            if controls(e, settings) and e.source not in seen
            and not (sub.nodes.get(e.source) and sub.nodes[e.source].is_person)
        ]  # fmt: skip
        if not candidates:
            return OwnershipPath(sub.root, tuple(path))
        best = max(candidates, key=lambda e: (e.percentage if e.percentage is not None else 50.0, e.source))
        path.append(best)
        node = best.source
        seen.add(node)
