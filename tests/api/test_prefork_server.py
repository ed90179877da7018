"""`computewatch serve --workers N`: several processes share one index loaded before they fork. They answer
as one process does, a revoked key is refused by every worker within the key cache's expiry, and a list
load reaches every worker (the parent rebuilds the index and replaces them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import Live, build_workspace, live_server, make_key

from computewatch.api.app import create_app
from computewatch.api.context import KEY_CACHE_S
from computewatch.cases.db import open_case_db
from computewatch.settings import Settings

WORKERS = 3
NAMES = ["Qinghe Cloud Computing Technology", "QINGHE CLOUD COMPUTING TECH CO LTD", "青禾云算科技有限公司", "Lumenbright Data",
         "Lumenbright Data Pte Ltd", "Lin Qiaoyu", "林巧雨", "Xingqiao Yuntu Technology", "星桥云图科技", "Orchid Vale Compute",
         "OVC Singapore", "Kestrel Harrowgate", "Harbour Light Bakery Cooperative", "Blue River Semiconductors GmbH",
         "Northwind Analytics LLC", "Maple Leaf Robotics Inc", "Qinghe Computing", "Orchid Vale Computing Pte Ltd"]  # fmt: skip


def body(name: str) -> dict[str, Any]:
    return {"queries": {"q": {"schema": "LegalEntity", "properties": {"name": [name]}}}}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("prefork")
    build_workspace(home)
    return home


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[Live]:
    # the revoked-key test sends dozens of refused keys from this address: the wrong-key throttle
    # (tests/api/test_auth_throttle.py) would then hold back every later test's requests
    with live_server(home, workers=WORKERS, env_settings={"COMPUTEWATCH_API__AUTH_FAILURES_ALLOWED": "100000"}) as live:
        yield live


def post_fresh(base: str, key: str, payload: dict[str, Any]) -> httpx.Response:
    """One request on a new connection: the kernel spreads new connections over the workers."""
    with httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as http:
        return http.post(base + "match/default", json=payload, headers={"Authorization": f"ApiKey {key}"})


def test_workers_answer_concurrent_requests_as_one_process_does(home: Path, server: Live) -> None:
    key = make_key(home, "concurrent")
    with open_case_db(home) as db:
        single = TestClient(create_app(Settings(), home, db))
        expected = {n: single.post("/match/default", json=body(n), headers={"Authorization": f"ApiKey {key}"}).json() for n in NAMES}
    assert expected["Qinghe Cloud Computing Technology"]["responses"]["q"]["results"][0]["id"] == "fic-qinghe"
    work = NAMES * 4  # within one key's burst (100): the limit is the server's, not each worker's
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda n: (n, post_fresh(server.base, key, body(n))), work))
    assert all(r.status_code == 200 for _, r in answers), [r.text for _, r in answers if r.status_code != 200][:3]
    for name, r in answers:
        assert r.json() == expected[name], name
    assert {r.headers["x-worker"] for _, r in answers} == {str(i) for i in range(WORKERS)}


def _workers_answering(base: str, key: str, rounds: int = 60) -> dict[str, set[int]]:
    seen: dict[str, set[int]] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for r in pool.map(lambda _: post_fresh(base, key, body("Lumenbright Data")), range(rounds)):
            seen.setdefault(r.headers["x-worker"], set()).add(r.status_code)
    return seen


def test_a_key_revoked_elsewhere_is_refused_by_every_worker_within_the_cache_expiry(home: Path, server: Live) -> None:
    key = make_key(home, "to-revoke")
    before = _workers_answering(server.base, key)
    assert set(before) == {str(i) for i in range(WORKERS)} and all(codes == {200} for codes in before.values())  # cached in each
    env = {**os.environ, "COMPUTEWATCH_HOME": str(home)}
    env.pop("COMPUTEWATCH_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "computewatch", "keys", "revoke", "to-revoke", "--workspace", str(home)], env=env, check=True)
    revoked = time.monotonic()
    time.sleep(KEY_CACHE_S + 0.5)
    after = _workers_answering(server.base, key)
    assert time.monotonic() - revoked < KEY_CACHE_S + 30  # (the check itself ran after the expiry)
    assert set(after) == {str(i) for i in range(WORKERS)} and all(codes == {401} for codes in after.values()), after


def test_a_list_load_reaches_every_worker(home: Path, server: Live, tmp_path: Path) -> None:
    key = make_key(home, "reload")
    newcomer = {"id": "fic-newcomer", "schema": "Company", "properties": {"name": ["Quarrystone Photonics Trading Ltd"], "country": ["hk"]},
                "datasets": ["late_list"]}  # fmt: skip
    late = tmp_path / "late.ftm.jsonl"
    late.write_text(json.dumps(newcomer) + "\n")
    query = body("Quarrystone Photonics Trading")
    assert all(r.json()["responses"]["q"]["results"] == [] or r.json()["responses"]["q"]["results"][0]["id"] != "fic-newcomer"
               for r in [post_fresh(server.base, key, query) for _ in range(6)])  # fmt: skip
    env = {**os.environ, "COMPUTEWATCH_HOME": str(home)}
    env.pop("COMPUTEWATCH_DATABASE_URL", None)
    for _ in range(20):  # the server's readers may hold the file for a moment
        done = subprocess.run([sys.executable, "-m", "computewatch", "lists", "load", str(late), "--workspace", str(home)], env=env, capture_output=True)
        if done.returncode == 0:
            break
        time.sleep(0.5)
    assert done.returncode == 0, done.stderr
    os.kill(server.proc.pid, signal.SIGHUP)  # look at the lists now (else: within a minute)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answers = [post_fresh(server.base, key, query) for _ in range(12)]
        if all(r.status_code == 200 and r.json()["responses"]["q"]["results"][:1] and
               r.json()["responses"]["q"]["results"][0]["id"] == "fic-newcomer" for r in answers):  # fmt: skip
            break
        time.sleep(0.5)
    else:
        pytest.fail("the new list did not reach every worker")
    assert {r.headers["x-worker"] for r in answers} - {str(i) for i in range(WORKERS)} == set()


def test_a_keys_rate_limit_holds_for_the_server_as_a_whole(home: Path, server: Live) -> None:
    key = make_key(home, "limited", rate_limit_per_minute=10)  # a burst of 10, then one every 6 s
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: post_fresh(server.base, key, body("Lumenbright Data")), range(30)))
    codes = [r.status_code for r in answers]
    assert len({r.headers["x-worker"] for r in answers}) > 1  # the calls did reach several workers
    assert 10 <= codes.count(200) <= 11 and codes.count(429) == 30 - codes.count(200), codes  # not 10 per worker
    assert all(int(r.headers["retry-after"]) >= 1 for r in answers if r.status_code == 429)
