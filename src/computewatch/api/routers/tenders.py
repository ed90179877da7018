"""`POST /tenders`: upload a procurement notice, get the CONTRACTS.md tenders record (and a case if flagged)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from computewatch.api.context import ApiContext
from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES, Forbidden
from computewatch.api.uploads import save_notice
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore

router = APIRouter(tags=["Tenders"])


def scan_upload(ctx: ApiContext, filename: str, content: bytes) -> dict[str, Any]:
    from computewatch.tenders.record import record_notice_parties
    from computewatch.tenders.scan import NoticeScanner

    path = save_notice(ctx.workspace, filename, content, ctx.settings.api.max_upload_bytes)
    record = NoticeScanner(ctx.screener()).scan_file(path)
    with ctx.open_workspace() as ws:  # its parties are re-screened with the rest of the workspace
        record_notice_parties(ws, [record])
    return record


@router.post("/tenders", responses={**ERROR_RESPONSES, 413: {"description": "Too large"}},
             summary="Scan an uploaded notice (.html, .htm, .txt, .pdf)")  # fmt: skip
async def upload_tender(
    principal: ViewerKey,
    ctx: Context,
    file: Annotated[UploadFile, File(description="the notice")],
    open_case: Annotated[bool, Query(description="open a case when the notice is flagged (analyst role)")] = False,
) -> dict[str, Any]:
    if open_case and not principal.can("analyst"):
        raise Forbidden(f"opening a case needs the analyst role; the key '{principal.name}' is {principal.role}")
    content = await file.read(ctx.settings.api.max_upload_bytes + 1)
    return await run_in_threadpool(scan_and_open, ctx, principal.name, file.filename or "notice.txt", content, open_case)


def scan_and_open(ctx: ApiContext, actor: str, filename: str, content: bytes, open_case: bool) -> dict[str, Any]:
    record = scan_upload(ctx, filename, content)
    record["case_id"] = None
    if open_case and record.get("flagged"):
        with ctx.db.session() as session:
            summary = import_records(CaseStore(session, actor), [record], origin="upload")
            opened = summary.created + summary.existing
            record["case_id"] = opened[0] if opened else None
    return record
