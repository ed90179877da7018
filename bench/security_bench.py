"""What the HTTP hardening costs and what it stops, measured through uvicorn over loopback with httpx.

- wrong keys: one client address sends distinct wrong API keys as fast as it can for a few seconds;
  counts how many were answered 401 (checked) and how many 429 (refused by the throttle unchecked).
  The throttle switched off (a huge allowance) is the baseline in the same run.
- overhead_asgi: microseconds per `GET /healthz` called on the ASGI app directly, with and without
  those middlewares (no network, no database): their own cost, best round of each.
- overhead: requests per second of `GET /cases` with a right key through the full application and
  through the same application without the hardening middlewares (security headers, body limit,
  Origin check), interleaved rounds, distinct query strings; the ratio is what is reported.

    .venv/bin/python bench/security_bench.py [--quick]
"""

from __future__ import annotations

import secrets
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(app: Any) -> tuple[str, Any, threading.Thread]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def _app(home: Path, settings: Any, hardened: bool = True) -> Any:
    from computewatch.api.app import create_app
    from computewatch.api.headers import SecurityHeaders
    from computewatch.api.limits import BodyLimit
    from computewatch.web.origin import OriginCheck

    app = create_app(settings, home)
    if not hardened:
        app.user_middleware = [m for m in app.user_middleware if m.cls not in (SecurityHeaders, BodyLimit, OriginCheck)]
    return app


def wrong_keys(home: Path, seconds: float, throttled: bool) -> dict[str, Any]:
    import httpx

    from computewatch.settings import Settings

    api = {"rate_limit_per_minute": 10_000_000, "rate_limit_burst": 1_000_000}
    if not throttled:
        api["auth_failures_allowed"] = 10_000_000
    base, server, thread = _serve(_app(home, Settings(api=api)))
    codes: dict[int, int] = {}
    try:
        with httpx.Client(base_url=base) as http:
            until = time.perf_counter() + seconds
            sent = 0
            while time.perf_counter() < until:
                r = http.get("/cases", headers={"Authorization": f"ApiKey cw_{secrets.token_hex(6)}_{secrets.token_urlsafe(16)}"})
                codes[r.status_code] = codes.get(r.status_code, 0) + 1
                sent += 1
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"sent": sent, "per_s": round(sent / seconds, 1), "answered_401": codes.get(401, 0),
            "refused_429": codes.get(429, 0), "checked_per_s": round(codes.get(401, 0) / seconds, 2)}  # fmt: skip


def overhead(home: Path, key: str, rounds: int, per_round: int) -> dict[str, Any]:
    import httpx

    from computewatch.settings import Settings

    settings = Settings(api={"rate_limit_per_minute": 10_000_000, "rate_limit_burst": 1_000_000})
    servers = {name: _serve(_app(home, settings, hardened=name == "hardened")) for name in ("hardened", "plain")}
    took = {"hardened": 0.0, "plain": 0.0}
    n = 0
    try:
        clients = {name: httpx.Client(base_url=s[0], headers={"Authorization": f"ApiKey {key}"}) for name, s in servers.items()}
        for name in clients:  # warm up
            clients[name].get("/cases?limit=1")
        for r in range(rounds):
            for name in (("hardened", "plain") if r % 2 else ("plain", "hardened")):
                t = time.perf_counter()
                for i in range(per_round):
                    clients[name].get(f"/cases?limit=5&offset={(n + i) % 7}&q=w{n + i}")
                took[name] += time.perf_counter() - t
            n += per_round
        for c in clients.values():
            c.close()
    finally:
        for _, server, thread in servers.values():
            server.should_exit = True
            thread.join(timeout=10)
    total = rounds * per_round
    return {"requests_each": total, "hardened_per_s": round(total / took["hardened"], 1),
            "plain_per_s": round(total / took["plain"], 1), "ratio_hardened_to_plain": round(took["plain"] / took["hardened"], 3)}  # fmt: skip


def overhead_asgi(home: Path, rounds: int, per_round: int) -> dict[str, Any]:
    """The middlewares' own cost, without the network: `GET /healthz` called on the ASGI app directly."""
    import asyncio

    from computewatch.settings import Settings

    apps = {name: _app(home, Settings(), hardened=name == "hardened") for name in ("hardened", "plain")}

    async def call(app: Any, i: int) -> None:
        scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": "/healthz", "raw_path": b"/healthz",
                 "query_string": f"i={i}".encode(), "headers": [(b"host", b"bench")], "client": ("127.0.0.1", 1),
                 "server": ("bench", 80), "scheme": "http", "root_path": ""}  # fmt: skip

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            pass

        await app(scope, receive, send)

    async def measure() -> dict[str, float]:
        """The best round of each (the machine is shared: the best round is the least disturbed one)."""
        best = {"hardened": float("inf"), "plain": float("inf")}
        for r in range(rounds):
            for name in (("hardened", "plain") if r % 2 else ("plain", "hardened")):
                t = time.perf_counter()
                for i in range(per_round):
                    await call(apps[name], r * per_round + i)
                best[name] = min(best[name], (time.perf_counter() - t) / per_round)
        return best

    best = asyncio.run(measure())
    return {"calls_each": rounds * per_round, "hardened_us": round(best["hardened"] * 1e6, 1),
            "plain_us": round(best["plain"] * 1e6, 1), "added_us": round((best["hardened"] - best["plain"]) * 1e6, 1)}  # fmt: skip


def run(quick: bool = False) -> dict[str, Any]:
    from computewatch.cases.db import open_case_db
    from computewatch.cases.keys import create_api_key

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with open_case_db(home) as db, db.session() as session:
            key = create_api_key(session, "bench", "viewer", "bench")[1]
        seconds = 2.0 if quick else 5.0
        return {
            "wrong_keys_unthrottled": wrong_keys(home, seconds, throttled=False),
            "wrong_keys_throttled": wrong_keys(home, seconds, throttled=True),
            "overhead": overhead(home, key, rounds=4 if quick else 10, per_round=50 if quick else 200),
            "overhead_asgi": overhead_asgi(home, rounds=10 if quick else 40, per_round=200 if quick else 300),
        }


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(ROOT / "src"))
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
