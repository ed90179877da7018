"""Log in with an API key (the key is exchanged for a session cookie), log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from computewatch.api.auth import SESSION_COOKIE
from computewatch.api.deps import Context
from computewatch.api.errors import RateLimited
from computewatch.api.throttle import record_auth_failure, refuse_if_throttled
from computewatch.cases.keys import end_session, find_api_key, start_session
from computewatch.web.render import render

router = APIRouter(prefix="/ui", include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this web app: no other host, no scheme, no backslash or control-character tricks."""
    if not target or not target.isprintable() or "//" in target or "\\" in target:
        return "/ui/"
    return target if target == "/ui" or target.startswith(("/ui/", "/ui?")) else "/ui/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", user=None, next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, ctx: Context, api_key: Annotated[str, Form(max_length=500)], next: Annotated[str, Form()] = "/ui/") -> Response:
    try:
        refuse_if_throttled(request)
    except RateLimited as exc:
        return render(request, "login.html", status_code=429, user=None, next=_safe_next(next), headers=exc.headers,
                      error=f"Too many wrong keys came from your address: try again in {exc.retry_after} s.")  # fmt: skip
    with ctx.db.session() as session:
        key = find_api_key(session, api_key)
        token = start_session(session, key, ctx.settings.api.session_hours) if key is not None else None
    if token is None:
        record_auth_failure(request, ctx, api_key, "login")
        return render(request, "login.html", status_code=401, user=None, next=_safe_next(next), error="That API key is not valid (unknown or revoked).")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(ctx.settings.api.session_hours * 3600), httponly=True,
                        samesite="strict", secure=ctx.settings.api.secure_cookies, path="/")  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, ctx: Context) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with ctx.db.session() as session:
            end_session(session, token)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
