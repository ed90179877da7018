"""List entities as yente serves them: FollowTheMoney JSON, with adjacent entities nested on request.

An entity loaded under several datasets is one entity with every dataset's properties. `first_seen`,
`last_seen` and `last_change` come from the entity's data when the list carries them (OpenSanctions
exports do), else from the list versions that added, kept and last changed it.
"""

from __future__ import annotations

from typing import Any

import orjson
from followthemoney import model
from followthemoney.types import registry

from computewatch.sources.csl_sanctions import csl_sanctions
from computewatch.workspace import Workspace

ROW_SQL = """
SELECT e.dataset, e.entity, e.source_fields, e.source, e.caption,
       (SELECT min(v.loaded_at) FROM list_changes c JOIN list_versions v USING (version_id)
         WHERE c.entity_id = e.entity_id AND c.dataset = e.dataset AND c.change = 'added') AS added_at,
       (SELECT max(v.loaded_at) FROM list_changes c JOIN list_versions v USING (version_id)
         WHERE c.entity_id = e.entity_id AND c.dataset = e.dataset AND c.change IN ('added', 'modified')) AS changed_at,
       (SELECT v.loaded_at FROM list_versions v WHERE v.version_id = e.version_id) AS seen_at
FROM list_entities e WHERE e.entity_id IN (SELECT unnest(?)) ORDER BY e.entity_id, e.dataset
"""


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _merge(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """One entity from its rows (one per dataset that lists it)."""
    first: dict[str, Any] = orjson.loads(rows[0][1])
    props: dict[str, list[Any]] = {}
    datasets: list[str] = []
    sanctions: list[dict[str, Any]] = []
    for dataset, entity_json, fields_json, _source, _caption, *_ in rows:
        entity = orjson.loads(entity_json)
        for key, values in (entity.get("properties") or {}).items():
            current = props.setdefault(key, [])
            current.extend(v for v in values if v not in current)
        for name in entity.get("datasets") or [dataset]:
            if name not in datasets:
                datasets.append(name)
        sanctions.extend(csl_sanctions(first["id"], orjson.loads(fields_json)))
    added = [r[5] for r in rows if r[5] is not None]
    changed = [r[6] for r in rows if r[6] is not None]
    seen = [r[7] for r in rows if r[7] is not None]
    return {
        "id": first["id"],
        "caption": first.get("caption") or rows[0][4],
        "schema": first.get("schema") or "LegalEntity",
        "properties": props,
        "datasets": datasets,
        "referents": first.get("referents") or [],
        "target": True,  # every entity on a restricted-party list is a target of it
        "first_seen": first.get("first_seen") or _iso(min(added, default=None)),
        "last_seen": first.get("last_seen") or _iso(max(seen, default=None)),
        "last_change": first.get("last_change") or _iso(max(changed, default=None)),
        "source": rows[0][3],
        "_sanctions": sanctions,
    }


def list_entities_by_id(ws: Workspace, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored entities among `ids` (merged over datasets), without nested entities."""
    if not ids:
        return {}
    rows = ws.con.execute(ROW_SQL, [list(dict.fromkeys(ids))]).fetchall()
    by_id: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_id.setdefault(orjson.loads(row[1])["id"], []).append(row)
    out = {}
    for entity_id, entity_rows in by_id.items():
        entity = _merge(entity_rows)
        entity.pop("_sanctions")
        out[entity_id] = entity
    return out


def _entity_props(schema_name: str) -> dict[str, Any]:
    schema = model.get(schema_name)
    return {} if schema is None else {n: p for n, p in schema.properties.items() if p.type == registry.entity}


def _referring(ws: Workspace, entity_id: str) -> list[dict[str, Any]]:
    """Stored entities with an entity-typed property whose value is `entity_id` (its reverse side)."""
    rows = ws.con.execute("SELECT DISTINCT entity_id FROM list_entities WHERE contains(entity, ?) AND entity_id <> ?",
                          [orjson.dumps(entity_id).decode(), entity_id]).fetchall()  # fmt: skip
    found = list_entities_by_id(ws, [r[0] for r in rows])
    return [e for e in found.values() if any(entity_id in e["properties"].get(n, []) for n in _entity_props(e["schema"]))]


def list_entity(ws: Workspace, entity_id: str, nested: bool = True) -> dict[str, Any] | None:
    """One list entity in yente's EntityResponse shape. `nested`: values of entity-typed properties that
    name a stored entity become that entity, entities referring to this one appear under the reverse
    property, and a CSL entry's listing appears as Sanction entities under `sanctions`."""
    rows = ws.con.execute(ROW_SQL, [[entity_id]]).fetchall()
    if not rows:
        return None
    entity = _merge(rows)
    sanctions = entity.pop("_sanctions")
    if not nested:
        return entity
    props = entity["properties"]
    forward = _entity_props(entity["schema"])
    targets = [v for name in forward for v in props.get(name, []) if isinstance(v, str) and v != entity_id]
    adjacent = list_entities_by_id(ws, targets)
    for name in forward:
        if name in props:
            props[name] = [adjacent.get(v, v) if isinstance(v, str) else v for v in props[name]]
    schema = model.get(entity["schema"])
    for other in _referring(ws, entity_id):
        for name, prop in _entity_props(other["schema"]).items():
            if entity_id in other["properties"].get(name, []) and prop.reverse is not None:
                if schema is None or prop.reverse.name in schema.properties:
                    # the back-reference is implied by where it is nested (as yente does)
                    rest = [v for v in other["properties"][name] if v != entity_id]
                    if rest:
                        other["properties"][name] = rest
                    else:
                        del other["properties"][name]
                    props.setdefault(prop.reverse.name, []).append(other)
                    break
    if sanctions:
        props.setdefault("sanctions", []).extend(sanctions)
    return entity


def referent_of(ws: Workspace, entity_id: str) -> str | None:
    """The canonical id of an entity that lists `entity_id` among its referents (a merged id)."""
    row = ws.con.execute(
        "SELECT entity_id FROM list_entities WHERE contains(entity, ?) "
        "AND list_contains(CAST(json_extract(entity, '$.referents') AS VARCHAR[]), ?) LIMIT 1",
        [orjson.dumps(entity_id).decode(), entity_id],
    ).fetchone()
    return str(row[0]) if row else None
