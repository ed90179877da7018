"""`GET /search/{dataset}?q=`: text search over the loaded lists (yente's simple search). The best
screening matches of `q` come first, with their scores; then every other entity with a name containing
`q`. Without `q`: every entity, filtered and paged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from followthemoney import model
from followthemoney.types import registry

from computewatch.api.context import ApiContext
from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES, Unprocessable
from computewatch.api.list_data import list_entities_by_id
from computewatch.api.list_search import EntityFilter, name_search
from computewatch.api.routers.match import ALL_DATASETS
from computewatch.api.schemas import ErrorResponse
from computewatch.api.yente_schemas import SearchResponse
from computewatch.errors import NotFound
from computewatch.screening.model import ListEntity
from computewatch.screening.model import Query as ScreenQuery

router = APIRouter(tags=["Matching"])
MAX_PAGE = 500
MAX_OFFSET = 10_000


def dataset_filter(ctx: ApiContext, dataset: str) -> frozenset[str]:
    """The datasets a path's `{dataset}` means: none (all) for a collection name, else that one list."""
    if dataset in ALL_DATASETS:
        return frozenset()
    if dataset not in ctx.datasets():
        raise NotFound("dataset", dataset, ctx.datasets()[:10])
    return frozenset([dataset])


def screening_schema(schema: str) -> str:
    """The query schema screening understands: '' (any) for the abstract schemata."""
    return "" if schema in ("Thing", "LegalEntity") else schema


def find(ctx: ApiContext, q: str, wanted: EntityFilter) -> Iterator[tuple[ListEntity, float | None]]:
    screener = ctx.screener()
    names = name_search(screener)
    entities = screener.index.entities
    seen: set[str] = set()
    if q.strip():
        for m in screener.screen(ScreenQuery(q[:500], schema=screening_schema(wanted.schema))):
            if wanted(m.entity):
                seen.add(m.entity.id)
                yield m.entity, round(m.score, 4)
        hits = names.containing(q)
    else:
        hits = names.in_order()
    for i in hits:
        entity = entities[i]
        if entity.id not in seen and wanted(entity):
            seen.add(entity.id)
            yield entity, None


def facets(found: list[tuple[ListEntity, float | None]]) -> dict[str, Any]:
    countries = Counter(c for e, _ in found for c in e.countries)
    datasets = Counter(d for e, _ in found for d in e.datasets)
    return {
        "countries": {"label": "Countries", "values": [{"name": c, "label": registry.country.caption(c) or c, "count": n}
                                                        for c, n in countries.most_common(30)]},  # fmt: skip
        "datasets": {"label": "Data sources", "values": [{"name": d, "label": d, "count": n} for d, n in datasets.most_common(30)]},
    }


@router.get("/search/{dataset}", response_model=SearchResponse, response_model_by_alias=True,
            responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "Unknown dataset"}},
            summary="Simple text search over the lists (yente-compatible)")  # fmt: skip
def search(
    dataset: Annotated[str, Path(max_length=200, description="'default' for every loaded list, or one list's dataset name")],
    principal: ViewerKey,
    ctx: Context,
    q: Annotated[str, Query(max_length=500, description="a name, or part of one")] = "",
    schema: Annotated[str, Query(max_length=50, description="only entities of this FollowTheMoney schema or its descendants")] = "Thing",
    countries: Annotated[list[str] | None, Query(description="only entities of these countries (ISO alpha-2)")] = None,
    datasets: Annotated[list[str] | None, Query(description="only entities from these datasets")] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    fuzzy: Annotated[bool, Query(description="accepted for compatibility: screening is always fuzzy")] = False,
    target: Annotated[bool | None, Query(description="every list entity is a target: false finds nothing")] = None,
) -> dict[str, Any]:
    """Results are FollowTheMoney entities (as `GET /entities/{id}?nested=false`) with a `score`: the
    screening score of `q` for the best matches (at most `screening.max_results` of them), null for the
    entities that only have a name containing `q`. `facets` count countries and datasets over every result."""
    if model.get(schema) is None:
        raise Unprocessable(f"unknown FollowTheMoney schema {schema!r}")
    wanted_datasets = dataset_filter(ctx, dataset)
    if datasets:
        wanted_datasets = frozenset(datasets) if not wanted_datasets else wanted_datasets & frozenset(datasets)
        if not wanted_datasets:
            wanted_datasets = frozenset({""})  # disjoint: nothing can match
    wanted = EntityFilter(schema, wanted_datasets, frozenset(c.lower() for c in countries or ()))
    found = [] if target is False else list(find(ctx, q, wanted))
    page = found[offset : offset + limit]
    with ctx.read_workspace() as ws:
        full = list_entities_by_id(ws, [e.id for e, _ in page])
    results = [{**full[e.id], "score": score} for e, score in page if e.id in full]
    return {"results": results, "facets": facets(found), "total": {"value": len(found), "relation": "eq"},
            "limit": limit, "offset": offset}  # fmt: skip
