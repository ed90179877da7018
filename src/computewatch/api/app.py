"""The application: routers, the web app, and one handler map from error types to HTTP statuses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from computewatch import __version__
from computewatch.api.context import ApiContext
from computewatch.api.docs import mount_docs
from computewatch.api.errors import ApiError, Unauthorized, short_message, status_of
from computewatch.api.fast_match import FastMatchRoute
from computewatch.api.headers import SecurityHeaders, security_headers
from computewatch.api.limits import BodyLimit, BodyTooLarge
from computewatch.api.ratelimit import RateLimiter
from computewatch.api.redact import hide_text, server_paths
from computewatch.api.routers import (
    admin,
    alerts,
    cases,
    catalog,
    entities,
    graph,
    health,
    match,
    reconcile,
    rescreen,
    screening,
    search,
    suppressions,
    tenders,
)
from computewatch.api.throttle import AuthThrottle, ThrottleGate, guard_api_keys
from computewatch.cases.db import CaseDB, open_case_db
from computewatch.errors import ComputewatchError
from computewatch.settings import Settings, default_settings
from computewatch.workspace import resolve_home

DESCRIPTION = """Monitoring and enforcement of export controls on advanced AI compute.

Every endpoint but `/healthz` needs an API key (`computewatch keys create NAME --role viewer|analyst|admin`),
sent as `Authorization: ApiKey KEY` or `Authorization: Bearer KEY`. Roles: viewer reads and screens;
analyst also works cases, imports alerts and uploads notices; admin also manages keys, reads the audit log and starts a re-screening.
`POST /match/{dataset}`, `GET /entities/{id}`, `/search/{dataset}`, `/catalog` and `/reconcile/{dataset}` speak yente's API. The web app for analysts is at `/ui/`.
"""


MAX_ERRORS = 20  # validation errors listed in one answer
MAX_MESSAGE = 2_000  # characters of an error message


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    parts = []
    for err in errors[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()))[:200]
        parts.append(f"{where}: {str(err.get('msg', 'invalid'))[:300]}")
    if len(errors) > 10:
        parts.append(f"... and {len(errors) - 10} more errors")
    return "; ".join(parts) or "invalid request"


def _short_errors(errors: Sequence[Any], echo_chars: int) -> list[dict[str, Any]]:
    """FastAPI's error list without what would repeat a large request: at most MAX_ERRORS, each with
    where (loc), what (msg, type), and the value sent only when it is a short scalar."""
    out = []
    for err in errors[:MAX_ERRORS]:
        item: dict[str, Any] = {"loc": [p if isinstance(p, int) else str(p)[:200] for p in list(err.get("loc", ()))[:20]],
                                "msg": str(err.get("msg", "invalid"))[:300], "type": str(err.get("type", ""))[:100]}  # fmt: skip
        value = err.get("input")
        if isinstance(value, str):
            item["input"] = value if len(value) <= echo_chars else value[:echo_chars] + "..."
        elif isinstance(value, bool | int | float) or value is None:
            item["input"] = value
        out.append(item)
    return out


def _is_page(request: Request) -> bool:
    return request.url.path.startswith("/ui")


def _echo_chars(request: Request) -> int:
    context: ApiContext = request.app.state.context
    return context.settings.api.error_echo_chars


def _public(request: Request, message: str) -> str:
    """An error message fit to send: short, and naming no server path."""
    context: ApiContext = request.app.state.context
    return short_message(hide_text(message, server_paths(context.workspace)), MAX_MESSAGE)


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one shape of a refusal: the error page under /ui, `{"detail": message}` elsewhere."""
    if _is_page(request):
        from computewatch.web.pages import error_page

        page = error_page(request, status, message)
        page.headers.update(headers or {})
        return page
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


async def computewatch_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ComputewatchError)
    if _is_page(request) and isinstance(exc, Unauthorized):
        return RedirectResponse(f"/ui/login?{urlencode({'next': request.url.path})}", status_code=303)
    headers = exc.headers if isinstance(exc, ApiError) else None
    status = status_of(exc)
    message = _public(request, str(exc))
    if status == 422 and not _is_page(request):  # one shape for every 422, as FastAPI's own validation errors have
        detail = [{"loc": ["body"], "msg": message, "type": "value_error"}]
        return JSONResponse({"detail": detail, "message": message}, status_code=422, headers=headers)
    return error_response(request, status, message, headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    message = _validation_message(exc)
    if _is_page(request):
        return error_response(request, 422, message)
    detail = _short_errors(exc.errors(), _echo_chars(request))
    return JSONResponse({"detail": jsonable_encoder(detail), "message": message}, status_code=422)


async def body_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    return error_response(request, 413, exc.detail, {"Connection": "close"})


async def server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: a short answer with the usual headers; the details go to the server log only."""
    context: ApiContext = request.app.state.context
    headers = security_headers(request.url.path, context.settings.api.secure_cookies)
    return JSONResponse({"detail": "internal error; the server log has the details"}, status_code=500, headers=headers)


async def workspace_busy(request: Request, exc: Exception) -> Response:
    """Another process (a long `computewatch detect`, say) holds the DuckDB workspace: try again later."""
    message = f"the workspace is busy (held by another process); try again shortly ({type(exc).__name__})"
    if _is_page(request):
        return error_response(request, 503, message)
    return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "5"})


def create_app(settings: Settings | None = None, workspace: str | Path | None = None, db: CaseDB | None = None) -> FastAPI:
    """One application over a workspace and its case database (opened and migrated here unless given)."""
    settings = settings or default_settings()
    home = resolve_home(workspace)
    home.mkdir(parents=True, exist_ok=True)
    context = ApiContext(settings, home, db or open_case_db(home, settings), RateLimiter(settings.api.rate_limit_burst))
    app = FastAPI(title="computewatch", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None,
                  dependencies=[Depends(guard_api_keys)])  # wrong keys: throttled per address, audited (api/throttle.py)
    app.state.context = context
    app.state.auth_throttle = AuthThrottle.from_settings(settings)
    app.router.routes.append(FastMatchRoute())  # before the documented /match route, which it hands the rest
    for module in (health, match, screening, tenders, alerts, cases, suppressions, entities, admin, rescreen):
        app.include_router(module.router)
    for module in (search, catalog, reconcile, graph):  # the rest of yente's API, and the graph view's own path
        app.include_router(module.router)
    app.add_exception_handler(ComputewatchError, computewatch_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(duckdb.IOException, workspace_busy)
    app.add_exception_handler(BodyTooLarge, body_too_large)
    app.add_exception_handler(Exception, server_error)
    mount_docs(app)

    from computewatch.web import mount_web

    mount_web(app)
    # the outermost layers, added last: every response gets the headers, every body the limit
    app.add_middleware(BodyLimit, max_body_bytes=settings.api.max_body_bytes, max_upload_bytes=settings.api.max_upload_bytes,
                       respond=error_response)  # fmt: skip
    app.add_middleware(ThrottleGate, throttle=app.state.auth_throttle, respond=error_response)
    app.add_middleware(SecurityHeaders, https=settings.api.secure_cookies)
    return app
