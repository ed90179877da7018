"""Templates: one autoescaping Jinja2 environment, loaded lazily, once."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from computewatch.cases.views import STATUS_LABELS


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("computewatch.web", "templates"), autoescape=select_autoescape(default=True))
    env.globals["STATUS_LABELS"] = STATUS_LABELS
    # one path segment of a link: a stored id like "../../x" stays inside its segment ("/" is encoded too)
    env.filters["segment"] = lambda value: quote(str(value), safe="")
    return env


def render(request: Request, template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """A page; its security headers (CSP and the rest) come from computewatch.api.headers, like every response's."""
    body = environment().get_template(template).render(request=request, **context)
    return HTMLResponse(body, status_code=status_code, headers=headers)
