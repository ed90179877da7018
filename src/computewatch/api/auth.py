"""Who is calling: an API key in `Authorization: ApiKey KEY` or `Bearer KEY` (or a web session cookie),
with a role (viewer < analyst < admin) and a per-key rate limit."""

from __future__ import annotations

import asyncio
import hashlib
import logging
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
log = logging.getLogger(__name__)


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


def key_digest(key: str) -> str:
    return hashlib.sha256(key.strip().encode()).hexdigest()


def lookup_key(ctx: ApiContext, key: str) -> Principal | None:
    """The database's word on a presented key (None: unknown, wrong or revoked), kept in the key cache."""
    ticket = ctx.key_cache.ticket()
    with ctx.db.session() as session:
        row = find_api_key(session, key)
        principal = _principal(row) if row is not None else None
    ctx.key_cache.put(key_digest(key), principal, ticket)
    return principal


def _lookup_once(ctx: ApiContext, key: str, digest: str) -> asyncio.Future[Principal | None]:
    """One database lookup of a key (in a thread) however many requests ask for it meanwhile. A lookup begun
    before a `clear` (a key revoked through the API) is not joined: it may have read the key before then."""
    loop = asyncio.get_running_loop()
    generation = ctx.key_cache.generation
    running = ctx.key_cache.lookups.get(digest)
    if running is not None and running[0] is loop and running[1] == generation and not running[2].done():
        return running[2]
    task = loop.create_task(run_in_threadpool(lookup_key, ctx, key))
    ctx.key_cache.lookups[digest] = (loop, generation, task)  # also keeps the task alive (the loop holds it weakly)

    def finished(done: asyncio.Future[Principal | None]) -> None:
        if digest in ctx.key_cache.lookups and ctx.key_cache.lookups[digest][2] is done:
            del ctx.key_cache.lookups[digest]
        if not done.cancelled() and done.exception() is not None:  # a renewal nobody awaits: say so
            log.warning("looking up an API key failed: %r", done.exception())

    task.add_done_callback(finished)
    return task


def renew_if_due(ctx: ApiContext, key: str, digest: str) -> None:
    """A cached key past half its life is looked up again in the background (KeyCache)."""
    if ctx.key_cache.due(digest):
        _lookup_once(ctx, key, digest)


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
    """The caller of a presented key: from the cache, else from the database (one lookup in a thread for
    every request that waits on the same key)."""
    digest = key_digest(key)
    cached: Principal | None = ctx.key_cache.get(digest)
    if cached is not None:
        renew_if_due(ctx, key, digest)
        return cached
    found = await asyncio.shield(_lookup_once(ctx, key, digest))  # one waiter gone does not cancel it for the rest
    if found is None:
        raise Unauthorized("unknown or revoked API key")
    return found


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
