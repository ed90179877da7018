"""The fleet map in Debian's chromium (Playwright, never a downloaded browser), under a strict
Content-Security-Policy: every chip drawn, filters, a pin opening its case. Screenshot: docs/images/fleet-map.png."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import make_api
from test_fleet_map import AS_OF, with_fleet

from computewatch.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "images"
STRICT_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="end-to-end tests need Debian's chromium at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, built_workspace: Path) -> Iterator[tuple[str, dict[str, str]]]:
    import uvicorn

    api = make_api(tmp_path, built_workspace, Settings())
    with_fleet(api)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(api.client.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", api.keys
    server.should_exit = True
    thread.join(timeout=10)
    api.db.close()


@pytest.fixture
def page(served):  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def _strict(route) -> None:  # type: ignore[no-untyped-def]
    """Serve the page with a CSP that allows no inline script or style at all."""
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": STRICT_CSP}
    route.fulfill(response=response, headers=headers)


def test_the_fleet_map_in_a_browser(served, page) -> None:  # type: ignore[no-untyped-def]
    base, keys = served
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.route("**/ui/locate**", _strict)
    page.goto(f"{base}/ui/login")
    page.fill("#api_key", keys["analyst"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")

    page.goto(f"{base}/ui/locate?as_of={AS_OF}")
    page.wait_for_selector("#fleet-map circle.pin")
    assert page.locator("#fleet-map circle.pin").count() == 9
    assert page.locator("#fleet-table tbody tr").count() == 9
    # the stylesheet (from the package) colours the pins: a chip where it is declared is green, a moved one red
    fill_ok = page.eval_on_selector('a[data-chip="CHIP-FRA-OK-01"] circle.pin', "e => getComputedStyle(e).fill")
    fill_moved = page.eval_on_selector('a[data-chip="CHIP-KUL-MOVE-02"] circle.pin', "e => getComputedStyle(e).fill")
    assert fill_ok == "rgb(26, 127, 55)" and fill_moved == "rgb(207, 34, 46)"
    assert page.locator('a[data-chip="CHIP-KUL-MOVE-02"] line.to-where').count() == 1
    box = page.locator("#fleet-map").bounding_box()
    assert box and box["width"] > 900 and box["height"] > 200
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "fleet-map.png"), full_page=True)
    assert (DOCS / "fleet-map.png").stat().st_size > 20_000

    page.select_option("#fleet-verdict", "inconsistent")
    with page.expect_navigation():
        page.click("#fleet-filter")
    assert "verdict=inconsistent" in page.url
    assert page.locator("#fleet-table tbody tr").count() == 2 and page.locator("#fleet-map circle.pin").count() == 2

    with page.expect_navigation():
        page.click('a[data-chip="CHIP-KUL-MOVE-02"] circle.pin')
    assert "/ui/cases/" in page.url
    assert "CHIP-KUL-MOVE-02" in page.content() and "moved about" in page.content()
    assert violations == []
