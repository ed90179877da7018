"""Entities with their ownership paths; tender upload (and a case when flagged)."""

from __future__ import annotations

from api_fixtures import Api
from api_helpers import alert

S1_NOTICE = """公开招标公告
项目名称：智算中心GPU云服务租赁项目
采购人：青禾云算科技有限公司
采购内容：租用 NVIDIA H100 SXM 80GB GPU 云服务器 64 台，服务期 12 个月
预算金额：人民币 1,200,000 元
"""


def test_an_entity_comes_with_its_owners_paths_and_cases(api: Api) -> None:
    api.post("/alerts", json={"alerts": [alert("a1", subject="s6-kestrel-my")]})
    r = api.get("/entities/s6-kestrel-my?as_of=2025-12-01")
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["entity_id"] == "s6-kestrel-my" and rep["restricted_ownership_pct"] == 100.0
    tianrui = next(o for o in rep["owners"] if o["entity_id"] == "s6-tianrui")
    assert tianrui["paths"] == [["s6-kestrel-my", "s6-harbourline", "s6-tianrui"]] and tianrui["listed"] is True
    assert [c["subjects"] for c in rep["cases"]] == [["s6-kestrel-my"]]


def test_an_unknown_entity_is_404(api: Api) -> None:
    r = api.get("/entities/nobody-here")
    assert r.status_code == 404 and "unknown entity" in r.json()["detail"]


def test_a_tender_upload_is_scanned_and_a_flagged_one_opens_a_case(api: Api) -> None:
    files = {"file": ("s1.txt", S1_NOTICE.encode("utf-8"), "text/plain")}
    r = api.post("/tenders?open_case=true", files=files)
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["flagged"] is True and any("H100" in (i.get("chip") or "") for i in rec["items"])
    assert rec["case_id"] is not None
    case = api.get(f"/cases/{rec['case_id']}").json()
    assert case["kind"] == "tender" and case["evidence"]
    again = api.post("/tenders?open_case=true", files=files).json()
    assert again["case_id"] == rec["case_id"]


def test_a_viewer_may_scan_but_not_open_a_case(api: Api) -> None:
    files = {"file": ("s1.txt", S1_NOTICE.encode("utf-8"), "text/plain")}
    assert api.post("/tenders", role="viewer", files=files).status_code == 200
    r = api.post("/tenders?open_case=true", role="viewer", files=files)
    assert r.status_code == 403 and "analyst" in r.json()["detail"]


def test_bad_uploads_are_refused_with_a_message(api: Api) -> None:
    r = api.post("/tenders", files={"file": ("x.exe", b"MZ...", "application/octet-stream")})
    assert r.status_code == 422 and ".html" in r.json()["message"]
    r = api.post("/tenders", files={"file": ("x.txt", b"", "text/plain")})
    assert r.status_code == 422 and "empty" in r.json()["message"] and r.json()["detail"][0]["msg"]
    r = api.post("/tenders")
    assert r.status_code == 422 and "file" in r.json()["message"]


def test_an_upload_over_the_limit_is_413(tmp_path, built_workspace) -> None:  # type: ignore[no-untyped-def]
    from api_fixtures import make_api

    from computewatch.settings import Settings

    small = make_api(tmp_path, built_workspace, Settings(api={"max_upload_bytes": 100}))
    r = small.post("/tenders", files={"file": ("big.txt", b"x" * 101, "text/plain")})
    assert r.status_code == 413 and "limit is 100" in r.json()["detail"]
    small.db.close()
