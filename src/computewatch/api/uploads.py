"""Uploaded tender notices: kept in the workspace (uploads/tenders/) so their case can show the source text,
scanned, their parties kept for re-screening, and a case opened when flagged (for the API and the web app)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from computewatch.api.context import ApiContext
from computewatch.api.errors import PayloadTooLarge, Unprocessable, short_message
from computewatch.api.redact import upload_record
from computewatch.atomic import atomic_write
from computewatch.cases.actions import CaseActions
from computewatch.sources.tenders.document import SUFFIXES
from computewatch.tenders.record import record_notice_parties
from computewatch.tenders.scan import NoticeScanner

UPLOAD_DIR = ("uploads", "tenders")


def safe_name(filename: str) -> str:
    base = Path(filename.replace("\\", "/")).name
    stem = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "notice"
    return stem[:120]


def save_notice(workspace: Path, filename: str, content: bytes, max_bytes: int) -> Path:
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"the notice is {len(content)} bytes; the limit is {max_bytes}")
    if not content:
        raise Unprocessable("the uploaded file is empty")
    name = safe_name(filename)
    if not name.lower().endswith(SUFFIXES):
        raise Unprocessable(f"a notice must be one of {', '.join(SUFFIXES)}; got {short_message(filename, 100)!r}")
    digest = hashlib.sha256(content).hexdigest()[:16]
    target = workspace.joinpath(*UPLOAD_DIR) / f"{digest}-{name}"
    if not target.exists():
        with atomic_write(target) as fh:
            fh.write(content)
    return target


def scan_upload(ctx: ApiContext, filename: str, content: bytes) -> dict[str, Any]:
    path = save_notice(ctx.workspace, filename, content, ctx.settings.api.max_upload_bytes)
    record = upload_record(NoticeScanner(ctx.screener()).scan_file(path), ctx.workspace, path, UPLOAD_DIR)  # no server path
    with ctx.open_workspace() as ws:  # its parties are re-screened with the rest of the workspace
        record_notice_parties(ws, [record])
    return record


def scan_and_open(ctx: ApiContext, actor: str, filename: str, content: bytes, open_case: bool) -> dict[str, Any]:
    record = scan_upload(ctx, filename, content)
    record["case_id"] = None
    if open_case and record.get("flagged"):
        summary = CaseActions(ctx.db, actor).import_records([record], origin="upload")
        opened = summary.created + summary.existing
        record["case_id"] = opened[0] if opened else None
    return record
