"""The map page shows the fleet: every chip's last verdict, filtered by site, country and verdict, linked to its case."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from api_fixtures import Api
from test_pages import login

from computewatch.detectors.runner import run_detectors
from computewatch.settings.detectors import DetectorSettings
from computewatch.sources.probes_table import load_probes
from computewatch.workspace import Workspace

FLEET = Path(__file__).resolve().parents[1] / "fixtures" / "locate" / "fleet.csv"
AS_OF = "2026-10-31"


def with_fleet(api: Api, open_cases: bool = True) -> None:
    """The fixture fleet in the app's workspace, and (by default) its chip-location alerts as cases."""
    with Workspace(api.home) as ws:
        load_probes(ws, [FLEET])
        alerts = run_detectors(ws, date.fromisoformat(AS_OF), "duckdb", DetectorSettings(), record=False).records()
    if open_cases:
        assert api.post("/alerts", json={"alerts": [a for a in alerts if a["scenario"] == "S8"]}).status_code == 200


def table_chips(html: str) -> list[str]:
    return re.findall(r'<tr data-chip="([^"]+)"', html)


def test_every_chip_is_on_the_map_with_its_last_verdict_and_its_case(api: Api) -> None:
    with_fleet(api)
    login(api, "viewer")
    r = api.client.get(f"/ui/locate?as_of={AS_OF}")
    page = r.text
    assert r.status_code == 200 and 'id="fleet-map"' in page
    assert len(table_chips(page)) == 9 and page.count('class="chip-link"') == 9
    moved = re.search(r'<a href="(/ui/cases/\d+)" class="chip-link" data-chip="CHIP-KUL-MOVE-02">(.*?)</a>', page, re.S)
    assert moved and 'class="pin v-inconsistent moved"' in moved.group(2) and 'class="to-where"' in moved.group(2)
    assert api.client.get(moved.group(1)).status_code == 200  # the case page of that chip
    ok = re.search(r'<a href="([^"]+)" class="chip-link" data-chip="CHIP-FRA-OK-01">(.*?)</a>', page, re.S)
    assert ok and ok.group(1) == "/ui/locate/chips/CHIP-FRA-OK-01" and "v-consistent" in ok.group(2)  # no case: its chip page
    stale = re.search(r'data-chip="CHIP-SIN-STALE-04">(.*?)</a>', page, re.S)
    assert stale and "silent" in stale.group(1)
    # the liar is outvoted: the three Singapore chips are consistent, with BKK named as suspect
    row = re.search(r'<tr data-chip="CHIP-SIN-05">(.*?)</tr>', page, re.S)
    assert row and "v-consistent" in row.group(1) and "suspect landmarks: BKK" in row.group(1)


def test_filters_by_site_country_and_verdict(api: Api) -> None:
    with_fleet(api, open_cases=False)
    login(api, "viewer")
    by_site = table_chips(api.client.get(f"/ui/locate?as_of={AS_OF}&site=KUL-DC-2").text)
    assert by_site == ["CHIP-KUL-COLLUDE-08", "CHIP-KUL-MOVE-02"]
    by_country = table_chips(api.client.get(f"/ui/locate?as_of={AS_OF}&country=US").text)
    assert by_country == ["CHIP-DAL-REPLAY-03", "CHIP-DAL-UNSIGNED-09"]
    bad = table_chips(api.client.get(f"/ui/locate?as_of={AS_OF}&verdict=inconsistent").text)
    assert bad == ["CHIP-KUL-COLLUDE-08", "CHIP-KUL-MOVE-02"]
    assert table_chips(api.client.get(f"/ui/locate?as_of={AS_OF}&verdict=silent").text) == ["CHIP-SIN-STALE-04"]
    assert table_chips(api.client.get(f"/ui/locate?as_of={AS_OF}&verdict=moved").text) == ["CHIP-KUL-MOVE-02"]
    both = api.client.get(f"/ui/locate?as_of={AS_OF}&site=SIN-DC-4&verdict=inconsistent").text
    assert table_chips(both) == [] and "No chip matches" in both and both.count('class="chip-link"') == 0


def test_a_fleet_that_stopped_reporting_links_to_its_last_day(api: Api) -> None:
    with_fleet(api, open_cases=False)
    login(api, "viewer")
    later = api.client.get("/ui/locate?as_of=2026-12-31").text
    assert 'id="fleet-newest"' in later and 'href="/ui/locate?as_of=2026-10-31"' in later
    rows = re.findall(r'<tr data-chip="[^"]+">(.*?)</tr>', later, re.S)
    assert len(rows) == 9 and all("silent for" in r for r in rows)  # every chip, as of that day
    assert 'id="fleet-newest"' not in api.client.get(f"/ui/locate?as_of={AS_OF}").text


def test_the_map_page_without_probes_says_how_to_load_them(api: Api) -> None:
    login(api, "viewer")
    page = api.client.get("/ui/locate").text
    assert "computewatch ingest probes FILE" in page and 'id="fleet-map"' not in page


def test_a_chip_page_shows_its_rounds_and_latest_map(api: Api) -> None:
    with_fleet(api)
    login(api, "viewer")
    page = api.client.get(f"/ui/locate/chips/CHIP-KUL-MOVE-02?as_of={AS_OF}").text
    assert 'id="chip-verdict">inconsistent' in page and 'id="chip-case"' in page
    assert 'src="data:image/svg+xml;base64,' in page and "the chip must be in: CN" in page
    assert "moved about" in page
    assert api.client.get(f"/ui/locate/chips/NO-SUCH-CHIP?as_of={AS_OF}").status_code == 404


def test_the_fleet_page_has_no_inline_script_or_style(api: Api) -> None:
    """It must work under a strict Content-Security-Policy: the stylesheet is served from the package."""
    with_fleet(api, open_cases=False)
    login(api, "viewer")
    page = api.client.get(f"/ui/locate?as_of={AS_OF}").text
    assert "<script" not in page and "<style" not in page and " style=" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "svg.fleet" in api.client.get("/ui/static/style.css").text
