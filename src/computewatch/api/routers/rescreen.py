"""Re-screening over HTTP: what `computewatch rescreen` does, for an admin."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from computewatch.api.deps import AdminKey, Context
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import RescreenRequest, RescreenResponse
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore
from computewatch.cases.suppressions import SuppressionStore
from computewatch.rescreen import rescreen

router = APIRouter(tags=["Re-screening"])


@router.post("/rescreen", response_model=RescreenResponse, responses=ERROR_RESPONSES,
             summary="Screen every party again, re-check ownership and detectors, alert on what changed")  # fmt: skip
def post_rescreen(body: RescreenRequest, principal: AdminKey, ctx: Context) -> dict[str, Any]:
    with ctx.db.session() as session:
        decisions = SuppressionStore(session, principal.name).active()
    with ctx.open_workspace() as ws:
        report = rescreen(ws, body.as_of or date.today(), ctx.settings, run_detectors=body.detectors, suppressions=decisions)
    records = [a.to_json() for a in report.alerts]
    created: list[int] = []
    joined: list[int] = []
    if body.open_cases and records:
        with ctx.db.session() as session:
            summary = import_records(CaseStore(session, principal.name), records, f"rescreen run {report.run_id}")
            created, joined = summary.created, summary.joined
    return {"run_id": report.run_id, "as_of": report.as_of, "first_run": report.first, "list_changes": report.list_changes,
            "policy_changes": report.policy_changes, "parties": report.parties, "matches": report.matches,
            "detectors_run": report.detectors_run, "alerts": records, "cases_created": created, "cases_joined": joined,
            "suppressed": [a.id for a in report.suppressed]}  # fmt: skip
