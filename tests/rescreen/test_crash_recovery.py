"""A crash never loses a re-screen (issue 13): `lists load` is killed with SIGKILL at each named
point between the new list version and its cases, and the next `lists load`, `rescreen`, `detect`
or `serve` completes the re-screen and opens the cases, once.

The process pauses at the point (COMPUTEWATCH_TEST_CRASH_AT=point:pause, see crashpoints.py) and
the test sends a real SIGKILL: no cleanup runs, nothing uncommitted survives.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from computewatch.cases.db import open_case_db
from computewatch.rescreen.state import undelivered_alerts
from computewatch.settings import Settings
from computewatch.workspace import Workspace

LISTED = {"id": "fic-zenith", "schema": "Company", "datasets": ["fictional_list"],
          "properties": {"name": ["Zenith Ridge Computing Technology Co., Ltd."], "country": ["cn"]}}  # fmt: skip
OTHER = {"id": "fic-lumen", "schema": "Company", "datasets": ["fictional_list"],
         "properties": {"name": ["Lumenbright Data Pte. Ltd."], "country": ["sg"]}}  # fmt: skip
ACCOUNTS = """account_id,holder_name,country,created_at
acc-1,Zenith Ridge Computing Technology Company Limited,CN,2026-01-05
acc-3,Willowmere Robotics GmbH,DE,2026-03-01
"""
CODE = "from computewatch.cli import main; main()"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPUTEWATCH_TEST_CRASH")}
    return {**env, "COLUMNS": "300", **extra}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=300, env=env or _env())


def _write_list(path: Path, *entries: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with accounts and list version 1 (re-screened once: the baseline)."""
    folder = tmp_path_factory.mktemp("crash-baseline")
    ws = folder / "ws"
    accounts = folder / "accounts.csv"
    accounts.write_text(ACCOUNTS)
    assert _cli("ingest", "accounts", str(accounts), "-w", str(ws)).returncode == 0
    v1 = _write_list(folder / "v1.jsonl", OTHER)
    done = _cli("lists", "load", str(v1), "--dataset", "fictional_list", "-w", str(ws))
    assert done.returncode == 0 and "first re-screening (baseline)" in done.stdout, done.stderr
    return ws


@pytest.fixture
def ws(baseline: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(baseline, target)
    return target


def _killed_at(point: str, ws: Path, v2: Path, tmp_path: Path) -> None:
    """Run `lists load v2`, wait until it reaches `point`, and kill -9 it."""
    flag = tmp_path / f"reached-{point}"
    env = _env(COMPUTEWATCH_TEST_CRASH_AT=f"{point}:pause", COMPUTEWATCH_TEST_CRASH_SIGNAL=str(flag))
    proc = subprocess.Popen([sys.executable, "-c", CODE, "lists", "load", str(v2), "--dataset", "fictional_list", "-w", str(ws)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)  # fmt: skip
    deadline = time.monotonic() + 240
    while not flag.exists():
        if proc.poll() is not None:
            raise AssertionError(f"lists load ended before {point}: {proc.stderr.read().decode() if proc.stderr else ''}")
        assert time.monotonic() < deadline, f"{point} not reached"
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def _state(ws: Path) -> dict[str, object]:
    with Workspace(ws) as w:
        version = w.con.execute("SELECT max(version_id) FROM list_versions").fetchone()[0]  # type: ignore[index]
        listed = w.con.execute("SELECT count(*) FROM list_entities WHERE entity_id = 'fic-zenith'").fetchone()[0]  # type: ignore[index]
        screened = w.con.execute("SELECT max(list_version) FROM rescreen_runs").fetchone()[0]  # type: ignore[index]
        pending = w.rescreen_pending()
        outbox = undelivered_alerts(w)
    with open_case_db(ws, Settings()) as db, db.session() as s:
        from sqlalchemy import text

        cases = s.execute(text("SELECT source_key FROM cases WHERE detector = 'rescreen-list-match'")).scalars().all()
    return {"version": version, "listed": listed, "screened_up_to": screened, "pending": pending,
            "outbox": len(outbox), "match_cases": sorted(cases)}  # fmt: skip


def _assert_completed(ws: Path) -> None:
    state = _state(ws)
    assert state["listed"] == 1 and state["version"] == 2
    assert state["screened_up_to"] == 2, state  # the re-screen covers the new version
    assert state["pending"] == [] and state["outbox"] == 0
    assert len(state["match_cases"]) == 1, state  # acc-1 now matches fic-zenith: one case, never two


NEXT_COMMANDS = {
    "lists load": lambda ws, v2, out: ["lists", "load", str(v2), "--dataset", "fictional_list", "-w", str(ws)],
    "rescreen": lambda ws, v2, out: ["rescreen", "-w", str(ws)],
    "detect": lambda ws, v2, out: ["detect", "--out", str(out), "-w", str(ws)],
}
CASES = [
    ("list-version-staged", "lists load"),  # nothing committed: the next load loads it and re-screens
    ("list-version-committed", "lists load"),  # the file is now 'unchanged', yet the re-screen is owed
    ("list-version-committed", "rescreen"),
    ("list-version-committed", "detect"),
    ("rescreen-computed", "lists load"),  # re-screen done in memory, not saved
    ("rescreen-saved", "lists load"),  # saved, cases not opened: they come from the outbox
    ("rescreen-saved", "detect"),
    ("cases-opened", "rescreen"),  # cases opened, delivery not marked: no duplicate case
]


@pytest.mark.slow
@pytest.mark.parametrize(("point", "next_command"), CASES)
def test_the_next_command_completes_a_rescreen_killed_at(point: str, next_command: str, ws: Path, tmp_path: Path) -> None:
    v2 = _write_list(tmp_path / "v2.jsonl", OTHER, LISTED)
    _killed_at(point, ws, v2, tmp_path)
    before = _state(ws)
    if point != "list-version-staged":
        assert before["version"] == 2 and (before["pending"] or before["outbox"]), before  # owed, and durably so
        assert before["screened_up_to"] == 1 or before["match_cases"] == [] or point == "cases-opened"
    done = _cli(*NEXT_COMMANDS[next_command](ws, v2, tmp_path / "alerts.jsonl"))
    assert done.returncode == 0, done.stderr
    _assert_completed(ws)
    if point == "list-version-committed" and next_command == "lists load":
        assert "unchanged" in done.stdout and "re-screen owed for fictional_list version 2" in done.stdout


@pytest.mark.slow
def test_serve_completes_an_owed_rescreen_before_it_listens(ws: Path, tmp_path: Path) -> None:
    v2 = _write_list(tmp_path / "v2.jsonl", OTHER, LISTED)
    _killed_at("list-version-committed", ws, v2, tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", CODE, "serve", "--port", str(port), "-w", str(ws)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())  # fmt: skip
    try:
        for _ in range(1200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    _assert_completed(ws)


def test_no_rescreen_defers_and_leaves_the_mark(ws: Path, tmp_path: Path) -> None:
    v2 = _write_list(tmp_path / "v2.jsonl", OTHER, LISTED)
    done = _cli("lists", "load", str(v2), "--dataset", "fictional_list", "--no-rescreen", "-w", str(ws))
    assert done.returncode == 0 and "re-screen deferred" in done.stdout
    assert _state(ws)["pending"] == [(2, "fictional_list")]
    done = _cli("rescreen", "-w", str(ws))
    assert done.returncode == 0
    _assert_completed(ws)
