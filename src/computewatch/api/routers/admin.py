"""Admin: API keys and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from computewatch.api.deps import AdminKey, Context
from computewatch.api.errors import ERROR_RESPONSES
from computewatch.api.schemas import (
    AuditEntry,
    AuditVerifyResponse,
    ErrorResponse,
    KeyCreated,
    KeyRequest,
)
from computewatch.cases.audit import AuditLog
from computewatch.cases.keys import create_api_key, revoke_api_key
from computewatch.cases.views import audit_entry

router = APIRouter(tags=["Admin"])


@router.post("/keys", response_model=KeyCreated, status_code=201, responses={**ERROR_RESPONSES, 409: {"model": ErrorResponse}},
             summary="Create an API key (shown once)")  # fmt: skip
def create_key(body: KeyRequest, principal: AdminKey, ctx: Context) -> dict[str, Any]:
    with ctx.db.session() as session:
        row, key = create_api_key(session, body.name, body.role, principal.name, body.rate_limit_per_minute)
        return {"name": row.name, "role": row.role, "key": key}


@router.delete("/keys/{name}", status_code=204, responses={**ERROR_RESPONSES, 404: {"model": ErrorResponse}},
               summary="Revoke an API key and its web sessions")  # fmt: skip
def revoke_key(name: Annotated[str, Path(min_length=1, max_length=200)], principal: AdminKey, ctx: Context) -> None:
    with ctx.db.session() as session:
        revoke_api_key(session, name, principal.name)
    ctx.key_cache.clear()


@router.get("/audit", response_model=list[AuditEntry], responses=ERROR_RESPONSES, summary="Newest audit records")
def audit_records(
    principal: AdminKey, ctx: Context, limit: Annotated[int, Query(ge=1, le=10_000)] = 100
) -> list[dict[str, Any]]:
    with ctx.db.session() as session:
        return [audit_entry(r) for r in AuditLog(session).recent(limit)]


@router.get("/audit/verify", response_model=AuditVerifyResponse, responses=ERROR_RESPONSES,
            summary="Check the audit log's hash chain for edits and deletions")  # fmt: skip
def audit_verify(principal: AdminKey, ctx: Context) -> dict[str, Any]:
    with ctx.db.session() as session:
        verdict = AuditLog(session).verify()
    return {"intact": verdict.intact, "records": verdict.records, "problems": [str(p) for p in verdict.problems]}
