"""In Debian's chromium (Playwright; never a downloaded browser): another site cannot post the login form
(login CSRF), and the API docs render under their Content-Security-Policy with nothing fetched from
elsewhere."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import Api, make_api

from computewatch.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="end-to-end tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, built_workspace: Path) -> Iterator[tuple[str, Api]]:
    import uvicorn

    api = make_api(tmp_path, built_workspace, Settings())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(api.client.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", api
    server.should_exit = True
    thread.join(timeout=10)
    api.db.close()


@pytest.fixture
def attacker_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Another origin on this machine (another port) serving whatever page a test writes."""
    root = tmp_path / "evil"
    root.mkdir()
    port = _free_port()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", root
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


def test_another_site_cannot_log_the_browser_in(served, attacker_site, browser) -> None:  # type: ignore[no-untyped-def]
    base, api = served
    evil, root = attacker_site
    (root / "index.html").write_text(f"""<!doctype html><html><body>
<form id="f" method="post" action="{base}/ui/login">
<input name="api_key" value="{api.keys['analyst']}"><input name="next" value="/ui/"></form>
<script>document.getElementById('f').submit()</script></body></html>""")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{evil}/index.html")
    page.wait_for_url(lambda url: url.startswith(base))
    page.wait_for_load_state()
    assert page.url == f"{base}/ui/login" and "another site" in page.content()  # the 403 page, no redirect in
    assert not [c for c in context.cookies() if c["name"] == "cw_session"]
    page.goto(f"{base}/ui/")
    assert "/ui/login" in page.url  # not logged in as the attacker's key
    # the site's own login form still works in the same browser
    page.fill("#api_key", api.keys["analyst"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")
    context.close()


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_the_api_docs_render_under_their_policy_from_local_files(served, browser, path: str, rendered: str) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)


    def outside(route) -> None:  # type: ignore[no-untyped-def]
        elsewhere.append(route.request.url)
        route.abort()

    # a request the policy lets through reaches the network layer, where this records and stops it
    context.route(lambda url: not url.startswith((base, "data:", "blob:")), outside)
    page.goto(f"{base}{path}")
    page.wait_for_selector(rendered, timeout=30_000)
    assert page.locator(rendered).count() >= 10
    assert "computewatch" in page.title()
    # ReDoc's footer asks for its logo from its makers' CDN: the policy blocks that, and nothing else is blocked
    blocked = [p for p in problems if "Content Security Policy" in p and "cdn.redoc.ly/redoc/logo-mini.svg" not in p]
    assert not blocked, problems
    assert not elsewhere, elsewhere  # no request left this machine
    context.close()
