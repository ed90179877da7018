"""Cases: the queue, one case with its evidence and timeline, and the analyst's moves. Every call is audited."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from computewatch.api.deps import AnalystKey, CaseId, Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import (
    Assignment,
    BulkAssignment,
    BulkDecision,
    BulkResult,
    CaseDetail,
    CaseList,
    CaseStatus,
    Decision,
    ErrorResponse,
    ImportRequest,
    ImportResponse,
    NoteIn,
    NoteOut,
    Reopen,
    StatusChange,
)
from computewatch.api.views import import_view
from computewatch.cases.actions import CaseActions
from computewatch.cases.store import CaseFilter

router = APIRouter(prefix="/cases", tags=["Cases"])
ONE_CASE = {**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "No such case"}}
MOVE = {**ONE_CASE, 409: {"model": ErrorResponse, "description": "Not allowed in the case's current state"}}


@router.get("", response_model=CaseList, responses=ERROR_RESPONSES, summary="The case queue, most severe first (or by age)")
def list_cases(
    principal: ViewerKey,
    ctx: Context,
    status: Annotated[CaseStatus | None, Query()] = None,
    severity: Annotated[str | None, Query(max_length=20)] = None,
    scenario: Annotated[str | None, Query(pattern=r"^S[1-9]$")] = None,
    kind: Annotated[Literal["alert", "screening", "tender"] | None, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in the title or summary")] = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    sort: Annotated[Literal["severity", "oldest", "newest", "age", "-age"], Query(
        description="severity: most severe first (default); oldest (or age): the longest-open first; newest (or -age)")] = "severity",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    filters = CaseFilter(status, severity, scenario, kind, assignee, q, open_only, sort)
    results, total = CaseActions(ctx.db, principal.name).queue(filters, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "results": results}


@router.post("/import", response_model=ImportResponse, responses=ERROR_RESPONSES,
             summary="Open cases from alerts, screening results or tender records")  # fmt: skip
def import_cases(body: ImportRequest, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    summary = CaseActions(ctx.db, principal.name).import_records(body.records, origin="request")
    return import_view(summary)


@router.post("/bulk/assign", response_model=BulkResult, responses=ERROR_RESPONSES, summary="Assign (or unassign) many cases")
def bulk_assign(body: BulkAssignment, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).bulk_assign(body.case_ids, body.assignee)


@router.post("/bulk/decision", response_model=BulkResult, responses=ERROR_RESPONSES,
             summary="Close many cases as true or false, with one reason")  # fmt: skip
def bulk_decide(body: BulkDecision, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    """Cases already closed (or unknown) are skipped and named with the reason; the others are closed."""
    return CaseActions(ctx.db, principal.name).bulk_decide(body.case_ids, body.outcome, body.reason)


@router.get("/{case_id}", response_model=CaseDetail, responses=ONE_CASE, summary="One case: evidence, entities, notes, timeline")
def get_case(case_id: CaseId, principal: ViewerKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).detail(case_id)


@router.post("/{case_id}/status", response_model=CaseDetail, responses=MOVE, summary="Move an open case (new, in_review, escalated)")
def set_status(case_id: CaseId, body: StatusChange, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).set_status(case_id, body.status, show=True)


@router.post("/{case_id}/assign", response_model=CaseDetail, responses=ONE_CASE, summary="Assign (or unassign) a case")
def assign(case_id: CaseId, body: Assignment, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).assign(case_id, body.assignee, show=True)


@router.post("/{case_id}/decision", response_model=CaseDetail, responses=MOVE, summary="Close as true or false, with the reason")
def decide(case_id: CaseId, body: Decision, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).decide(case_id, body.outcome, body.reason, show=True)


@router.post("/{case_id}/reopen", response_model=CaseDetail, responses=MOVE, summary="Reopen a decided case, with the reason")
def reopen(case_id: CaseId, body: Reopen, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).reopen(case_id, body.reason, show=True)


@router.post("/{case_id}/notes", response_model=NoteOut, status_code=201, responses=ONE_CASE, summary="Add a note")
def add_note(case_id: CaseId, body: NoteIn, principal: AnalystKey, ctx: Context) -> dict[str, Any]:
    return CaseActions(ctx.db, principal.name).add_note(case_id, body.text)


@router.get("/{case_id}/report", responses={**ONE_CASE, 200: {"content": {"text/html": {}, "application/pdf": {}}}},
            response_class=Response, summary="The case report, HTML or PDF")  # fmt: skip
def report(
    case_id: CaseId, principal: ViewerKey, ctx: Context,
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
) -> Response:  # fmt: skip
    from computewatch.reports import build_report

    content = build_report(ctx.db, ctx.workspace, case_id, principal.name, format)
    media = "application/pdf" if format == "pdf" else "text/html; charset=utf-8"
    headers = {"Content-Disposition": f'inline; filename="case-{case_id}.{format}"'}
    return Response(content, media_type=media, headers=headers)
