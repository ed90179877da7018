"""Benchmark: generated usage rows (Parquet) through every detector on DuckDB (target: 100M rows < 60 s).

run(quick) -> {"rows", "seconds", "rows_per_s", "peak_memory_mb", "alerts", "per_step_s", ...}.
The detectors run in a child process so that its peak resident memory is measured alone.
The generator (`generate`) writes, with DuckDB, usage in the workspace layout (what `ingest usage`
stores: the CONTRACTS.md columns plus gpu_hours, src_file, src_line, extra), and small accounts,
access, leases and media tables into a workspace. Files are kept in bench/data/ and reused.

    .venv/bin/python bench/detectors_bench.py [--quick] [--rows N]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

DATA = Path(__file__).resolve().parent / "data"
CHIPS = ["H100-SXM", "A100", "H20", "L4", "RTX-4090"]
ACCOUNTS = 20_000
COUNTRIES = ["US", "DE", "SG", "MY", "JP", "GB", "FR", "IN", "BR", "CN"]
AS_OF = date(2026, 11, 1)


def generate_usage(path: Path, rows: int) -> None:
    """`rows` usage rows over 2026, 20,000 accounts, 5 accelerators; about 1 in 1,000 rows is a 512-GPU job."""
    chips = "[" + ", ".join(f"'{c}'" for c in CHIPS) + "]"
    partial = path.with_name(path.name + ".partial")
    con = duckdb.connect()
    con.execute(f"""COPY (
        WITH r AS (SELECT i, hash(i) AS h FROM range({rows}) t(i)),
        u AS (SELECT i, h,
            'acc-' || lpad(CAST(h % {ACCOUNTS} AS VARCHAR), 5, '0') AS account_id,
            TIMESTAMP '2026-01-01' + to_hours(CAST((h >> 8) % 7200 AS BIGINT)) AS "start",
            CAST(1 + (h >> 20) % 24 AS BIGINT) AS hours,
            {chips}[1 + CAST((h >> 28) % 5 AS INTEGER)] AS accelerator,
            CASE WHEN (h >> 32) % 1000 = 0 THEN 512 ELSE CAST(1 + (h >> 36) % 8 AS BIGINT) END AS accelerator_count
            FROM r)
        SELECT account_id, "start", "start" + to_hours(hours) AS "end", accelerator, accelerator_count,
            'region-' || CAST(h % 7 AS VARCHAR) AS region, CAST(NULL AS VARCHAR) AS end_user_id,
            CASE WHEN h % 10 = 0 THEN NULL ELSE ((h >> 40) % 100) / 100.0 END AS utilisation,
            CAST((h >> 44) % 1000000000 AS DOUBLE) AS bytes_in, CAST((h >> 46) % 100000000 AS DOUBLE) AS bytes_out,
            CAST(accelerator_count * hours AS DOUBLE) AS gpu_hours,
            'usage-bench.parquet' AS src_file, i + 1 AS src_line, CAST(NULL AS VARCHAR) AS extra
        FROM u
    ) TO '{partial}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""")
    con.close()
    partial.replace(path)  # an interrupted run leaves no half file to be reused


def generate_workspace(home: Path) -> None:
    """Accounts, access, leases and media (small tables), loaded through the real ingest."""
    from computewatch.sources.operations import load_operations
    from computewatch.workspace import Workspace

    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    cc = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    files = {
        "accounts": f"""SELECT 'acc-' || lpad(CAST(i AS VARCHAR), 5, '0') AS account_id, 'Bench Holder ' || i AS holder_name,
            {cc}[1 + CAST(i % 10 AS INTEGER)] AS country, TIMESTAMP '2025-01-01' AS created_at,
            'pf-' || CAST(CASE WHEN i % 50 < 2 THEN i // 50 * 50 ELSE i END AS VARCHAR) AS payment_fingerprint, 'holder' || i || '.example' AS email_domain
            FROM range({ACCOUNTS}) t(i)""",
        "access": f"""SELECT 'acc-' || lpad(CAST(hash(i) % {ACCOUNTS} AS VARCHAR), 5, '0') AS account_id,
            TIMESTAMP '2026-01-01' + to_minutes(CAST(i % 400000 AS BIGINT)) AS ts,
            '10.' || CAST(hash(i) % {ACCOUNTS} // 250 AS VARCHAR) || '.' || CAST(hash(i) % 250 AS VARCHAR) || '.' || CAST(i % 3 AS VARCHAR) AS ip,
            {cc}[1 + CAST(hash(i + 7) % 10 AS INTEGER)] AS country, 'user-' || CAST(i % 50000 AS VARCHAR) AS end_user_id,
            'key-' || CAST(i % 30000 AS VARCHAR) AS api_key_id, 'model-api' AS service, CAST(hash(i) % 5000 AS BIGINT) AS tokens
            FROM range(1000000) t(i)""",
        "leases": """SELECT 'lease-' || i AS lease_id, 'Bench Lessee ' || i AS lessee_name, 'MY' AS site_country,
            TIMESTAMP '2026-01-01' AS signed_at, TIMESTAMP '2026-02-01' AS "start", 50 + i % 300 AS servers,
            'H100-SXM' AS accelerator, 8 AS accelerators_per_server FROM range(1000) t(i)""",
        "media": """SELECT 'MY' AS site_country, TIMESTAMP '2026-03-01' + to_hours(CAST(i AS BIGINT)) AS ts,
            'lease-' || CAST(i % 1000 AS VARCHAR) AS lease_id, 1 + i % 5 AS devices, 2e13 * (1 + i % 5) AS bytes
            FROM range(10000) t(i)""",
    }
    with Workspace(home) as ws:
        for kind, select in files.items():
            path = home / f"{kind}.parquet"
            con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
            load_operations(ws, kind, [path])


def _child(home: Path, usage: Path) -> dict[str, Any]:
    from computewatch.detectors.runner import run_detectors
    from computewatch.workspace import Workspace

    start = time.perf_counter()
    with Workspace(home) as ws:
        run = run_detectors(ws, AS_OF, "duckdb", parquet={"ops_usage": usage}, record=False)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": round(seconds, 2), "peak_memory_mb": round(peak_kb / 1024, 1), "alerts": len(run.alerts),
            "per_step_s": {k: round(v, 2) for k, v in run.seconds.items()}}  # fmt: skip


def run(quick: bool = False, rows: int | None = None) -> dict[str, Any]:
    rows = rows or (1_000_000 if quick else 100_000_000)
    DATA.mkdir(exist_ok=True)
    usage = DATA / f"usage-{rows}.parquet"
    home = DATA / "detectors-workspace"
    t = time.perf_counter()
    if not usage.exists():
        generate_usage(usage, rows)
    if not (home / "computewatch.duckdb").exists():
        generate_workspace(home)
    generated = time.perf_counter() - t
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(home), str(usage)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update({
        "rows": rows,
        "rows_per_s": round(rows / result["seconds"]),
        "engine": "duckdb",
        "usage_parquet_mb": round(usage.stat().st_size / 1e6, 1),
        "generate_s": round(generated, 1),
        "target": "100M rows in < 60 s",
    })  # fmt: skip
    return result


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        n = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else None
        print(json.dumps(run(quick="--quick" in sys.argv, rows=n), indent=2))
