"""Web logins: a session cookie (random token, stored hashed) made from an API key; CSRF tokens for forms."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from computewatch.api.auth import SESSION_COOKIE, Principal, session_principal
from computewatch.api.context import ApiContext, get_context
from computewatch.api.errors import Forbidden, RateLimited, Unauthorized


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    csrf: str

    @property
    def name(self) -> str:
        return self.principal.name

    def can(self, role: str) -> bool:
        return self.principal.can(role)


def csrf_token(session_token: str) -> str:
    return hashlib.sha256(f"csrf:{session_token}".encode()).hexdigest()


def web_user(request: Request, ctx: Annotated[ApiContext, Depends(get_context)]) -> WebUser:
    token = request.cookies.get(SESSION_COOKIE)
    principal = session_principal(ctx, token) if token else None
    if principal is None or token is None:
        raise Unauthorized("please log in")
    wait = ctx.limiter.take(principal.key_id, principal.rate_limit_per_minute or ctx.settings.api.rate_limit_per_minute)
    if wait:
        raise RateLimited(wait)
    return WebUser(principal, csrf_token(token))


def check_form(user: WebUser, csrf: str, role: str = "analyst") -> None:
    """A state-changing form: the CSRF token must match the session's, and the role must allow it."""
    if not hmac.compare_digest(user.csrf, csrf):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")
    if not user.can(role):
        raise Forbidden(f"this needs the {role} role; you are logged in as {user.name} ({user.principal.role})")


User = Annotated[WebUser, Depends(web_user)]
