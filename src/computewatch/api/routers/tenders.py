"""`POST /tenders`: upload a procurement notice, get the CONTRACTS.md tenders record (and a case if flagged)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from computewatch.api.deps import Context, ViewerKey
from computewatch.api.errors import ERROR_RESPONSES, Forbidden
from computewatch.api.uploads import scan_and_open

router = APIRouter(tags=["Tenders"])


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
