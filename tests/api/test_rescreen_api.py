"""POST /rescreen: an admin re-screens the workspace; new alerts come back and become cases."""

from __future__ import annotations

import json
from pathlib import Path

from api_fixtures import Api

from computewatch.sources.lists import read_list
from computewatch.workspace import Workspace

# A fictional list update naming the S6 demo's Malaysian operator under another form of its name.
UPDATE = {"id": "fic-kestrel", "schema": "Company", "datasets": ["fictional_list"],
          "properties": {"name": ["Kestrel Compute Sdn Bhd"], "country": ["my"]}}  # fmt: skip


def test_only_an_admin_may_rescreen(api: Api) -> None:
    r = api.post("/rescreen", role="analyst", json={})
    assert r.status_code == 403 and "admin" in r.json()["detail"]


def test_a_bad_body_is_a_422_naming_the_field(api: Api) -> None:
    r = api.post("/rescreen", role="admin", json={"as_of": "25/11/2026"})
    assert r.status_code == 422
    assert "as_of" in json.dumps(r.json())


def test_a_list_update_comes_back_as_new_alerts_and_cases(api: Api, tmp_path: Path) -> None:
    base = api.post("/rescreen", role="admin", json={"as_of": "2026-11-25", "detectors": False})
    assert base.status_code == 200, base.text
    assert base.json()["first_run"] and base.json()["parties"] > 0
    quiet = api.post("/rescreen", role="admin", json={"as_of": "2026-11-25", "detectors": False}).json()
    assert quiet["alerts"] == [] and not quiet["first_run"]

    path = tmp_path / "update.jsonl"
    original = Path(__file__).resolve().parents[1] / "fixtures/lists/fictional.ftm.jsonl"
    path.write_text(original.read_text(encoding="utf-8") + json.dumps(UPDATE) + "\n", encoding="utf-8")
    with Workspace(api.home) as ws:
        fmt, records = read_list(path)
        ws.load_list("fictional_list", records, path, fmt)

    r = api.post("/rescreen", role="admin", json={"as_of": "2026-11-25", "detectors": False})
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["list_changes"] and "+1 added" in body["list_changes"][0]
    matched = [a for a in body["alerts"] if a["detector"] == "rescreen-list-match"]
    # the Malaysian company and its Singapore predecessor both carry the name (country only weighs the score)
    assert {tuple(a["subjects"]) for a in matched} == {("s6-kestrel-my", "fic-kestrel"), ("s6-kestrel-sg", "fic-kestrel")}
    # the affiliate alert joins the open case the baseline opened on s6-kestrel-my (one open case per subject)
    assert len(body["cases_created"]) + len(body["cases_joined"]) == len(body["alerts"]) > 0
    case = api.get(f"/cases/{body['cases_created'][0]}").json()
    assert case["scenario"] == "S9"
