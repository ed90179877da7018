"""End to end in Debian's chromium (Playwright; never a downloaded browser): log in, open an alert, view the
ownership graph, decide the case, export a report. Screenshots of the main pages go to docs/images/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import make_api
from ui_server import live_server

from computewatch.cases.demo import bundled_alerts
from computewatch.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "images"
DEMO_NOTICE = Path(__file__).resolve().parents[2] / "src/computewatch/data/demo/tenders/s1_cloud_gpu_reseller.html"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="end-to-end tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture
def served(tmp_path: Path, built_workspace: Path) -> Iterator[tuple[str, dict[str, str]]]:
    api = make_api(tmp_path, built_workspace, Settings())
    api.post("/alerts", json={"alerts": bundled_alerts()})
    api.post("/tenders?open_case=true", files={"file": (DEMO_NOTICE.name, DEMO_NOTICE.read_bytes(), "text/html")})
    with live_server(api.client.app) as base:  # fails the test when the server does not start
        yield base, api.keys
    api.db.close()


@pytest.fixture
def page(served):  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)
    assert (DOCS / f"{name}.png").stat().st_size > 5000


def log_in(page, base: str, key: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/ui/login")
    page.fill("#api_key", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")


def test_an_analyst_works_an_alert_from_login_to_report(served, page) -> None:  # type: ignore[no-untyped-def]
    base, keys = served
    page.goto(f"{base}/ui/")
    assert "/ui/login" in page.url
    shot(page, "login")
    page.fill("#api_key", keys["analyst"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")
    assert page.locator("table.cases tbody tr").count() == 4
    shot(page, "queue")

    page.click("text=Kestrel Compute Sdn. Bhd. (MY) took over")
    assert page.locator("#case-title").inner_text().startswith("Kestrel Compute Sdn. Bhd.")
    assert page.locator("ol.evidence li").count() == 3
    shot(page, "case")

    page.click("a.entity-link >> nth=0")
    page.wait_for_selector("#ownership-graph")
    assert page.locator("#ownership-graph g.node").count() >= 3
    assert page.locator("#ownership-graph g.node.listed").count() >= 1
    shot(page, "entity-graph")
    page.go_back()

    page.check("input[name=outcome][value=true]")
    page.fill("#reason", "Lease moved to a successor owned 60% by a listed party; the Affiliates rule applies.")
    page.click("form.decide button[type=submit]")
    page.wait_for_selector("text=Closed as true")
    assert "closed as true" in page.locator("#case-status").inner_text()
    assert "decide" in page.locator("ol.timeline").inner_text()
    shot(page, "case-decided")

    with page.expect_navigation():
        page.click("#report-html")
    assert "Decision history" in page.content() and "Closed as true" in page.content()
    shot(page, "report")
    pdf = page.request.get(f"{base}{page.url.split(base)[1].replace('format=html', 'format=pdf')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_tender_map_and_screening_pages(served, page) -> None:  # type: ignore[no-untyped-def]
    base, keys = served
    log_in(page, base, keys["viewer"])
    page.goto(f"{base}/ui/?kind=tender")
    page.click("table.cases tbody tr >> nth=0 >> a >> nth=1")
    page.click("text=Open the notice text")
    page.wait_for_selector("#notice-text mark")
    assert page.locator("#notice-text mark").count() >= 1
    assert page.locator("#notice-text script").count() == 0
    shot(page, "tender")

    page.goto(f"{base}/ui/screen")
    page.fill("#screen-name", "Qinghe Cloud Computing Technology Co Ltd")
    page.press("#screen-name", "Enter")
    page.wait_for_selector("#screen-results tr.hit")
    shot(page, "screening")

    page.goto(f"{base}/ui/locate?demo=true")
    page.wait_for_selector("img.map-image")
    assert page.locator("img.map-image").count() >= 2
    assert page.evaluate("Array.from(document.querySelectorAll('img.map-image')).every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "map")


def _queue_rows(page) -> dict[int, dict[str, str]]:  # type: ignore[no-untyped-def]
    rows = page.locator("table.cases tbody tr[data-case]")
    return {
        int(rows.nth(i).get_attribute("data-case")): {
            "assignee": rows.nth(i).locator("td.assignee").inner_text(),
            "age": rows.nth(i).locator("td.age time").get_attribute("datetime"),
        }
        for i in range(rows.count())
    }


def test_bulk_assign_bulk_close_and_sort_by_age(served, page) -> None:  # type: ignore[no-untyped-def]
    base, keys = served
    log_in(page, base, keys["analyst"])
    before = _queue_rows(page)
    assert len(before) == 4
    first, second, third = sorted(before)[:3]

    # bulk assign two of the four
    page.check(f"input[name=case_id][value='{first}']")
    page.check(f"input[name=case_id][value='{second}']")
    page.fill("#bulk-assignee", "j.okafor")
    with page.expect_navigation():
        page.click("#bulk-assign")
    assert f"Assigned 2 cases ({first}, {second})" in page.locator("#bulk-result").inner_text()
    after = _queue_rows(page)
    assert after[first]["assignee"] == after[second]["assignee"] == "j.okafor"
    assert after[third]["assignee"] != "j.okafor"

    # closing without a reason is refused and changes nothing
    page.check(f"input[name=case_id][value='{first}']")
    with page.expect_navigation() as refused:
        page.click("#bulk-close")
    assert refused.value.status == 422
    assert "a decision needs a reason" in page.locator("p.error").inner_text()
    page.goto(f"{base}/ui/")
    assert set(_queue_rows(page)) == set(before)

    # bulk close two with one reason: they leave the open queue, the others stay
    page.check(f"input[name=case_id][value='{first}']")
    page.check(f"input[name=case_id][value='{third}']")
    page.select_option("#bulk-outcome", "false")
    page.fill("#bulk-reason", "Namesakes: registration numbers and addresses differ from the listed entries.")
    shot(page, "queue-bulk")
    with page.expect_navigation():
        page.click("#bulk-close")
    assert f"Closed 2 cases ({first}, {third})" in page.locator("#bulk-result").inner_text()
    assert set(_queue_rows(page)) == set(before) - {first, third}

    # sort by age: oldest first
    page.goto(f"{base}/ui/?all=true")
    page.click("#sort-age")
    opened = [r["age"] for r in _queue_rows(page).values()]
    assert opened == sorted(opened) and len(opened) == 4
    page.goto(f"{base}/ui/cases/{first}")
    assert "Namesakes: registration numbers" in page.locator("ol.timeline").inner_text()


def test_a_viewer_gets_no_bulk_actions(served, page) -> None:  # type: ignore[no-untyped-def]
    base, keys = served
    log_in(page, base, keys["viewer"])
    assert page.locator("table.cases tbody tr[data-case]").count() == 4
    assert page.locator("#bulk").count() == 0 and page.locator("input[name=case_id]").count() == 0
