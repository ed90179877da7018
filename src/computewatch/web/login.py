"""Log in with an API key (the key is exchanged for a session cookie), log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from computewatch.api.auth import SESSION_COOKIE
from computewatch.api.deps import Context
from computewatch.cases.keys import end_session, find_api_key, start_session
from computewatch.web.render import render

router = APIRouter(prefix="/ui", include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/ui") and "//" not in target else "/ui/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", user=None, next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, ctx: Context, api_key: Annotated[str, Form(max_length=500)], next: Annotated[str, Form()] = "/ui/") -> Response:
    with ctx.db.session() as session:
        key = find_api_key(session, api_key)
        if key is None:
            return render(request, "login.html", status_code=401, user=None, next=_safe_next(next), error="That API key is not valid (unknown or revoked).")
        token = start_session(session, key, ctx.settings.api.session_hours)
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
