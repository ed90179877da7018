"""Nothing but the health check answers without a valid key; roles limit what a key may do; keys are rate-limited."""

from __future__ import annotations

import pytest
from api_fixtures import Api, make_api

from computewatch.api.ratelimit import RateLimiter
from computewatch.settings import Settings

PROTECTED = [
    ("get", "/cases"), ("get", "/alerts"), ("get", "/cases/1"), ("get", "/entities/s6-kestrel-my"),
    ("get", "/classify?chip=H100-SXM"), ("post", "/screen"), ("post", "/match/default"), ("post", "/tenders"),
    ("get", "/audit/verify"), ("post", "/keys"), ("get", "/cases/1/report"), ("post", "/rescreen"),
]  # fmt: skip


def test_health_needs_no_credentials(api: Api) -> None:
    r = api.client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_every_other_endpoint_refuses_a_call_without_credentials(api: Api, method: str, url: str) -> None:
    r = getattr(api.client, method)(url)
    assert r.status_code == 401
    assert "missing credentials" in r.json()["detail"]
    assert "ApiKey" in r.headers["www-authenticate"]


@pytest.mark.parametrize("header", ["ApiKey cw_000000000000_nope", "Bearer not-a-key", "Basic dXNlcjpwYXNz", "ApiKey "])
def test_wrong_or_malformed_credentials_get_401_with_a_message(api: Api, header: str) -> None:
    r = api.client.get("/cases", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["detail"] in ("unknown or revoked API key", "malformed Authorization header: use 'ApiKey KEY' or 'Bearer KEY'")


@pytest.mark.parametrize("scheme", ["ApiKey", "Bearer", "apikey", "bearer"])
def test_both_header_schemes_work(api: Api, scheme: str) -> None:
    assert api.client.get("/cases", headers=api.headers("viewer", scheme)).status_code == 200


def test_a_viewer_reads_but_may_not_change(api: Api) -> None:
    assert api.get("/cases").status_code == 200
    r = api.post("/alerts", role="viewer", json={"alerts": []})
    assert r.status_code == 403
    assert r.json()["detail"] == "this needs the analyst role; the key 'viewer-key' is viewer"


def test_only_an_admin_reads_the_audit_log_and_makes_keys(api: Api) -> None:
    assert api.get("/audit/verify", role="analyst").status_code == 403
    assert api.post("/keys", role="analyst", json={"name": "x", "role": "viewer"}).status_code == 403
    assert api.get("/audit/verify", role="admin").status_code == 200


def test_a_revoked_key_is_refused(api: Api) -> None:
    r = api.post("/keys", role="admin", json={"name": "temp", "role": "viewer"})
    assert r.status_code == 201
    key = r.json()["key"]
    assert api.client.get("/cases", headers={"Authorization": f"ApiKey {key}"}).status_code == 200
    assert api.client.delete("/keys/temp", headers=api.headers("admin")).status_code == 204
    assert api.client.get("/cases", headers={"Authorization": f"ApiKey {key}"}).status_code == 401


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(tmp_path, built_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(api={"rate_limit_per_minute": 3, "rate_limit_burst": 3})
    api = make_api(tmp_path, built_workspace, settings)
    codes = [api.get("/cases").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = api.get("/cases")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "rate limit exceeded" in r.json()["detail"]
    assert api.get("/cases", role="analyst").status_code == 200  # another key has its own budget
    api.db.close()


def test_a_key_may_carry_its_own_rate_limit(api: Api) -> None:
    key = api.post("/keys", role="admin", json={"name": "slow", "role": "viewer", "rate_limit_per_minute": 1}).json()["key"]
    headers = {"Authorization": f"Bearer {key}"}
    assert [api.client.get("/cases", headers=headers).status_code for _ in range(2)] == [200, 429]


def test_the_token_bucket_refills_over_time() -> None:
    limiter = RateLimiter(burst=2)
    assert [limiter.take("k", 60, now=0.0) for _ in range(3)] == [0, 0, 1]
    assert limiter.take("k", 60, now=1.0) == 0
    assert limiter.take("k", 60, now=1.0) == 1


def test_a_workspace_held_by_another_process_is_503_not_a_crash(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    from computewatch.api.context import ApiContext

    def busy(self):  # type: ignore[no-untyped-def]
        raise duckdb.IOException("Could not set lock on file")

    monkeypatch.setattr(ApiContext, "open_workspace", busy)
    r = api.get("/entities/s6-kestrel-my")
    assert r.status_code == 503 and "busy" in r.json()["detail"] and r.headers["retry-after"] == "5"
