"""A real `computewatch serve` in its own process on a free port, for tests that need a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
LISTS = [ROOT / "tests/fixtures/lists/fictional.ftm.jsonl", ROOT / "tests/fixtures/lists/csl-api.json"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_workspace(home: Path) -> None:
    from computewatch.sources.lists import default_dataset, read_list
    from computewatch.workspace import Workspace

    with Workspace(home) as ws:
        for path in LISTS:
            fmt, records = read_list(path)
            ws.load_list(default_dataset(path, fmt, records), records, path, fmt)


def make_key(home: Path, name: str, role: str = "viewer", rate_limit_per_minute: int | None = None) -> str:
    from computewatch.cases.db import open_case_db
    from computewatch.cases.keys import create_api_key

    with open_case_db(home) as db, db.session() as session:
        return create_api_key(session, name, role, "test", rate_limit_per_minute)[1]


@dataclass
class Live:
    base: str  # with a trailing slash
    proc: subprocess.Popen[bytes]


@contextmanager
def live_server(home: Path, workers: int = 1, timeout: float = 120.0, env_settings: dict[str, str] | None = None) -> Iterator[Live]:
    """A server over `home` (its base URL and process), stopped with SIGTERM on exit; `env_settings`:
    COMPUTEWATCH_* settings for the server."""
    port = free_port()
    env = {**os.environ, "COMPUTEWATCH_HOME": str(home), **(env_settings or {})}
    env.pop("COMPUTEWATCH_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "computewatch", "serve", "--port", str(port), "--workspace", str(home),
           "--workers", str(workers), "--no-access-log"]  # fmt: skip
    log = open(home / f"server-{port}.log", "wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}: {(home / f'server-{port}.log').read_text()[-2000:]}")
            try:
                if httpx.get(base + "healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not come up")
            time.sleep(0.2)
        yield Live(base, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
