"""The API docs (Swagger UI at /docs, ReDoc at /redoc) served from installed packages, never a CDN.

The Swagger UI and ReDoc bundles come from the `fastapi-offline` package (MIT; it ships Swagger UI,
Apache-2.0, and ReDoc, MIT), our start-up scripts from static/ here. The pages have no inline script,
so their Content-Security-Policy (computewatch.api.headers.DOCS_CSP) allows only these files.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"

SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Swagger UI</title>
<link rel="icon" href="{assets}/favicon.png"><link rel="stylesheet" href="{assets}/swagger-ui.css">
</head><body><div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script><script src="{assets}/swagger-init.js"></script>
</body></html>"""

REDOC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - ReDoc</title>
<link rel="icon" href="{assets}/favicon.png"><link rel="stylesheet" href="{assets}/redoc.css">
</head><body><redoc spec-url="{openapi}"></redoc><script src="{assets}/redoc.standalone.js"></script>
</body></html>"""


def _page(template: str, request: Request, app: FastAPI) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    fields = {"title": escape(app.title), "assets": escape(root + ASSETS), "openapi": escape(root + str(app.openapi_url))}
    return HTMLResponse(template.format(**fields))


def mount_docs(app: FastAPI) -> None:
    """Add /docs, /redoc and their assets to an app made with docs_url=None, redoc_url=None."""
    ours = str(resources.files("computewatch.api").joinpath("static"))
    app.mount(ASSETS, StaticFiles(directory=ours, packages=[("fastapi_offline", "static")]), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return _page(SWAGGER_PAGE, request, app)

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return _page(REDOC_PAGE, request, app)
