"""Form posts of the web app are refused when the browser says they come from another site (Origin, or
Referer when there is no Origin), the login form included; the site's own forms keep working."""

from __future__ import annotations

import pytest
from api_fixtures import Api, make_api
from test_pages import _alert, csrf_of, login

from computewatch.settings import Settings

SELF = "http://testserver"


def _decide(api: Api, cid: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(api.client.get(f"/ui/cases/{cid}").text)
    form = {"csrf": token, "outcome": "true", "reason": "confirmed"}
    return api.client.post(f"/ui/cases/{cid}/decide", data=form, headers=headers, follow_redirects=False)


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"Origin": "http://testserver.evil.example"},
     {"Referer": "https://evil.example/page"}, {"Origin": "http://testserver:8443"}],
)  # fmt: skip
def test_a_form_posted_from_another_origin_is_refused(api: Api, headers: dict[str, str]) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api)
    r = _decide(api, cid, headers)
    assert r.status_code == 403 and "another site" in r.text
    assert api.get(f"/cases/{cid}").json()["status"] == "new"


@pytest.mark.parametrize("headers", [{"Origin": SELF}, {"Referer": f"{SELF}/ui/cases/1"}, {}])
def test_the_sites_own_forms_and_non_browser_clients_pass(api: Api, headers: dict[str, str]) -> None:
    [cid] = api.post("/alerts", json={"alerts": [_alert()]}).json()["created"]
    login(api)
    assert _decide(api, cid, headers).status_code == 303
    assert api.get(f"/cases/{cid}").json()["status"] == "closed_true"


def test_the_login_form_cannot_be_posted_from_another_site(api: Api) -> None:
    """Login CSRF: another site must not log a victim's browser in with the attacker's key."""
    r = api.client.post("/ui/login", data={"api_key": api.keys["analyst"]}, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403 and "set-cookie" not in r.headers
    ok = api.client.post("/ui/login", data={"api_key": api.keys["analyst"]}, headers={"Origin": SELF}, follow_redirects=False)
    assert ok.status_code == 303


def test_logout_and_uploads_are_checked_too(api: Api) -> None:
    login(api)
    assert api.client.post("/ui/logout", headers={"Origin": "https://evil.example"}, follow_redirects=False).status_code == 403
    assert api.client.get("/ui/", follow_redirects=False).status_code == 200  # still logged in
    token = csrf_of(api.client.get("/ui/tenders").text)
    r = api.client.post("/ui/tenders", data={"csrf": token}, files={"file": ("n.txt", b"x", "text/plain")}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_an_extra_origin_may_be_allowed_for_a_proxy(tmp_path, built_workspace) -> None:  # type: ignore[no-untyped-def]
    api = make_api(tmp_path, built_workspace, Settings(api={"allowed_origins": ["https://watch.example.org"]}))
    r = api.client.post("/ui/login", data={"api_key": api.keys["analyst"]}, headers={"Origin": "https://watch.example.org"}, follow_redirects=False)
    assert r.status_code == 303
    r = api.client.post("/ui/login", data={"api_key": api.keys["analyst"]}, headers={"Origin": "https://other.example.org"}, follow_redirects=False)
    assert r.status_code == 403
    api.db.close()


def test_the_api_is_not_affected(api: Api) -> None:
    r = api.client.post("/alerts", json={"alerts": [_alert()]}, headers={**api.headers("analyst"), "Origin": "https://tool.example"})
    assert r.status_code == 200
