"""`GET /catalog`: the loaded lists, as yente's data catalog: each dataset with its version and whether the
screening index in hand is built from that version."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.yente_schemas import DataCatalogModel

router = APIRouter(tags=["Data access"])
COLLECTION = "default"

CATALOG_SQL = """
SELECT v.dataset, v.version_id, v.file, v.file_sha256, v.format, v.loaded_at, v.entity_count,
       (SELECT count(*) FROM list_entities e WHERE e.dataset = v.dataset) AS held
FROM list_versions v
WHERE v.version_id = (SELECT max(version_id) FROM list_versions w WHERE w.dataset = v.dataset)
ORDER BY v.dataset
"""


@router.get("/catalog", response_model=DataCatalogModel, responses=ERROR_RESPONSES, summary="The loaded lists (yente's data catalog)")
def catalog(principal: ViewerKey, ctx: Context) -> dict[str, Any]:
    """Every loaded list (`datasets[].name` is what `/match/{dataset}` and `/search/{dataset}` take), its
    version (the list version id of its last load), and `index_version`, the version the screening index
    serves now; `default` is the collection of them all. `outdated` names lists loaded since the index
    was built (it is rebuilt within a minute)."""
    indexed = ctx.dataset_versions()
    with ctx.read_workspace() as ws:
        rows = ws.con.execute(CATALOG_SQL).fetchall()
    datasets: list[dict[str, Any]] = []
    current: list[str] = []
    outdated: list[str] = []
    for dataset, version_id, file, sha, fmt, loaded_at, _count, held in rows:
        index_version = str(indexed[dataset]) if dataset in indexed else None
        is_current = index_version == str(version_id)
        (current if is_current else outdated).append(dataset)
        datasets.append({"name": dataset, "title": dataset, "version": str(version_id), "index_version": index_version,
                         "index_current": is_current, "load": True, "entity_count": int(held), "file": file, "file_sha256": sha,
                         "loaded_at": loaded_at.isoformat(timespec="seconds") if loaded_at else None,
                         "summary": f"{held} entities from {file} ({fmt})"})  # fmt: skip
    names = [d["name"] for d in datasets]
    datasets.insert(0, {"name": COLLECTION, "title": "Every loaded list", "version": ",".join(d["version"] for d in datasets) or "0",
                        "index_version": None, "index_current": not outdated, "load": True, "children": names,
                        "entity_count": sum(d["entity_count"] for d in datasets),
                        "summary": "the collection that /match/default and /search/default screen against"})  # fmt: skip
    return {"datasets": datasets, "current": current, "outdated": outdated, "index_stale": bool(outdated)}
