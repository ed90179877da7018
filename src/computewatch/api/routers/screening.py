"""Screening one name (CONTRACTS.md screening record) and classifying an accelerator."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import ErrorResponse, ScreenRequest, ScreenResponse
from computewatch.screening.model import Query as ScreenQuery

router = APIRouter(tags=["Screening"])


@router.post("/screen", response_model=ScreenResponse, response_model_by_alias=True, responses=ERROR_RESPONSES,
             summary="Screen one name against the restricted-party lists")  # fmt: skip
async def screen(body: ScreenRequest, principal: ViewerKey, ctx: Context) -> dict[str, Any]:
    query = ScreenQuery(body.name, body.id or "1", body.country, body.schema_)
    found = await ctx.run_screening(lambda: ctx.screener().screen(query))
    matches = [m.to_record() for m in found]
    return {"id": query.id, "query": {"name": body.name, "country": body.country, "schema": body.schema_},
            "matches": matches}  # fmt: skip


@router.get("/classify", tags=["Classification"], responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse}},
            summary="Export-control classification of an accelerator (CONTRACTS.md classify record)")  # fmt: skip
def classify(
    principal: ViewerKey,
    chip: Annotated[str, Query(min_length=1, max_length=100, description="catalogue name, e.g. H100-SXM, A100, H20")],
    destination: Annotated[str | None, Query(min_length=2, max_length=2, description="ISO alpha-2")] = None,
    on: Annotated[date | None, Query(alias="date", description="the day to classify for (default: today)")] = None,
) -> dict[str, Any]:
    from computewatch.policy import classify_accelerator

    return classify_accelerator(chip, destination, on).contract()
