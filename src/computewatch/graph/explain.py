"""Every finding is a path: as one line of text for people, and as JSON for the web app to draw."""

from __future__ import annotations

from typing import Any

from computewatch.graph.model import Edge, Listing, Node
from computewatch.graph.ownership import OwnershipPath


def node_label(entity_id: str, nodes: dict[str, Node], listed: dict[str, list[Listing]]) -> str:
    """'B Pte. Ltd. (SG)', or 'C (CN, Entity List since 2024-12-02)' for a listed party."""
    node = nodes.get(entity_id)
    name = node.name if node else entity_id
    notes = [node.country] if node and node.country else []
    notes += list(dict.fromkeys(x.describe() for x in listed.get(entity_id, [])))
    return f"{name} ({', '.join(notes)})" if notes else name


def edge_label(edge: Edge) -> str:
    if edge.kind == "ownership":
        return "?%" if edge.percentage is None else f"{edge.percentage:g}%"
    if edge.kind == "directorship":
        role = edge.role if edge.role and edge.role.casefold() != "director" else ""
        return f"director ({role})" if role else "director"
    return edge.kind


def path_text(path: OwnershipPath, nodes: dict[str, Node], listed: dict[str, list[Listing]]) -> str:
    """'Lessee A (MY) <- 100% B Pte. Ltd. (SG) <- 60% C (CN, Entity List since 2024-12-02)'."""
    parts = [node_label(path.root, nodes, listed)]
    for edge in path.edges:
        parts.append(f"<- {edge_label(edge)} {node_label(edge.source, nodes, listed)}")
    return " ".join(parts)


def edge_json(edge: Edge) -> dict[str, Any]:
    return {
        "id": edge.id,
        "relation": edge.kind,
        "from": edge.source,
        "to": edge.target,
        "percentage": edge.percentage,
        "start_date": edge.start.isoformat() if edge.start else None,
        "end_date": edge.end.isoformat() if edge.end else None,
        "role": edge.role or None,
    }


def node_json(entity_id: str, nodes: dict[str, Node], listed: dict[str, list[Listing]]) -> dict[str, Any]:
    node = nodes.get(entity_id)
    return {
        "id": entity_id,
        "name": node.name if node else entity_id,
        "schema": node.schema if node else None,
        "country": (node.country or None) if node else None,
        "listed": entity_id in listed,
        "listings": [listing_json(x) for x in listed.get(entity_id, [])],
    }


def listing_json(listing: Listing) -> dict[str, Any]:
    return {
        "list": listing.label,
        "since": listing.since.isoformat() if listing.since else None,
        "how": listing.how,
        "detail": listing.detail or None,
    }


def path_json(path: OwnershipPath, nodes: dict[str, Node], listed: dict[str, list[Listing]]) -> dict[str, Any]:
    """{"text", "nodes": [...], "edges": [...], "effective_percentage"} - nodes from the entity upward."""
    fraction = path.fraction
    return {
        "text": path_text(path, nodes, listed),
        "nodes": [node_json(i, nodes, listed) for i in path.ids],
        "edges": [edge_json(e) for e in path.edges],
        "effective_percentage": None if fraction is None else round(fraction * 100, 4),
    }
