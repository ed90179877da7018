"""The web app for analysts: server-rendered pages (Jinja2, autoescaped) on the API's application, under /ui.

Pages: login, alert queue with filters, case (evidence, timeline, decision), entity (ownership graph),
tender (source text with evidence highlighted, escaped), location map, screening search. No scripts or
styles from elsewhere: everything is in templates/ and static/.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles


def mount_web(app: FastAPI) -> None:
    from computewatch.web import fleet, login, pages, tools
    from computewatch.web.origin import OriginCheck

    for module in (login, pages, tools, fleet):
        app.include_router(module.router)
    app.add_middleware(OriginCheck, allowed_origins=app.state.context.settings.api.allowed_origins)
    static = resources.files("computewatch.web").joinpath("static")
    app.mount("/ui/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=303)
