"""The ownership-graph view of an entity: its ultimate owners with paths and flags, and its cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from computewatch.api.context import ApiContext
from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.ownership import ownership
from computewatch.api.schemas import ErrorResponse
from computewatch.api.yente_schemas import GraphOwnersRecord
from computewatch.cases.actions import CaseActions

router = APIRouter(prefix="/graph", tags=["Ownership graph"])


def owners_with_cases(ctx: ApiContext, entity_id: str, as_of: date, actor: str) -> dict[str, Any]:
    report = ownership(ctx, entity_id, as_of)
    report["cases"] = CaseActions(ctx.db, actor).for_entity(entity_id)
    return report


@router.get("/owners/{entity_id}", response_model=GraphOwnersRecord,
            responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "Not in the graph"}},
            summary="Ultimate owners with paths (CONTRACTS.md graph owners record) and the entity's cases")  # fmt: skip
def graph_owners(
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
    principal: ViewerKey,
    ctx: Context,
    as_of: Annotated[date | None, Query(description="the day to answer for (default: today)")] = None,
) -> dict[str, Any]:
    return owners_with_cases(ctx, entity_id, as_of or date.today(), principal.name)
