"""Form posts of the web app must come from its own pages: a POST (PUT, PATCH, DELETE) under /ui whose
`Origin` header, or without one its `Referer`, names another origin is refused with 403 before the
route runs. This backs the per-session CSRF token and the SameSite=Strict cookie, and covers the
forms that have no session yet (login) or need none (logout).

A request with neither header passes: browsers send `Origin` with every cross-origin POST, so only
non-browser clients (scripts, tests) leave both out, and they carry no victim's cookie. `Origin: null`
(sandboxed frames, privacy redirects) is refused. Behind a proxy that changes the Host header, name
the public origin in Settings.api.allowed_origins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-case and without the scheme's default port; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{shown_port}"


def own_origin(scope: Scope) -> str | None:
    url = Request(scope).base_url
    return origin_of(f"{url.scheme}://{url.netloc}")


class OriginCheck:
    def __init__(self, app: ASGIApp, allowed_origins: list[str] | None = None):
        self.app = app
        self.allowed = {o for o in (origin_of(a) for a in allowed_origins or []) if o}

    def refusal(self, scope: Scope) -> str | None:
        """Why this request may not go ahead, or None."""
        if scope["type"] != "http" or scope.get("method") not in UNSAFE or not scope.get("path", "").startswith("/ui"):
            return None
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        sender = origin if origin is not None else headers.get("referer")
        if sender is None:
            return None
        seen = origin_of(sender)
        if seen is not None and (seen == own_origin(scope) or seen in self.allowed):
            return None
        which = "Origin" if origin is not None else "Referer"
        return (f"the form was posted from another site ({which}: {sender[:100]}); "
                "open the page on this site and submit it from there")  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        why = self.refusal(scope)
        if why is None:
            await self.app(scope, receive, send)
            return
        from computewatch.web.pages import error_page

        await error_page(Request(scope), 403, why)(scope, receive, send)
