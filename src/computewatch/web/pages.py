"""The analyst's pages: the queue, a case (evidence, timeline, decision) and an entity (ownership graph)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from computewatch.api.deps import CaseId, Context
from computewatch.api.ownership import ownership
from computewatch.cases.actions import CaseActions
from computewatch.cases.models import KINDS, STATUSES
from computewatch.cases.store import SEVERITY_ORDER, SORTS, CaseFilter
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
    sort: Annotated[str, Query(pattern="^(severity|oldest|newest)$")] = "severity",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1, select: bool = False,
    done: Annotated[str | None, Query(max_length=20_000, pattern=r"^[0-9,]*$")] = None,
    skipped: Annotated[str | None, Query(max_length=20_000, pattern=r"^[0-9,]*$")] = None,
    did: Annotated[str | None, Query(pattern="^(assigned|closed)$")] = None,
) -> Response:  # fmt: skip
    filters = CaseFilter(status or None, severity or None, scenario or None, kind or None, assignee or None, q or None,
                         open_only=not all and not status, sort=sort)  # fmt: skip
    size = ctx.settings.cases.page_size
    rows, total = CaseActions(ctx.db, user.name).queue(filters, size, (page - 1) * size)
    keep = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("page", *BULK_ECHO)])
    here = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in BULK_ECHO])
    bulk = {"did": did, "done": _ids(done), "skipped": _ids(skipped)} if did else None
    unsorted = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "sort", *BULK_ECHO)]
    age_link = "/ui/?" + urlencode([*unsorted, ("sort", "newest" if sort == "oldest" else "oldest")])
    return render(request, "queue.html", user=user, cases=rows, total=total, page=page, pages=max(1, -(-total // size)), keep=keep,
                  here=here, filters=filters, show_all=all, statuses=STATUSES, severities=SEVERITY_ORDER, kinds=KINDS,
                  sorts=SORTS, scenarios=[f"S{i}" for i in range(1, 10)], select_all=select, bulk=bulk,
                  age_link=age_link)  # fmt: skip


BULK_ECHO = ("select", "done", "skipped", "did")  # what a bulk move adds to the queue's address
QUEUE_KEYS = ("status", "severity", "scenario", "kind", "assignee", "q", "all", "sort", "page")


def _ids(text: str | None) -> list[int]:
    return [int(t) for t in (text or "").split(",") if t]


def _back_to_queue(back: str, did: str, result: dict[str, object]) -> RedirectResponse:
    """To the queue as it was (its filters, nothing else), saying what the bulk move did."""
    kept = [(k, v) for k, v in parse_qsl(back, keep_blank_values=False) if k in QUEUE_KEYS]
    done = ",".join(str(i) for i in result["done"])  # type: ignore[attr-defined]
    skipped = ",".join(str(s["id"]) for s in result["skipped"])  # type: ignore[attr-defined]
    return RedirectResponse("/ui/?" + urlencode([*kept, ("did", did), ("done", done), ("skipped", skipped)]), status_code=303)


@router.post("/cases/bulk/assign")
def bulk_assign(
    user: User, ctx: Context, csrf: Annotated[str, Form()], case_id: Annotated[list[int], Form()],
    assignee: Annotated[str, Form(max_length=200)] = "", back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    check_form(user, csrf)
    return _back_to_queue(back, "assigned", CaseActions(ctx.db, user.name).bulk_assign(case_id, assignee))


@router.post("/cases/bulk/decide")
def bulk_decide(
    user: User, ctx: Context, csrf: Annotated[str, Form()], case_id: Annotated[list[int], Form()],
    outcome: Annotated[str, Form(pattern="^(true|false)$")], reason: Annotated[str, Form(max_length=10_000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    check_form(user, csrf)
    return _back_to_queue(back, "closed", CaseActions(ctx.db, user.name).bulk_decide(case_id, outcome == "true", reason))


@router.get("/suppressions")
def suppressions_page(
    request: Request, user: User, ctx: Context, all: bool = False, q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:  # fmt: skip
    size = ctx.settings.cases.page_size
    rows, total = CaseActions(ctx.db, user.name).suppressions(not all, q or None, size, (page - 1) * size)
    keep = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
    return render(request, "suppressions.html", user=user, rows=rows, total=total, show_all=all, q=q or "", page=page,
                  pages=max(1, -(-total // size)), keep=keep)  # fmt: skip


@router.post("/suppressions/{suppression_id}/lift")
def suppression_lift(
    suppression_id: Annotated[int, Path(ge=1, le=2_147_483_647)], user: User, ctx: Context, csrf: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=10_000)] = "", back: Annotated[str, Form(pattern=r"^(/ui/cases/[0-9]+|/ui/suppressions)$")] = "/ui/suppressions",
) -> Response:  # fmt: skip
    check_form(user, csrf)
    CaseActions(ctx.db, user.name).lift(suppression_id, reason)
    return RedirectResponse(back, status_code=303)


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
