"""Security headers on every response: pages, API answers, reports, docs and errors alike.

Each kind of response gets the narrowest Content-Security-Policy that lets it work; all of them forbid
framing (clickjacking), MIME sniffing and cross-site referrers. Everything but the static assets
is `Cache-Control: no-store`: what needs a login must not stay in a shared or browser cache.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMING = "object-src 'none'; base-uri 'none'"
COMMON = f"{FRAMING}; frame-ancestors 'none'"
# the web app: its own scripts and styles only (inline styles for the graph; maps are data: images)
PAGE_CSP = f"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self' data:; script-src 'self'; form-action 'self'; {COMMON}"
# Swagger UI and ReDoc from the package; ReDoc runs a web worker from a blob: URL
DOCS_CSP = f"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; connect-src 'self'; form-action 'none'; {COMMON}"
# JSON, PDF and the self-contained HTML reports: nothing loads, nothing runs
API_CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; {COMMON}"
# a reconciliation preview is shown by OpenRefine in a frame of its own origin: it may be framed, runs nothing
PREVIEW_CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; {FRAMING}"
STATIC_PREFIXES = ("/ui/static/", "/docs/assets/")
HSTS = "max-age=31536000"


def is_reconcile_preview(path: str) -> bool:
    return path.startswith("/reconcile/") and path.endswith("/preview")


def policy_for(path: str) -> str:
    if is_reconcile_preview(path):
        return PREVIEW_CSP
    if path.startswith("/ui"):
        return PAGE_CSP
    if path in ("/docs", "/redoc") or path.startswith("/docs/"):
        return DOCS_CSP
    return API_CSP


def security_headers(path: str, https: bool = False) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": policy_for(path),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not is_reconcile_preview(path):
        headers["X-Frame-Options"] = "DENY"
    if not path.startswith(STATIC_PREFIXES):
        headers["Cache-Control"] = "no-store"
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """ASGI middleware: adds the headers a response does not set itself."""

    def __init__(self, app: ASGIApp, https: bool = False):
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(scope.get("path", ""), self.https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
