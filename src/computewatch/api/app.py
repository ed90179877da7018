"""The application: routers, the web app, and one handler map from error types to HTTP statuses."""

from __future__ import annotations

from pathlib import Path

import duckdb
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from computewatch import __version__
from computewatch.api.context import ApiContext
from computewatch.api.errors import ApiError, Unauthorized, status_of
from computewatch.api.fast_match import FastMatchRoute
from computewatch.api.ratelimit import RateLimiter
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
    tenders,
)
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


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _is_page(request: Request) -> bool:
    return request.url.path.startswith("/ui")


async def computewatch_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ComputewatchError)
    if _is_page(request):
        from computewatch.web.pages import error_page

        if isinstance(exc, Unauthorized):
            return RedirectResponse(f"/ui/login?next={request.url.path}", status_code=303)
        return error_page(request, status_of(exc), str(exc))
    headers = exc.headers if isinstance(exc, ApiError) else None
    status = status_of(exc)
    if status == 422:  # one shape for every 422, as FastAPI's own validation errors have
        message = str(exc)
        detail = [{"loc": ["body"], "msg": message, "type": "value_error"}]
        return JSONResponse({"detail": detail, "message": message}, status_code=422, headers=headers)
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    message = _validation_message(exc)
    if _is_page(request):
        from computewatch.web.pages import error_page

        return error_page(request, 422, message)
    return JSONResponse({"detail": jsonable_encoder(exc.errors()), "message": message}, status_code=422)


async def workspace_busy(request: Request, exc: Exception) -> Response:
    """Another process (a long `computewatch detect`, say) holds the DuckDB workspace: try again later."""
    message = f"the workspace is busy (held by another process); try again shortly ({type(exc).__name__})"
    if _is_page(request):
        from computewatch.web.pages import error_page

        return error_page(request, 503, message)
    return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "5"})


def create_app(settings: Settings | None = None, workspace: str | Path | None = None, db: CaseDB | None = None) -> FastAPI:
    """One application over a workspace and its case database (opened and migrated here unless given)."""
    settings = settings or default_settings()
    home = resolve_home(workspace)
    home.mkdir(parents=True, exist_ok=True)
    context = ApiContext(settings, home, db or open_case_db(home, settings), RateLimiter(settings.api.rate_limit_burst))
    app = FastAPI(title="computewatch", version=__version__, description=DESCRIPTION)
    app.state.context = context
    app.router.routes.append(FastMatchRoute())  # before the documented /match route, which it hands the rest
    for module in (health, match, screening, tenders, alerts, cases, entities, admin, rescreen):
        app.include_router(module.router)
    for module in (search, catalog, reconcile, graph):  # the rest of yente's API, and the graph view's own path
        app.include_router(module.router)
    app.add_exception_handler(ComputewatchError, computewatch_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(duckdb.IOException, workspace_busy)

    from computewatch.web import mount_web

    mount_web(app)
    return app
