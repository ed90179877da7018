"""`GET /entities/{id}`: a list entity as FollowTheMoney JSON (yente's shape, adjacent entities nested), so
yente clients can expand a match. An id that only the ownership graph knows still answers here with its
graph owners record, as it did before the graph view got its own path (`/graph/owners/{id}`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.list_data import list_entity, referent_of
from computewatch.api.routers.graph import owners_with_cases
from computewatch.api.schemas import ErrorResponse
from computewatch.api.yente_schemas import EntityResponse, GraphOwnersRecord
from computewatch.errors import NotFound

router = APIRouter(prefix="/entities", tags=["Entities"])


@router.get(
    "/{entity_id}",
    response_model=EntityResponse | GraphOwnersRecord,
    responses={**ERROR_RESPONSES, 308: {"description": "The id was merged into another entity (a referent)"},
               404: {"model": ErrorResponse, "description": "Neither a list entity nor in the ownership graph"}},  # fmt: skip
    summary="A list entity as FollowTheMoney JSON, adjacent entities nested (yente-compatible)",
)
def get_entity(
    request: Request,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
    principal: ViewerKey,
    ctx: Context,
    nested: Annotated[bool, Query(description="include adjacent entities (a CSL entry's listing as `sanctions`)")] = True,
    as_of: Annotated[date | None, Query(description="ownership-graph ids only: the day to answer for (default: today)")] = None,
) -> Response:
    """The entity with `id`, `caption`, `schema`, `properties`, `datasets`, `referents`, `target`,
    `first_seen`, `last_seen`, `last_change`. An id only the ownership graph holds answers with the graph
    owners record (CONTRACTS.md), as `GET /graph/owners/{id}` does."""
    with ctx.read_workspace() as ws:
        entity = list_entity(ws, entity_id, nested=nested)
        canonical = None if entity is not None else referent_of(ws, entity_id)
    if entity is not None:
        return Response(orjson.dumps(entity), media_type="application/json")
    if canonical is not None:
        url = request.url.replace(path=request.url.path.removesuffix(entity_id) + canonical)
        return RedirectResponse(str(url), status_code=308)
    try:
        report = owners_with_cases(ctx, entity_id, as_of or date.today(), principal.name)
    except NotFound:
        raise NotFound("entity", entity_id) from None
    return Response(orjson.dumps(report), media_type="application/json")
