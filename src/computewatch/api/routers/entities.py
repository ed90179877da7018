"""An entity of the ownership graph: its ultimate owners with paths and flags, and its cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.ownership import ownership
from computewatch.api.schemas import ErrorResponse
from computewatch.cases.actions import CaseActions

router = APIRouter(prefix="/entities", tags=["Entities"])


@router.get("/{entity_id}", responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "Not in the graph"}},
            summary="Ultimate owners with paths (CONTRACTS.md graph owners record) and the entity's cases")  # fmt: skip
def get_entity(
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
    principal: ViewerKey,
    ctx: Context,
    as_of: Annotated[date | None, Query(description="the day to answer for (default: today)")] = None,
) -> dict[str, Any]:
    report = ownership(ctx, entity_id, as_of or date.today())
    report["cases"] = CaseActions(ctx.db, principal.name).for_entity(entity_id)
    return report
