"""Load benchmark of the HTTP API: concurrent clients on `POST /match/default` over loopback.

Full mode: 100 concurrent clients for 60 s against `computewatch serve` (its own process, one uvicorn
worker) over a workspace holding the bundled BIS lists; reports throughput, p50/p90/p99 latency and errors.

    .venv/bin/python bench/api_bench.py [--quick]
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIST_FILE = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"
UNLISTED = ["Harbour Light Trading Co Ltd", "Blue River Semiconductors GmbH", "Northwind Analytics LLC",
            "深圳市星河数据科技有限公司", "Maple Leaf Robotics Inc", "Sunrise Cloud Services Pte Ltd"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(home: Path) -> tuple[str, list[str]]:
    """A workspace with the bundled lists, and an admin key without a practical rate limit."""
    from computewatch.cases.db import open_case_db
    from computewatch.cases.keys import create_api_key
    from computewatch.sources.lists import default_dataset, read_list
    from computewatch.workspace import Workspace

    fmt, records = read_list(LIST_FILE)
    with Workspace(home) as ws:
        ws.load_list(default_dataset(LIST_FILE, fmt, records), records, LIST_FILE, fmt)
        names = [e.caption for e in ws.list_entities()]
    with open_case_db(home) as db, db.session() as session:
        key = create_api_key(session, "bench", "admin", "bench", rate_limit_per_minute=10_000_000)[1]
    return key, names


def _queries(names: list[str], n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = rng.choice(names).upper() if i % 3 else rng.choice(UNLISTED)
        out.append({"queries": {f"q{i}": {"schema": "Company", "properties": {"name": [name]}}}})
    return out


async def _client(http: Any, url: str, bodies: list[dict[str, Any]], until: float, lat: list[float], errors: list[str]) -> None:
    i = 0
    while time.perf_counter() < until:
        body = bodies[i % len(bodies)]
        i += 1
        t = time.perf_counter()
        try:
            r = await http.post(url, json=body)
            if r.status_code != 200:
                errors.append(f"HTTP {r.status_code}")
                continue
        except Exception as exc:  # a timeout or a dropped connection is an error of the run
            errors.append(type(exc).__name__)
            continue
        lat.append(time.perf_counter() - t)


async def _load(base: str, key: str, bodies: list[dict[str, Any]], clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"ApiKey {key}"}
    lat: list[float] = []
    errors: list[str] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30.0) as http:
        await http.post("/match/default", json=bodies[0])  # warm the screening index
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*[_client(http, "/match/default", bodies[c::clients] or bodies, until, lat, errors) for c in range(clients)])
        elapsed = time.perf_counter() - start
    lat.sort()

    def pct(p: float) -> float | None:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2) if lat else None

    kinds: dict[str, int] = {}
    for e in errors:
        kinds[e] = kinds.get(e, 0) + 1
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(lat), "errors": len(errors), "error_kinds": kinds,
            "throughput_rps": round(len(lat) / elapsed, 1), "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
            "max_ms": round(lat[-1] * 1000, 2) if lat else None}  # fmt: skip


def _wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not come up")


def run(quick: bool = False) -> dict[str, Any]:
    clients, seconds = (10, 5.0) if quick else (100, 60.0)
    with tempfile.TemporaryDirectory(prefix="cw-api-bench-") as tmp:
        home = Path(tmp)
        key, names = _prepare(home)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "COMPUTEWATCH_HOME": str(home)}
        env.pop("COMPUTEWATCH_DATABASE_URL", None)
        cmd = [sys.executable, "-m", "computewatch", "serve", "--host", "127.0.0.1", "--port", str(port), "--workspace", str(home)]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_up(base, proc)
            result = asyncio.run(_load(base, key, _queries(names, 2000), clients, seconds))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    result.update({"endpoint": "POST /match/default", "list_entities": len(names), "quick": quick})
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
