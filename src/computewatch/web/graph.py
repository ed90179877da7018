"""Lay out an ownership report's paths as a layered graph for an inline SVG: the entity at the bottom,
each owner one layer above the thing it owns (longest path decides the layer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LAYER_H = 110
NODE_W = 210
NODE_H = 46
GAP_X = 30
MARGIN = 20


@dataclass
class GraphNode:
    id: str
    name: str
    country: str
    listed: bool
    layer: int
    x: float = 0.0
    y: float = 0.0


@dataclass
class GraphEdge:
    source: str  # the owner or controller
    target: str  # what it owns
    label: str
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0


@dataclass
class GraphLayout:
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    width: int = NODE_W + 2 * MARGIN
    height: int = NODE_H + 2 * MARGIN


def _paths(report: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for owner in report.get("owners") or []:
        found.extend(owner.get("path_details") or [])
    for flag in report.get("flags") or []:
        found.extend(p for p in flag.get("paths") or [] if isinstance(p, dict))
    return found


def _label(edge: dict[str, Any]) -> str:
    pct = edge.get("percentage")
    relation = str(edge.get("relation") or "")
    if pct is not None:
        return f"{float(pct):g}%"
    return str(edge.get("role") or relation)[:20]


def layout(report: dict[str, Any]) -> GraphLayout:
    root = str(report.get("entity_id", ""))
    entity = report.get("entity") or {}
    nodes: dict[str, GraphNode] = {root: GraphNode(root, str(entity.get("name") or root), str(entity.get("country") or ""), False, 0)}
    edges: dict[tuple[str, str], GraphEdge] = {}
    for path in _paths(report):
        for depth, node in enumerate(path.get("nodes") or []):
            nid = str(node.get("id"))
            current = nodes.get(nid)
            layer = max(depth, current.layer if current else 0)
            nodes[nid] = GraphNode(nid, str(node.get("name") or nid), str(node.get("country") or ""), bool(node.get("listed")), layer)
        for edge in path.get("edges") or []:
            a, b = str(edge.get("from")), str(edge.get("to"))
            if a in nodes and b in nodes:
                owner, owned = (a, b) if nodes[a].layer >= nodes[b].layer else (b, a)
                edges.setdefault((owner, owned), GraphEdge(owner, owned, _label(edge)))
    out = GraphLayout()
    layers: dict[int, list[GraphNode]] = {}
    for node in nodes.values():
        layers.setdefault(node.layer, []).append(node)
    top = max(layers) if layers else 0
    widest = max(len(v) for v in layers.values()) if layers else 1
    out.width = int(widest * (NODE_W + GAP_X) - GAP_X + 2 * MARGIN)
    out.height = int((top + 1) * LAYER_H - (LAYER_H - NODE_H) + 2 * MARGIN)
    for layer, members in layers.items():
        members.sort(key=lambda n: n.name)
        row_width = len(members) * (NODE_W + GAP_X) - GAP_X
        x0 = (out.width - row_width) / 2
        for i, node in enumerate(members):
            node.x = x0 + i * (NODE_W + GAP_X)
            node.y = MARGIN + (top - layer) * LAYER_H
    for edge in edges.values():
        s, t = nodes[edge.source], nodes[edge.target]
        edge.x1, edge.y1 = s.x + NODE_W / 2, s.y + NODE_H
        edge.x2, edge.y2 = t.x + NODE_W / 2, t.y
    out.nodes = sorted(nodes.values(), key=lambda n: (n.layer, n.name))
    out.edges = list(edges.values())
    return out
