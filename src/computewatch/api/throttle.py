"""Wrong API keys and failed logins: throttled per client address with a growing wait, and audited.

The pieces: `ThrottleGate` (middleware) refuses a waiting address's keys before any route runs;
`guard_api_keys` (an application-wide dependency) counts and audits each key `authenticate` refuses;
the login form calls `refuse_if_throttled` and `record_auth_failure` itself.

A client address may get `auth_failures_allowed` keys wrong; then it must wait `auth_backoff_s`, and
each further wrong key doubles the wait, up to `auth_backoff_max_s` (429 with Retry-After). While it waits, no key
from that address is checked at all, not even a right one: a guess cannot be tested there. Its count
is forgotten `auth_failure_window_s` after its last wrong key; a right key does not reset it (else one
valid key would let an attacker go on guessing others).

Every wrong key that is checked is written to the audit log (action `auth_failure`) with the address,
the way it came (API header or login form) and why it failed, naming the key only when the presented
key id is a real key's (that part is not secret); the presented secret is never stored.
Refused requests are not looked up, so a flood of guesses costs a few audit records, not one each.

The state is in this process's memory; several server processes each keep their own.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from computewatch.api.auth import presented_key
from computewatch.api.context import ApiContext
from computewatch.api.errors import RateLimited, Unauthorized
from computewatch.cases.audit import AuditLog
from computewatch.cases.keys import PREFIX
from computewatch.cases.models import ApiKey
from computewatch.settings import Settings

log = logging.getLogger(__name__)
MAX_CLIENTS = 100_000
ACTOR = "anonymous"
TOO_MANY = "too many wrong API keys from this address"
Respond = Callable[[Request, int, str, dict[str, str] | None], Response]


@dataclass
class _Client:
    failures: int
    last: float
    until: float = 0.0


class AuthThrottle:
    def __init__(self, allowed: int, backoff_s: float, backoff_max_s: float, window_s: float, max_clients: int = MAX_CLIENTS):
        self.allowed = allowed
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self.window_s = window_s
        self.max_clients = max_clients
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthThrottle:
        api = settings.api
        return cls(api.auth_failures_allowed, api.auth_backoff_s, api.auth_backoff_max_s, api.auth_failure_window_s)

    def __len__(self) -> int:
        return len(self._clients)

    def wait(self, address: str, now: float | None = None) -> int:
        """Seconds `address` must wait before a key of its is checked again (0: go ahead)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            client = self._clients.get(address)
        if client is None or client.until <= now:
            return 0
        return max(1, math.ceil(round(client.until - now, 3)))

    def failed(self, address: str, now: float | None = None) -> float:
        """Count a wrong key from `address`; returns the wait it now has to sit out (0 within the allowance)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            client = self._clients.get(address)
            if client is None or now - client.last > self.window_s:
                if client is None and len(self._clients) >= self.max_clients:
                    self._forget_old(now)
                client = self._clients[address] = _Client(0, now)
            client.failures += 1
            client.last = now
            over = client.failures - self.allowed  # the allowed-th wrong key starts the first wait
            if over < 0:
                return 0.0
            wait = min(self.backoff_max_s, self.backoff_s * 2**over)
            client.until = now + wait
            return wait

    def _forget_old(self, now: float) -> None:
        stale = [a for a, c in self._clients.items() if now - c.last > self.window_s and c.until <= now]
        for address in stale:
            del self._clients[address]
        if len(self._clients) >= self.max_clients:  # a flood of fresh addresses: keep the newest half
            keep = sorted(self._clients.items(), key=lambda kv: kv[1].last)[len(self._clients) // 2 :]
            self._clients = dict(keep)


def client_key(host: str | None) -> str:
    """The unit throttled: an IPv4 address, or an IPv6 /64 (one subscriber's network)."""
    if not host:
        return "unknown"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def throttle_of(request: Request) -> AuthThrottle:
    throttle: AuthThrottle = request.app.state.auth_throttle
    return throttle


def address_of(request: Request) -> str:
    return client_key(request.client.host if request.client else None)


class ThrottleGate:
    """ASGI middleware: a request carrying an API key from an address that must wait gets 429 before
    any route runs (the documented routes and any fast path alike), so its key is never checked."""

    def __init__(self, app: ASGIApp, throttle: AuthThrottle, respond: Respond):
        self.app = app
        self.throttle = throttle
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and Headers(scope=scope).get("authorization"):
            client = scope.get("client")
            wait = self.throttle.wait(client_key(client[0] if client else None))
            if wait:
                exc = RateLimited(wait, TOO_MANY)
                response = self.respond(Request(scope), exc.status_code, exc.detail, exc.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def guard_api_keys(request: Request) -> AsyncIterator[None]:
    """An application-wide dependency, resolved before each route's own (so before `authenticate`): a
    key that `authenticate` refuses (401) is counted against the address and audited on its way out."""
    try:
        key = presented_key(request)
    except Unauthorized:  # a malformed header: `authenticate` answers it; it is no guess at a key
        key = None
    if key is None:
        yield
        return
    try:
        yield
    except Unauthorized:
        await run_in_threadpool(record_auth_failure, request, request.app.state.context, key, "api_key")
        raise


def refuse_if_throttled(request: Request) -> None:
    """Before a key is checked (the login form): 429 while this address sits out a wait."""
    wait = throttle_of(request).wait(address_of(request))
    if wait:
        raise RateLimited(wait, TOO_MANY)


def _why(ctx: ApiContext, presented: str) -> tuple[str, str | None]:
    """Why a presented key failed, and the key's name when its (non-secret) id is a real key's."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return "not a computewatch key", None
    with ctx.db.session() as session:
        row = session.execute(select(ApiKey).where(ApiKey.key_id == parts[1][:64])).scalar_one_or_none()
        if row is None:
            return "unknown key", None
        if row.revoked_at is not None:
            return f"revoked key '{row.name}'", row.name
        return f"wrong secret for key '{row.name}'", row.name


def record_auth_failure(request: Request, ctx: ApiContext, presented: str, via: str) -> float:
    """After a key was refused: count it against the address and audit it. Returns the wait started."""
    address = address_of(request)
    wait = throttle_of(request).failed(address)
    reason, name = _why(ctx, presented)
    details: dict[str, object] = {"address": address, "via": via, "method": request.method,
                                  "path": request.url.path[:200], "reason": reason}  # fmt: skip
    if name:
        details["key_name"] = name
    if wait:
        details["throttled_s"] = wait
        log.warning("%s: too many wrong API keys; refused for %.0f s", address, wait)
    with ctx.db.session() as session:
        AuditLog(session).append(ACTOR, "auth_failure", None, **details)
    return wait
