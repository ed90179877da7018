"""Who is calling: an API key in `Authorization: ApiKey KEY` or `Bearer KEY` (or a web session cookie),
with a role (viewer < analyst < admin) and a per-key rate limit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from computewatch.api.context import ApiContext, get_context
from computewatch.api.errors import Forbidden, RateLimited, Unauthorized
from computewatch.cases.keys import find_api_key, find_session
from computewatch.cases.models import ROLES, ApiKey

SESSION_COOKIE = "cw_session"


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    key_id: str
    rate_limit_per_minute: int | None

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _principal(row: ApiKey) -> Principal:
    return Principal(row.name, row.role, row.key_id, row.rate_limit_per_minute)


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() not in ("apikey", "bearer") or not value.strip():
        raise Unauthorized("malformed Authorization header: use 'ApiKey KEY' or 'Bearer KEY'")
    return value.strip()


def key_principal(ctx: ApiContext, key: str) -> Principal:
    digest = hashlib.sha256(key.encode()).hexdigest()
    cached = ctx.key_cache.get(digest)
    if cached is not None:
        return cached
    with ctx.db.session() as session:
        row = find_api_key(session, key)
        if row is None:
            raise Unauthorized("unknown or revoked API key")
        principal = _principal(row)
    ctx.key_cache.put(digest, principal)
    return principal


def session_principal(ctx: ApiContext, token: str) -> Principal | None:
    with ctx.db.session() as session:
        row = find_session(session, token)
        return _principal(row) if row is not None else None


async def authenticate(request: Request, ctx: Annotated[ApiContext, Depends(get_context)]) -> Principal:
    """Async, so that a request with a recently seen key costs no hand-off to a thread; the database is
    read (in a thread) only when the key is not in the cache."""
    key = presented_key(request)
    if key is not None:
        principal = await principal_for_key(ctx, key)
    else:
        # a web session also reads API data (the report links); never changes it: no cross-site writes
        token = request.cookies.get(SESSION_COOKIE) if request.method in ("GET", "HEAD") else None
        found = await run_in_threadpool(session_principal, ctx, token) if token else None
        if found is None:
            raise Unauthorized("missing credentials: send 'Authorization: ApiKey KEY' (or 'Bearer KEY')")
        principal = found
    check_rate(ctx, principal)
    return principal


async def principal_for_key(ctx: ApiContext, key: str) -> Principal:
    """The caller of a presented key: from the cache, else from the database (in a thread)."""
    cached = ctx.key_cache.get(hashlib.sha256(key.encode()).hexdigest())
    return cached if cached is not None else await run_in_threadpool(key_principal, ctx, key)


def check_rate(ctx: ApiContext, principal: Principal) -> None:
    limit = principal.rate_limit_per_minute or ctx.settings.api.rate_limit_per_minute
    wait = ctx.limiter.take(principal.key_id, limit)
    if wait:
        raise RateLimited(wait)


def require(role: str) -> Callable[..., Any]:
    """A dependency that lets through keys with `role` or a higher one."""

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not principal.can(role):
            raise Forbidden(f"this needs the {role} role; the key '{principal.name}' is {principal.role}")
        return principal

    check.__name__ = f"require_{role}"
    return check
