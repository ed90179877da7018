"""Wrong API keys and failed logins are throttled per client address, with a growing wait (429 +
Retry-After), and audited without the wrong key itself; a revoked key stops working."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import Api, make_api
from fastapi.testclient import TestClient

from computewatch.api.throttle import AuthThrottle, client_key
from computewatch.cases.audit import AuditLog
from computewatch.cases.keys import revoke_api_key
from computewatch.settings import Settings

STRICT = Settings(api={"auth_failures_allowed": 3, "auth_backoff_s": 30, "auth_backoff_max_s": 600})
WRONG = "cw_000000000000_not-the-secret-Zq81"


@pytest.fixture
def strict(tmp_path: Path, built_workspace: Path) -> Iterator[Api]:
    api = make_api(tmp_path, built_workspace, STRICT)
    yield api
    api.db.close()


def client_at(api: Api, address: str) -> TestClient:
    return TestClient(api.client.app, client=(address, 40000))


def audit_of(api: Api, action: str) -> list[dict]:  # type: ignore[type-arg]
    import orjson

    with api.db.session() as s:
        return [orjson.loads(r.details) | {"_actor": r.actor} for r in AuditLog(s).recent(10_000) if r.action == action]


def test_wrong_keys_from_one_address_get_429_with_retry_after(strict: Api) -> None:
    attacker = client_at(strict, "203.0.113.7")
    codes = [attacker.get("/cases", headers={"Authorization": f"ApiKey {WRONG}{i}"}).status_code for i in range(5)]
    assert codes == [401, 401, 401, 429, 429]  # the third wrong key starts a wait
    r = attacker.get("/cases", headers={"Authorization": f"ApiKey {WRONG}"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 29
    assert "wrong API keys" in r.json()["detail"]
    # while it waits, even a right key from that address is refused: a guess cannot be tested there
    assert attacker.get("/cases", headers=strict.headers("viewer")).status_code == 429
    # refused before any route runs, whatever the path (a fast path that skips `authenticate` too)
    assert attacker.post("/match/default", json={"queries": {}}, headers=strict.headers("viewer")).status_code == 429
    assert attacker.get("/healthz").status_code == 200  # without a key it is not held up
    # another address is not held up
    assert client_at(strict, "198.51.100.20").get("/cases", headers=strict.headers("viewer")).status_code == 200


def test_failed_logins_count_against_the_same_address(strict: Api) -> None:
    browser = client_at(strict, "203.0.113.8")
    codes = [browser.post("/ui/login", data={"api_key": f"{WRONG}{i}"}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    page = browser.post("/ui/login", data={"api_key": strict.keys["analyst"]}, follow_redirects=False)
    assert page.status_code == 429 and "try again in" in page.text and int(page.headers["retry-after"]) > 0
    assert client_at(strict, "203.0.113.9").post("/ui/login", data={"api_key": strict.keys["analyst"]}, follow_redirects=False).status_code == 303


def test_failures_are_audited_without_the_key(strict: Api) -> None:
    attacker = client_at(strict, "203.0.113.10")
    attacker.get("/cases", headers={"Authorization": f"Bearer {WRONG}"})
    real_id = strict.keys["analyst"].split("_")[1]
    attacker.get("/cases", headers={"Authorization": f"ApiKey cw_{real_id}_guessed-secret-77"})
    attacker.post("/ui/login", data={"api_key": "some-password-pasted-by-mistake"})
    found = audit_of(strict, "auth_failure")
    assert [f["via"] for f in found][::-1] == ["api_key", "api_key", "login"]
    assert all(f["address"] == "203.0.113.10" for f in found)
    reasons = " | ".join(f["reason"] for f in found)
    assert "wrong secret for key 'analyst-key'" in reasons and "unknown key" in reasons
    with strict.db.session() as s:
        everything = " ".join(r.details for r in AuditLog(s).recent(10_000))
    for secret in ("not-the-secret", "guessed-secret-77", "some-password-pasted"):
        assert secret not in everything
    with strict.db.session() as s:
        assert AuditLog(s).verify().intact


def test_a_lockout_is_audited_once_and_waiting_requests_are_not_looked_up(strict: Api) -> None:
    attacker = client_at(strict, "203.0.113.11")
    for i in range(10):
        attacker.get("/cases", headers={"Authorization": f"ApiKey {WRONG}{i}"})
    found = audit_of(strict, "auth_failure")
    assert len(found) == 3  # the three allowed; the refused ones never reach the key lookup
    assert found[0]["throttled_s"] == 30


def test_the_wait_doubles_and_is_capped() -> None:
    throttle = AuthThrottle(allowed=2, backoff_s=1.0, backoff_max_s=8.0, window_s=100.0)
    t, started = 0.0, []
    for _ in range(7):
        assert throttle.wait("a", now=t) == 0
        started.append(throttle.failed("a", now=t))
        last, t = t, t + started[-1] + 0.01  # try again as soon as allowed
    assert started == [0, 1, 2, 4, 8, 8, 8]
    assert throttle.wait("a", now=last + 4) == 4 and throttle.wait("a", now=last + 8.001) == 0
    assert throttle.wait("b", now=last) == 0  # per address
    assert throttle.failed("a", now=last + 1000) == 0  # forgotten after the window without a wrong key


def test_client_addresses_are_grouped_sensibly() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == "unknown"


def test_the_throttle_remembers_a_bounded_number_of_addresses() -> None:
    throttle = AuthThrottle(allowed=1, backoff_s=1.0, backoff_max_s=1.0, window_s=10.0, max_clients=100)
    for i in range(1000):
        throttle.failed(f"10.0.{i // 250}.{i % 250}", now=0.0)
    assert len(throttle) <= 100


def test_a_key_revoked_through_the_api_stops_at_once(api: Api) -> None:
    key = api.post("/keys", role="admin", json={"name": "temp", "role": "viewer"}).json()["key"]
    assert api.client.get("/cases", headers={"Authorization": f"ApiKey {key}"}).status_code == 200
    assert api.client.delete("/keys/temp", headers=api.headers("admin")).status_code == 204
    assert api.client.get("/cases", headers={"Authorization": f"ApiKey {key}"}).status_code == 401


def test_a_key_revoked_from_the_command_line_stops_when_the_cache_expires(api: Api) -> None:
    """`computewatch keys revoke` runs in another process: this server learns of it when its short key cache
    expires (docs/api.md); the web sessions of the key end at once."""
    ctx = api.client.app.state.context
    ctx.key_cache.ttl = 0.3
    key = api.post("/keys", role="admin", json={"name": "cli-temp", "role": "analyst"}).json()["key"]
    headers = {"Authorization": f"ApiKey {key}"}
    assert api.client.get("/cases", headers=headers).status_code == 200
    browser = TestClient(api.client.app)
    assert browser.post("/ui/login", data={"api_key": key}, follow_redirects=False).status_code == 303
    assert browser.get("/ui/", follow_redirects=False).status_code == 200
    with api.db.session() as s:
        revoke_api_key(s, "cli-temp", "cli")
    assert browser.get("/ui/", follow_redirects=False).status_code == 303  # back to the login page
    time.sleep(0.35)
    assert api.client.get("/cases", headers=headers).status_code == 401
