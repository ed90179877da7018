"""The API-key cache (computewatch.api.context.KeyCache, computewatch.api.auth): requests waiting on a key
not in the cache share one database lookup; a key in steady use is renewed in the background before its
entry lapses, so that no request waits for the database then; and a key revoked in the database (as
`computewatch keys revoke` does, with no word to the server) still stops working within the cache's expiry."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from api_fixtures import Api, make_api
from sqlalchemy import event

from computewatch.api.context import KeyCache
from computewatch.cases.keys import create_api_key, revoke_api_key
from computewatch.settings import Settings

TTL = 1.0  # short, so that the tests see entries lapse


class KeyLookups:
    """Counts the database's key lookups (the SELECT of one key by its id), optionally making each slow."""

    def __init__(self, api: Api, delay_s: float = 0.0):
        self.count = 0
        self.delay_s = delay_s
        event.listen(api.db.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "api_keys.key_id =" in statement:
            self.count += 1
            time.sleep(self.delay_s)


@pytest.fixture
def api(tmp_path: Path, built_workspace: Path) -> Iterator[Api]:
    made = make_api(tmp_path, built_workspace, Settings())
    made.client.app.state.context.key_cache = KeyCache(ttl=TTL)  # type: ignore[attr-defined]
    with made.client:  # one event loop for every request: the background renewals run on it
        yield made
    made.db.close()


def new_key(api: Api, name: str) -> str:
    with api.db.session() as session:
        return create_api_key(session, name, "viewer", "test")[1]


def get_cases(api: Api, key: str) -> int:
    return api.client.get("/cases", headers={"Authorization": f"ApiKey {key}"}).status_code


def test_concurrent_requests_on_a_key_not_in_the_cache_cost_one_lookup(api: Api) -> None:
    key = new_key(api, "cold")
    lookups = KeyLookups(api, delay_s=0.3)  # slow enough that every request arrives while it runs
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda _: get_cases(api, key), range(20)))
    assert codes == [200] * 20
    assert lookups.count == 1


def test_a_key_in_steady_use_is_renewed_before_its_entry_lapses(api: Api) -> None:
    key = new_key(api, "steady")
    cache: KeyCache = api.client.app.state.context.key_cache  # type: ignore[attr-defined]
    lookups = KeyLookups(api)
    assert get_cases(api, key) == 200 and lookups.count == 1
    first_lapses = time.monotonic() + TTL  # (the entry's life runs from its lookup, before this)
    time.sleep(TTL * 0.6)  # past half the entry's life: the next request asks for a renewal
    assert get_cases(api, key) == 200
    deadline = time.monotonic() + 5
    while lookups.count < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert lookups.count == 2  # renewed in the background, once
    time.sleep(max(0.0, first_lapses + 0.05 - time.monotonic()))
    assert cache.get(hashlib.sha256(key.encode()).hexdigest()) is not None  # the renewed entry serves: no request waits
    assert get_cases(api, key) == 200


def test_a_key_revoked_in_the_database_stops_within_the_expiry_though_in_steady_use(api: Api) -> None:
    key = new_key(api, "busy")
    for _ in range(10):  # in use, renewed again and again
        assert get_cases(api, key) == 200
        time.sleep(TTL / 10)
    with api.db.session() as session:
        revoke_api_key(session, "busy", "test")  # as the CLI does: the server's cache is not told
    revoked = time.monotonic()
    refused_after = None
    while time.monotonic() - revoked < 3 * TTL:
        if get_cases(api, key) == 401:
            refused_after = time.monotonic() - revoked
            break
        time.sleep(0.02)
    assert refused_after is not None, "a revoked key was still served three expiries later"
    assert refused_after <= TTL + 0.25  # (the last check's own scheduling: a quarter of a second)
    assert get_cases(api, key) == 401
