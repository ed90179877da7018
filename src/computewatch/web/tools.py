"""Tools pages: screening search box, tender upload and tender view, location map."""

from __future__ import annotations

import base64
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from computewatch.api.deps import CaseId, Context
from computewatch.api.redact import renamed
from computewatch.api.uploads import safe_name, scan_and_open
from computewatch.cases.store import CaseStore
from computewatch.errors import InputError, NotFound
from computewatch.screening.model import Query as ScreenQuery
from computewatch.web.highlight import evidence_terms, highlight
from computewatch.web.render import render
from computewatch.web.session import User, check_form

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/screen")
def screen_page(
    request: Request, user: User, ctx: Context,
    name: Annotated[str, Query(max_length=500)] = "", country: Annotated[str, Query(max_length=2)] = "",
) -> Response:  # fmt: skip
    matches = [m.to_record() for m in ctx.screener().screen(ScreenQuery(name.strip(), "1", country))] if name.strip() else None
    return render(request, "screen.html", user=user, name=name, country=country, matches=matches)


@router.get("/tenders")
def tender_form(request: Request, user: User) -> Response:
    return render(request, "tender_upload.html", user=user, record=None)


@router.post("/tenders")
async def tender_upload(request: Request, user: User, ctx: Context, csrf: Annotated[str, Form()], file: Annotated[UploadFile, File()]) -> Response:
    check_form(user, csrf)
    content = await file.read(ctx.settings.api.max_upload_bytes + 1)
    record = await run_in_threadpool(scan_and_open, ctx, user.name, file.filename or "notice.txt", content, True)
    if record.get("case_id"):
        return RedirectResponse(f"/ui/tenders/{record['case_id']}", status_code=303)
    return render(request, "tender_upload.html", user=user, record=record)


def stored_text(record: dict[str, Any]) -> str | None:
    """The notice text the case's record carries (kept at scan time). The record's `file` is never opened:
    an imported record may name any path on the server."""
    text = record.get("text")
    return text if isinstance(text, str) and text.strip() else None


@router.get("/tenders/{case_id}")
def tender_page(request: Request, case_id: CaseId, user: User, ctx: Context) -> Response:
    with ctx.db.session() as session:
        case = CaseStore(session, user.name).get(case_id, purpose="tender source")
        if case.kind != "tender":
            raise NotFound("tender case", str(case_id))
        record: dict[str, Any] = dict(case.record)
    text = stored_text(record)
    return render(request, "tender.html", user=user, case_id=case_id, record=record,
                  text=highlight(text, evidence_terms(record)) if text is not None else None)  # fmt: skip


def _demo_probes() -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", "demo", "locate", "probes.csv")))


def _maps(path: Path, ctx: Context) -> list[dict[str, Any]]:
    from computewatch.locate import read_probes, verify_table
    from computewatch.locate.map import render_map

    verdicts = verify_table(read_probes(path), ctx.settings.locate)
    maps = []
    for v in verdicts:
        page = render_map(v)
        maps.append({"record": v.to_record(), "page": page, "image": svg_image(page)})
    return maps


def svg_image(page: str) -> str | None:
    """The map's SVG as a data: URL for an <img> (an image cannot run anything); None when the page has none."""
    start, end = page.find("<svg"), page.rfind("</svg>")
    if start < 0 or end < start:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(page[start : end + 6].encode()).decode()


@router.get("/locate")
def locate_page(
    request: Request, user: User, ctx: Context, demo: bool = False, as_of: date | None = None,
    site: Annotated[str, Query(max_length=200)] = "", country: Annotated[str, Query(max_length=2)] = "",
    verdict: Annotated[str, Query(max_length=20)] = "",
) -> Response:  # fmt: skip
    """The fleet from the workspace's probe rounds (web/fleet.py), and one-off verification of a probes file."""
    from computewatch.web.fleet import fleet_view

    maps = _maps(_demo_probes(), ctx) if demo else None
    fleet = None if demo else fleet_view(ctx, as_of, site, country, verdict)
    return render(request, "locate.html", user=user, maps=maps, source="bundled demo probes" if demo else None, fleet=fleet)


@router.post("/locate")
async def locate_upload(request: Request, user: User, ctx: Context, csrf: Annotated[str, Form()], file: Annotated[UploadFile, File()]) -> Response:
    check_form(user, csrf, role="viewer")
    import tempfile

    content = await file.read(ctx.settings.api.max_upload_bytes + 1)
    name = safe_name(file.filename or "probes.csv")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probes.csv"
        path.write_bytes(content[: ctx.settings.api.max_upload_bytes])
        try:
            maps = await run_in_threadpool(_maps, path, ctx)
        except InputError as exc:  # named as it was uploaded, not by the server's temporary path
            raise renamed(exc, path, name) from None
    return render(request, "locate.html", user=user, maps=maps, source=name)
