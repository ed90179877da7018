"""Security headers on every response (pages, API, reports, errors), no-store on what needs a login,
and the API docs served from the package, with no CDN."""

from __future__ import annotations

import re

import pytest
from api_fixtures import Api
from api_helpers import alert
from fastapi.testclient import TestClient


def check_headers(r, no_store: bool = True) -> None:  # type: ignore[no-untyped-def]
    csp = r.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (r.request.url, r.status_code, dict(r.headers))
    assert r.headers.get("x-frame-options") == "DENY"
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert r.headers.get("referrer-policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    if no_store:
        assert "no-store" in r.headers.get("cache-control", ""), (r.request.url, dict(r.headers))


def _login(api: Api) -> None:
    assert api.client.post("/ui/login", data={"api_key": api.keys["analyst"]}, follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/healthz", 200), ("get", "/cases", 200), ("get", "/alerts", 200), ("get", "/cases/1", 200),
        ("get", "/cases/1/report?format=html", 200), ("get", "/cases/1/report?format=pdf", 200),
        ("get", "/cases/999", 404), ("get", "/cases/abc", 422), ("get", "/no-such-route", 404),
        ("get", "/openapi.json", 200), ("get", "/docs", 200), ("get", "/redoc", 200),
        ("post", "/match/default", 422), ("get", "/", 303),
    ],
)  # fmt: skip
def test_api_responses_carry_the_headers(api: Api, method: str, url: str, status: int) -> None:
    api.post("/alerts", json={"alerts": [alert()]})
    r = getattr(api.client, method)(url, headers=api.headers("analyst"), follow_redirects=False)
    assert r.status_code == status
    check_headers(r)


def test_refusals_carry_the_headers(api: Api) -> None:
    check_headers(api.client.get("/cases"))  # 401
    check_headers(api.get("/audit", role="viewer"))  # 403


@pytest.mark.parametrize("url", ["/ui/", "/ui/cases/1", "/ui/tenders", "/ui/screen", "/ui/locate", "/ui/entities/s6-kestrel-my", "/ui/cases/77"])
def test_web_pages_carry_the_headers(api: Api, url: str) -> None:
    api.post("/alerts", json={"alerts": [alert()]})
    _login(api)
    r = api.client.get(url)
    check_headers(r)
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_the_login_page_and_static_files_carry_the_headers(api: Api) -> None:
    check_headers(api.client.get("/ui/login"))
    css = api.client.get("/ui/static/style.css")
    assert css.status_code == 200
    check_headers(css, no_store=False)


def test_an_unexpected_error_is_short_and_carries_the_headers(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from computewatch.cases import store

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"boom in {api.home}")

    monkeypatch.setattr(store.CaseStore, "find", broken)
    client = TestClient(api.client.app, raise_server_exceptions=False)
    r = client.get("/cases", headers=api.headers("viewer"))
    assert r.status_code == 500
    check_headers(r)
    assert str(api.home) not in r.text and "boom" not in r.text and len(r.content) < 300


def test_a_report_cannot_run_scripts(api: Api) -> None:
    api.post("/alerts", json={"alerts": [alert()]})
    csp = api.get("/cases/1/report?format=html").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp.replace("default-src 'none'", "")


def test_https_deployments_get_strict_transport_security(tmp_path, built_workspace) -> None:  # type: ignore[no-untyped-def]
    from api_fixtures import make_api

    from computewatch.settings import Settings

    secure = make_api(tmp_path, built_workspace, Settings(api={"secure_cookies": True}))
    assert "max-age=" in secure.client.get("/healthz").headers["strict-transport-security"]
    secure.db.close()


def test_the_api_docs_load_nothing_from_elsewhere(api: Api) -> None:
    for page in ("/docs", "/redoc"):
        html = api.client.get(page).text
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis" not in html and "unpkg" not in html
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        assert "<script>" not in html  # no inline script: the CSP allows only the package's files
        for src in sources:
            asset = api.client.get(src)
            assert asset.status_code == 200 and len(asset.content) > 20, src
    bundle = api.client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
