"""Decisions that stick: the list matches closed as false positives, and lifting them. Every call is audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from computewatch.api.deps import AnalystKey, Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import ErrorResponse, Lift, SuppressionList, SuppressionOut
from computewatch.cases.actions import CaseActions

router = APIRouter(prefix="/suppressions", tags=["Cases"])
ONE = {**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "No such suppression"},
       409: {"model": ErrorResponse, "description": "Lifted already"}}  # fmt: skip


@router.get("", response_model=SuppressionList, responses=ERROR_RESPONSES,
            summary="List matches kept quiet by false-positive decisions, newest first")  # fmt: skip
def list_suppressions(
    principal: ViewerKey,
    ctx: Context,
    all: Annotated[bool, Query(description="include lifted ones")] = False,
    q: Annotated[str | None, Query(max_length=200, description="words in the party or the list entry")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """A (party, list entry) match closed as a false positive is not alerted again while the party's screened
    data and the list entry keep the content hashes it was decided on."""
    results, total = CaseActions(ctx.db, principal.name).suppressions(not all, q, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "results": results}


@router.post("/{suppression_id}/lift", response_model=SuppressionOut, responses=ONE, summary="Lift a suppression, with the reason")
def lift(
    suppression_id: Annotated[int, Path(ge=1, le=2_147_483_647)], body: Lift, principal: AnalystKey, ctx: Context
) -> dict[str, Any]:
    """The match is alerted again by the next `detect` or re-screening (with the earlier decision shown)."""
    return CaseActions(ctx.db, principal.name).lift(suppression_id, body.reason)
