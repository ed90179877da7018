"""Alerts (CONTRACTS.md alert records): list them with their case, or send new ones to open cases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from computewatch.api.deps import AnalystKey, Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import AlertImport, AlertList, CaseStatus, ImportResponse
from computewatch.api.views import import_view
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore

router = APIRouter(prefix="/alerts", tags=["Alerts"])


@router.get("", response_model=AlertList, responses=ERROR_RESPONSES, summary="Alerts, newest first, with their case and its status")
def list_alerts(
    principal: ViewerKey,
    ctx: Context,
    scenario: Annotated[str | None, Query(pattern=r"^S[1-9]$")] = None,
    severity: Annotated[str | None, Query(max_length=20)] = None,
    status: Annotated[CaseStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    with ctx.db.session() as session:
        rows, total = CaseStore(session, principal.name).find_alerts(scenario, severity, status, limit, offset)
        return {"total": total, "results": [{**a.record, "case_id": c.id, "status": c.status} for a, c in rows]}


@router.post("", response_model=ImportResponse, responses=ERROR_RESPONSES, summary="Open a case for each new alert")
def post_alerts(body: AlertImport, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    records = [a.model_dump(exclude={"list_matches"} if a.list_matches is None else set()) for a in body.alerts]
    with ctx.db.session() as session:
        summary = import_records(CaseStore(session, principal.name), records, origin="request")
    return import_view(summary)
