"""`POST /match/{dataset}`: yente's query-by-example matcher, so existing yente clients work unchanged."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Response

from computewatch.api.context import ApiContext
from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES, Unprocessable
from computewatch.api.matching import (
    FEATURE_DOCS,
    example_queries,
    match_example,
    name_count,
    scored_entity,
)
from computewatch.api.schemas import EntityMatchQuery, EntityMatchResponse, ErrorResponse
from computewatch.errors import NotFound

router = APIRouter(tags=["Matching"])
ALL_DATASETS = ("default", "all", "sanctions")
MAX_EXCLUDED = 50  # entity ids per request, as yente allows


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    response_model_by_alias=True,
    summary="Query by example matcher (yente-compatible)",
    responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "Unknown dataset"},
               422: {"description": "Invalid query"}},  # fmt: skip
)
async def match(
    body: EntityMatchQuery,
    dataset: Annotated[str, Path(max_length=200, description="'default' for every loaded list, or one list's dataset name")],
    principal: ViewerKey,
    ctx: Context,
    limit: Annotated[int, Query(ge=1, le=100, description="results per query")] = 5,
    threshold: Annotated[float | None, Query(ge=0, le=1, description="score for a match (default from settings)")] = None,
    algorithm: Annotated[str, Query(max_length=100, description="accepted for compatibility; there is one algorithm")] = "computewatch",
    include_dataset: Annotated[list[str] | None, Query(description="only results from these datasets")] = None,
    exclude_schema: Annotated[list[str] | None, Query(description="drop results of these schemata")] = None,
    exclude_dataset: Annotated[list[str] | None, Query(description="drop results from these datasets")] = None,
    exclude_entity_ids: Annotated[list[str] | None, Query(max_length=MAX_EXCLUDED, description=(
        "list entities never to return, for every query of the request (yente's parameter): e.g. the entries a "
        "person has decided are false positives for this party (`computewatch cases suppressions`)"))] = None,
) -> Response:
    """Queries are keyed by an id of your choice, each a FollowTheMoney example with `schema` and `properties`
    (`name`, `alias`, `country`, `jurisdiction`, `nationality`...). Each response lists scored entities with
    `score`, `match`, `features` and an `explanation` in words."""
    if len(body.queries) > ctx.settings.api.max_match_queries:
        raise Unprocessable(f"too many queries in one batch (limit: {ctx.settings.api.max_match_queries})")
    names = name_count(list(body.queries.values()))
    result = await ctx.run_screening(
        screen_examples, body, dataset, ctx, limit, threshold, include_dataset, exclude_schema, exclude_dataset,
        exclude_entity_ids, names=names,
    )  # fmt: skip
    # serialised once, by orjson: the response model above documents the shape, it does not re-validate it
    return Response(orjson.dumps(result), media_type="application/json", headers={"x-batch-size": str(len(body.queries))})


def screen_examples(
    body: EntityMatchQuery, dataset: str, ctx: ApiContext, limit: int, threshold: float | None,
    include_dataset: list[str] | None, exclude_schema: list[str] | None, exclude_dataset: list[str] | None,
    exclude_entity_ids: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    screener = ctx.screener()
    datasets: set[str] | None = None
    if dataset not in ALL_DATASETS:
        if dataset not in ctx.datasets():
            raise NotFound("dataset", dataset, ctx.datasets()[:10])
        datasets = {dataset}
    if include_dataset:
        datasets = set(include_dataset) if datasets is None else datasets & set(include_dataset)
    cut = ctx.settings.screening.threshold if threshold is None else threshold
    responses = {}
    for key, example in body.queries.items():
        queries = example_queries(key, example)
        found = match_example(screener, queries, datasets, set(exclude_schema or ()), set(exclude_dataset or ()))
        if exclude_entity_ids:
            excluded = set(exclude_entity_ids)
            found = [m for m in found if m.entity.id not in excluded]
        results = [scored_entity(m, cut) for m in found[:limit]]
        query = {"id": example.id, "schema": example.schema_, "properties": example.properties}
        responses[key] = {"status": 200, "results": results, "total": {"value": len(found), "relation": "eq"}, "query": query}
    return {"responses": responses, "matcher": FEATURE_DOCS, "limit": limit}
