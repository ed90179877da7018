"""Server-rendered pages: login, queue, case (decide), entity graph, tender text escaped, screening, map."""

from __future__ import annotations

import re

from api_fixtures import Api

from computewatch.web.graph import layout
from computewatch.web.highlight import highlight

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _alert(alert_id: str = "a1", subject: str = "s6-kestrel-my") -> dict:  # type: ignore[type-arg]
    return {"id": alert_id, "detector": "reseller", "scenario": "S1", "severity": "high", "score": 0.9, "subjects": [subject],
            "as_of": "2025-12-01", "summary": f"{subject} resells GPU time {EVIL}", "evidence": [{"fact": "7 end users in CN", "source": "access.csv"}]}  # fmt: skip


def login(api: Api, role: str = "analyst") -> None:
    r = api.client.post("/ui/login", data={"api_key": api.keys[role], "next": "/ui/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/"
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


def test_pages_need_a_login(api: Api) -> None:
    r = api.client.get("/ui/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login")
    assert "API key" in api.client.get("/ui/login").text


def test_a_wrong_key_does_not_log_in(api: Api) -> None:
    r = api.client.post("/ui/login", data={"api_key": "cw_nope_nope"})
    assert r.status_code == 401 and "not valid" in r.text
    assert api.client.get("/ui/", follow_redirects=False).status_code == 303


def test_the_queue_lists_open_cases_and_filters(api: Api) -> None:
    api.post("/alerts", json={"alerts": [_alert("a1"), {**_alert("a2", subject="acct-y"), "severity": "low"}]})
    login(api)
    page = api.client.get("/ui/").text
    assert page.count('href="/ui/cases/') >= 4 and "2 cases" in page
    assert EVIL not in page and "&lt;script&gt;" in page
    low = api.client.get("/ui/?severity=low").text
    assert "1 case" in low


def test_an_analyst_decides_a_case_through_the_form(api: Api) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api)
    page = api.client.get(f"/ui/cases/{cid}").text
    assert "7 end users in CN" in page and "Timeline" in page and EVIL not in page
    form = {"csrf": csrf_of(page), "outcome": "true", "reason": "confirmed by KYC"}
    r = api.client.post(f"/ui/cases/{cid}/decide", data=form, follow_redirects=False)
    assert r.status_code == 303
    after = api.client.get(f"/ui/cases/{cid}").text
    assert "Closed as true" in after and "confirmed by KYC" in after
    assert api.get(f"/cases/{cid}").json()["status"] == "closed_true"


def test_a_form_without_the_csrf_token_is_refused(api: Api) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api)
    r = api.client.post(f"/ui/cases/{cid}/decide", data={"csrf": "0" * 64, "outcome": "true", "reason": "x"})
    assert r.status_code == 403 and "expired" in r.text
    assert api.get(f"/cases/{cid}").json()["status"] == "new"


def test_a_viewer_sees_no_decision_form_and_cannot_post_one(api: Api) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api, "viewer")
    page = api.client.get(f"/ui/cases/{cid}").text
    assert "/decide" not in page
    token = csrf_of(api.client.get("/ui/locate").text)  # a form a viewer does have
    r = api.client.post(f"/ui/cases/{cid}/decide", data={"csrf": token, "outcome": "true", "reason": "x"})
    assert r.status_code == 403 and "analyst role" in r.text


def test_the_web_session_cannot_write_through_the_api(api: Api) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api)
    assert api.client.get(f"/cases/{cid}").status_code == 200  # report links read with the cookie
    assert api.client.post(f"/cases/{cid}/decision", json={"outcome": True, "reason": "x"}).status_code == 401


def test_the_entity_page_draws_the_ownership_graph(api: Api) -> None:
    login(api)
    page = api.client.get("/ui/entities/s6-kestrel-my?as_of=2025-12-01").text
    assert 'id="ownership-graph"' in page and "Tianrui Zhisuan" in page and "Harbourline Holdings" in page
    assert "60%" in page and "100.0%" in page
    missing = api.client.get("/ui/entities/nobody").text
    assert "not in the ownership graph" in missing


def test_the_tender_page_escapes_the_notice_and_highlights_evidence(api: Api) -> None:
    notice = f"采购人：青禾云算科技有限公司\n采购内容：租用 NVIDIA H100 SXM GPU 云服务器 64 台\n备注：{EVIL}\n".encode()
    rec = api.post("/tenders?open_case=true", files={"file": ("evil.txt", notice, "text/plain")}).json()
    assert rec["case_id"]
    login(api)
    page = api.client.get(f"/ui/tenders/{rec['case_id']}").text
    assert EVIL not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<mark>" in page and "H100" in page


def test_screening_search_box(api: Api) -> None:
    login(api, "viewer")
    page = api.client.get("/ui/screen?name=Qinghe+Cloud+Computing+Technology+Co+Ltd&country=CN").text
    assert "Qinghe Cloud Computing Technology Co., Ltd." in page and 'class="hit"' in page


def test_location_map_of_the_demo_probes(api: Api) -> None:
    login(api, "viewer")
    page = api.client.get("/ui/locate?demo=true").text
    assert page.count('<img class="map-image"') >= 2 and "NOT consistent" in page
    assert 'src="data:image/svg+xml;base64,' in page  # the map as an image: nothing in it can run


def test_highlight_escapes_everything_but_its_marks() -> None:
    out = str(highlight("buy <b>H100</b> & h100 now", ["H100"]))
    assert out == "buy &lt;b&gt;<mark>H100</mark>&lt;/b&gt; &amp; <mark>h100</mark> now"


def test_graph_layout_puts_owners_above_what_they_own() -> None:
    report = {"entity_id": "e", "entity": {"name": "E"}, "owners": [{"path_details": [{
        "nodes": [{"id": "e", "name": "E"}, {"id": "h", "name": "H"}, {"id": "t", "name": "T", "listed": True}],
        "edges": [{"from": "h", "to": "e", "percentage": 100}, {"from": "t", "to": "h", "percentage": 60}]}]}]}  # fmt: skip
    g = layout(report)
    y = {n.id: n.y for n in g.nodes}
    assert y["t"] < y["h"] < y["e"]
    assert {(e.source, e.target, e.label) for e in g.edges} == {("h", "e", "100%"), ("t", "h", "60%")}
    assert next(n for n in g.nodes if n.id == "t").listed


def test_a_huge_or_unknown_case_number_is_a_page_not_a_crash(api: Api) -> None:
    login(api)
    assert api.client.get("/ui/cases/99999").status_code == 404
    assert api.client.get(f"/ui/cases/{2**70}").status_code == 422


def _listed_alert() -> dict:  # type: ignore[type-arg]
    match = {"party": "acc-tamarind", "entity_id": "fic-tamarind", "party_hash": "p1", "entry_hash": "e1",
             "party_name": "Tamarind Consulting Pte. Ltd.", "caption": "Tamarind Consulting Limited", "dataset": "fictional_list"}  # fmt: skip
    return {"id": "party-listed-1", "detector": "party-listed", "scenario": "S9", "severity": "critical", "score": 0.95,
            "subjects": ["acc-tamarind", "fic-tamarind"], "as_of": "2026-11-25", "summary": "Tamarind matches a listed name",
            "evidence": [{"fact": "screening match 0.95", "source": "fictional_list: list.jsonl"}], "list_matches": [match]}  # fmt: skip


def test_a_false_positive_is_listed_as_a_suppression_and_lifted_with_a_reason(api: Api) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_listed_alert()]}).json()["created"]
    login(api)
    csrf = csrf_of(api.client.get(f"/ui/cases/{cid}").text)
    form = {"csrf": csrf, "outcome": "false", "reason": "Namesake registered in AE"}
    assert api.client.post(f"/ui/cases/{cid}/decide", data=form, follow_redirects=False).status_code == 303
    case_page = api.client.get(f"/ui/cases/{cid}").text
    assert "Tamarind Consulting Limited" in case_page and "suppressed" in case_page and "/lift" in case_page
    page = api.client.get("/ui/suppressions").text
    found = re.search(r'action="/ui/suppressions/(\d+)/lift"', page)
    assert found and "Namesake registered in AE" in page and "in force" in page
    refused = api.client.post(f"/ui/suppressions/{found.group(1)}/lift", data={"csrf": csrf, "reason": ""}, follow_redirects=False)
    assert refused.status_code == 422  # a lift needs a reason
    lifted = api.client.post(f"/ui/suppressions/{found.group(1)}/lift", data={"csrf": csrf, "reason": "KYC refresh"}, follow_redirects=True)
    assert lifted.status_code == 200
    active = api.client.get("/ui/suppressions").text  # the ones in force, by default
    assert "0 suppressions in force" in active and "data-suppression=" not in active
    everything = api.client.get("/ui/suppressions?all=true").text
    assert "lifted" in everything and "KYC refresh" in everything
