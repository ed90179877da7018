"""Load benchmark of `POST /match/default`: every request a different name, real server, real client.

One run serves the same workspace (the bundled BIS lists) twice: one process (the baseline) and
`--workers N` (pre-fork: N processes sharing one index). Against each: one client for the latency, then
100 concurrent clients for throughput and tail latency, with errors counted. The load generator is wrk
(Debian's, C, event-driven) with a Lua script (bench/wrk/match.lua) that sends a different body with
every request; its own CPU time is reported beside the server's, since both share this machine's cores.
Without wrk it falls back to an asyncio httpx client, and says so.

    .venv/bin/python bench/api_bench.py [--quick] [--workers N]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIST_FILE = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"
WRK_SCRIPT = ROOT / "bench/wrk/match.lua"
TARGETS = {"one_client_p50_ms": 2.0, "clients_100_rps": 1000.0, "clients_100_p99_ms": 100.0}

# fictional names, put together from words (no real company is meant)
ADJECTIVES = ["Harbour", "Blue", "North", "Silver", "Maple", "Sunrise", "Granite", "Amber", "Cedar", "Falcon", "Lotus", "Quartz",
              "Coral", "Aurora", "Summit", "Willow", "Orchid", "Cobalt", "Jade", "Meridian", "Pioneer", "Crescent", "Beacon", "Atlas",
              "Vertex", "Nimbus", "Sterling", "Evergreen", "Horizon", "Kestrel"]  # fmt: skip
NOUNS = ["River", "Light", "Wind", "Peak", "Stone", "Field", "Bridge", "Gate", "Harbor", "Valley", "Forest", "Bay", "Ridge", "Star",
         "Lake", "Point", "Crown", "Arrow", "Wave", "Shore", "Hill", "Spring", "Cloud", "Path", "Anchor", "Dawn", "Grove", "Isle"]  # fmt: skip
SECTORS = ["Trading", "Semiconductors", "Analytics", "Robotics", "Logistics", "Electronics", "Data Services", "Cloud Services",
           "Computing", "Microsystems", "Photonics", "Technology", "Industries", "Networks", "Instruments", "Components",
           "Systems", "Engineering", "Software", "Devices"]  # fmt: skip
FORMS = ["Co Ltd", "Co., Ltd.", "LLC", "GmbH", "Pte Ltd", "Inc", "Limited", "S.A.", "B.V.", "Sdn Bhd", "AG", "Corp"]
ZH_PLACES = ["深圳市", "北京", "上海", "广州市", "杭州", "成都", "武汉", "南京", "天津", "苏州"]
ZH_BRANDS = ["星河", "蓝海", "青松", "金桥", "华光", "云帆", "远景", "新锐", "天成", "瑞丰", "明德", "恒通", "博远", "志诚", "宏达"]
ZH_SECTORS = ["数据科技", "电子", "半导体", "云计算", "贸易", "智能科技", "信息技术", "光电"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(home: Path) -> tuple[str, list[str], int]:
    """A workspace with the bundled lists, and an admin key without a practical rate limit."""
    from computewatch.cases.db import open_case_db
    from computewatch.cases.keys import create_api_key
    from computewatch.sources.lists import default_dataset, read_list
    from computewatch.workspace import Workspace

    fmt, records = read_list(LIST_FILE)
    with Workspace(home) as ws:
        ws.load_list(default_dataset(LIST_FILE, fmt, records), records, LIST_FILE, fmt)
        entities = ws.list_entities()
        names = [n for e in entities for n in e.names]
    with open_case_db(home) as db, db.session() as session:
        key = create_api_key(session, "bench", "admin", "bench", rate_limit_per_minute=100_000_000)[1]
    return key, names, len(entities)


def _variant(rng: random.Random, name: str) -> str:
    """A listed name as a screening query might carry it: cased, misspelt, with or without a company form."""
    words = name.split()
    kind = rng.randrange(6)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return name.lower()
    if kind in (2, 3):
        long = [i for i, w in enumerate(words) if len(w) > 4]
        if long:
            i = rng.choice(long)
            j = rng.randrange(1, len(words[i]) - 1)
            words[i] = words[i][:j] + words[i][j + 1 :] if kind == 2 else words[i][: j - 1] + words[i][j] + words[i][j - 1] + words[i][j + 1 :]
        return " ".join(words)
    if kind == 4:
        return f"{name} {rng.choice(FORMS)}"
    return f"{rng.choice(ADJECTIVES)} {name}"


def distinct_names(listed: list[str], count: int, seed: int = 15) -> list[str]:
    """`count` names, no two alike even ignoring case and spacing: a third variants of listed names, the rest
    fictional (Latin and Chinese), so that neither the screener's result cache nor the client repeats help."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        roll = rng.random()
        if roll < 1 / 3:
            name = _variant(rng, rng.choice(listed))
        elif roll < 0.9:
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SECTORS)} {rng.choice(FORMS)}"
        else:
            name = f"{rng.choice(ZH_PLACES)}{rng.choice(ZH_BRANDS)}{rng.choice(ZH_BRANDS)}{rng.choice(ZH_SECTORS)}有限公司"
        key = " ".join(name.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _bodies_file(path: Path, names: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, name in enumerate(names):
            schema = "LegalEntity" if i % 5 else "Person"
            fh.write(json.dumps({"queries": {f"q{i}": {"schema": schema, "properties": {"name": [name]}}}}, ensure_ascii=False) + "\n")
    return path


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _server_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return [parent] + [int(p) for p in children.read_text().split()] if children.exists() else [parent]


def _memory(pids: list[int]) -> list[dict[str, int]]:
    """Per process: resident and proportional set size (PSS counts a shared page once over its sharers), MB."""
    out = []
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        kb = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if line.split()[-1] == "kB"}
        out.append({"pid": pid, "rss_mb": kb.get("Rss", 0) // 1024, "pss_mb": kb.get("Pss", 0) // 1024,
                    "shared_mb": (kb.get("Shared_Clean", 0) + kb.get("Shared_Dirty", 0)) // 1024})  # fmt: skip
    return out


def _run_wrk(url: str, bodies: Path, key: str, clients: int, threads: int, seconds: float) -> dict[str, Any]:
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPT), url,
           "--", str(bodies), str(threads), key]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    if status != 0:
        raise RuntimeError(f"wrk failed ({status}): {out} {proc.stderr.read().decode() if proc.stderr else ''}")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["client_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    return figures


async def _asyncio_load(url: str, bodies: list[str], key: str, clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    lat: list[float] = []
    errors: dict[str, int] = {}
    queue = iter(bodies)
    headers = {"Authorization": f"ApiKey {key}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10.0) as http:
        until = time.perf_counter() + seconds

        async def client() -> None:
            while time.perf_counter() < until:
                body = next(queue, None)
                if body is None:
                    return
                t = time.perf_counter()
                try:
                    r = await http.post(url, content=body.encode())
                    if r.status_code != 200:
                        errors[f"HTTP {r.status_code}"] = errors.get(f"HTTP {r.status_code}", 0) + 1
                        continue
                except Exception as exc:  # a timeout or a dropped connection is an error of the run
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                lat.append(time.perf_counter() - t)

        start = time.perf_counter()
        await asyncio.gather(*[client() for _ in range(clients)])
        elapsed = time.perf_counter() - start
    lat.sort()

    def pct(p: float) -> int:
        return int(lat[min(len(lat) - 1, int(p * len(lat)))] * 1e6) if lat else 0

    return {"requests": len(lat), "duration_us": int(elapsed * 1e6), "errors": errors, "repeated_bodies": 0,
            "latency_us": {"min": pct(0), "mean": round(sum(lat) / max(1, len(lat)) * 1e6, 1), "max": pct(1.0), "p50": pct(0.5),
                           "p90": pct(0.9), "p99": pct(0.99), "p999": pct(0.999)}}  # fmt: skip


def _load(url: str, bodies: Path, key: str, clients: int, seconds: float, server_pid: int) -> dict[str, Any]:
    """One load phase: wrk (or the asyncio client), with the client's and the server's CPU over the phase."""
    pids = _server_pids(server_pid)
    load_before = os.getloadavg()[0]
    server_before = _cpu_seconds(pids)
    wall = time.perf_counter()
    if shutil.which("wrk"):
        figures = _run_wrk(url, bodies, key, clients, min(2, clients), seconds)
    else:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures = asyncio.run(_asyncio_load(url, bodies.read_text(encoding="utf-8").splitlines(), key, clients, seconds))
        after = resource.getrusage(resource.RUSAGE_SELF)
        figures["client_cpu_s"] = round(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime, 2)
    wall = time.perf_counter() - wall
    server_cpu = _cpu_seconds(pids) - server_before
    seconds_run = figures["duration_us"] / 1e6
    n = max(1, figures["requests"])
    errors = figures["errors"]
    lat = figures["latency_us"]
    cores = os.cpu_count() or 1
    return {
        "clients": clients,
        "seconds": round(seconds_run, 1),
        "requests": figures["requests"],
        "throughput_rps": round(figures["requests"] / seconds_run, 1),
        "errors": sum(errors.values()),
        "error_kinds": {k: v for k, v in errors.items() if v},
        "repeated_names": figures["repeated_bodies"],
        "p50_ms": round(lat["p50"] / 1000, 2), "p90_ms": round(lat["p90"] / 1000, 2), "p99_ms": round(lat["p99"] / 1000, 2),
        "p999_ms": round(lat["p999"] / 1000, 2), "max_ms": round(lat["max"] / 1000, 2),
        "server_cpu_ms_per_request": round(server_cpu / n * 1000, 3),
        "client_cpu_s": figures["client_cpu_s"],
        "client_cpu_share_of_machine": round(figures["client_cpu_s"] / (wall * cores), 3),
        "client_cpu_share_of_load": round(figures["client_cpu_s"] / max(1e-9, figures["client_cpu_s"] + server_cpu), 3),
        "load_average_before": round(load_before, 2),
    }  # fmt: skip


def _wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
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


def _serve_and_load(home: Path, key: str, workers: int, phases: dict[str, Path], quick: bool) -> dict[str, Any]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "COMPUTEWATCH_HOME": str(home)}
    env.pop("COMPUTEWATCH_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "computewatch", "serve", "--host", "127.0.0.1", "--port", str(port), "--workspace", str(home),
           "--workers", str(workers), "--no-access-log"]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(base, proc)
        startup_s = time.perf_counter() - started
        url = f"{base}/match/default"
        # warm-up on names of its own: every worker verifies the key once (then it is cached)
        _load(url, phases["warm"], key, 20, 2.0, proc.pid)
        out: dict[str, Any] = {"workers": workers, "startup_s": round(startup_s, 1)}
        out["one_client"] = _load(url, phases["one"], key, 1, 3.0 if quick else 10.0, proc.pid)
        clients = 10 if quick else 100
        out[f"clients_{clients}"] = _load(url, phases["many"], key, clients, 5.0 if quick else 30.0, proc.pid)
        out["memory"] = _memory(_server_pids(proc.pid))
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(quick: bool = False, workers: int | None = None) -> dict[str, Any]:
    workers = workers or os.cpu_count() or 2
    with tempfile.TemporaryDirectory(prefix="cw-api-bench-") as tmp:
        home = Path(tmp)
        key, listed, entity_count = _prepare(home)
        sizes = {"warm": 20_000, "one": 30_000, "many": 150_000} if not quick else {"warm": 5_000, "one": 5_000, "many": 20_000}
        names = distinct_names(listed, 2 * sum(sizes.values()))
        files: list[dict[str, Path]] = []
        at = 0
        for config in range(2):  # disjoint names for every phase of both servers
            phases = {}
            for phase, size in sizes.items():
                phases[phase] = _bodies_file(home / f"bodies-{config}-{phase}.jsonl", names[at : at + size])
                at += size
            files.append(phases)
        baseline = _serve_and_load(home, key, 1, files[0], quick)
        prefork = _serve_and_load(home, key, workers, files[1], quick)
    many = "clients_10" if quick else "clients_100"
    result: dict[str, Any] = {
        "endpoint": "POST /match/default",
        "load_generator": "wrk (Lua script: a different body per request)" if shutil.which("wrk") else "asyncio httpx client (wrk not installed)",
        "list_entities": entity_count,
        "distinct_names": len(names),
        "single_process": baseline,
        f"workers_{workers}": prefork,
        "speedup_throughput": round(prefork[many]["throughput_rps"] / max(1e-9, baseline[many]["throughput_rps"]), 2),
        "quick": quick,
    }
    if not quick:
        result["targets"] = {
            "one_client_p50_ms<=2": prefork["one_client"]["p50_ms"] <= TARGETS["one_client_p50_ms"],
            "clients_100_rps>=1000": prefork[many]["throughput_rps"] >= TARGETS["clients_100_rps"],
            "clients_100_p99_ms<=100": prefork[many]["p99_ms"] <= TARGETS["clients_100_p99_ms"],
            "clients_100_zero_errors": prefork[many]["errors"] == 0,
        }
    return result


if __name__ == "__main__":
    workers_arg = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--workers=")), None)
    print(json.dumps(run(quick="--quick" in sys.argv, workers=workers_arg), indent=2))
