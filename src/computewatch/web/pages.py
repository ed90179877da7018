"""The analyst's pages: the queue, a case (evidence, timeline, decision) and an entity (ownership graph)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from computewatch.api.deps import CaseId, Context
from computewatch.api.ownership import ownership
from computewatch.cases.actions import CaseActions
from computewatch.cases.models import KINDS, STATUSES
from computewatch.cases.store import SEVERITY_ORDER, CaseFilter
from computewatch.errors import NotFound
from computewatch.web.graph import layout
from computewatch.web.render import render
from computewatch.web.session import User, check_form

router = APIRouter(prefix="/ui", include_in_schema=False)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, user=None, status=status, message=message)


@router.get("/")
def queue(
    request: Request, user: User, ctx: Context,
    status: str | None = None, severity: str | None = None, scenario: str | None = None, kind: str | None = None,
    assignee: str | None = None, q: Annotated[str | None, Query(max_length=200)] = None, all: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:  # fmt: skip
    filters = CaseFilter(status or None, severity or None, scenario or None, kind or None, assignee or None, q or None,
                         open_only=not all and not status)  # fmt: skip
    size = ctx.settings.cases.page_size
    rows, total = CaseActions(ctx.db, user.name).queue(filters, size, (page - 1) * size)
    keep = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
    return render(request, "queue.html", user=user, cases=rows, total=total, page=page, pages=max(1, -(-total // size)), keep=keep,
                  filters=filters, show_all=all, statuses=STATUSES, severities=SEVERITY_ORDER, kinds=KINDS,
                  scenarios=[f"S{i}" for i in range(1, 10)])  # fmt: skip


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: CaseId, user: User, ctx: Context) -> Response:
    data = CaseActions(ctx.db, user.name).detail(case_id)
    return render(request, "case.html", user=user, case=data, open_statuses=("new", "in_review", "escalated"))


def _back(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/ui/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/status")
def case_status(case_id: CaseId, user: User, ctx: Context, csrf: Annotated[str, Form()], status: Annotated[str, Form()]) -> Response:
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).set_status(case_id, status)
    return _back(case_id)


@router.post("/cases/{case_id}/assign")
def case_assign(case_id: CaseId, user: User, ctx: Context, csrf: Annotated[str, Form()], assignee: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).assign(case_id, assignee)
    return _back(case_id)


@router.post("/cases/{case_id}/decide")
def case_decide(
    case_id: CaseId, user: User, ctx: Context, csrf: Annotated[str, Form()],
    outcome: Annotated[str, Form(pattern="^(true|false)$")], reason: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:  # fmt: skip
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).decide(case_id, outcome == "true", reason)
    return _back(case_id)


@router.post("/cases/{case_id}/reopen")
def case_reopen(case_id: CaseId, user: User, ctx: Context, csrf: Annotated[str, Form()], reason: Annotated[str, Form(max_length=10_000)] = "") -> Response:
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).reopen(case_id, reason)
    return _back(case_id)


@router.post("/cases/{case_id}/notes")
def case_note(case_id: CaseId, user: User, ctx: Context, csrf: Annotated[str, Form()], text: Annotated[str, Form(max_length=10_000)] = "") -> Response:
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).add_note(case_id, text)
    return _back(case_id)


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str, user: User, ctx: Context, as_of: date | None = None) -> Response:
    day = as_of or date.today()
    report, problem = None, None
    try:
        report = ownership(ctx, entity_id, day)
    except NotFound:
        problem = f"{entity_id} is not in the ownership graph (load registers with `computewatch ingest entities`)."
    cases = CaseActions(ctx.db, user.name).for_entity(entity_id)
    return render(request, "entity.html", user=user, entity_id=entity_id, as_of=day, report=report, problem=problem,
                  graph=layout(report) if report else None, cases=cases)  # fmt: skip
