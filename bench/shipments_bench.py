"""Benchmark: shipments scored per second (target: 1M shipments in under 60 s on 2 cores).

run(quick, workers) -> dict. Generates N fictional shipments in DuckDB (20k consignees across
the hubs, 24 descriptions naming chips, servers, graphics cards and office goods, end users,
payers, addresses), writes them to CSV and times `ingest shipments`, then times scoring every
shipment with the per-consignee roll-up, writing the JSON lines, as `shipments score` does
(shipments/batch.py: chunks of whole consignees on `workers` processes, 0 = one per CPU).

    .venv/bin/python bench/shipments_bench.py [--quick] [--workers N]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from computewatch.shipments.batch import SERIAL_BELOW, workers_for, write_scores
from computewatch.shipments.scoring import ShipmentScorer
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

DESCRIPTIONS = [
    "GPU server, 8x NVIDIA H100 SXM5 80GB", "AI server with 8 x H200 141GB", "HGX H100 8-GPU server", "NVIDIA DGX H100 system",
    "NVIDIA H100 PCIe 80GB accelerator card", "NVIDIA A100 80GB accelerator card", "NVIDIA A100 40GB PCIe", "NVIDIA L40S",
    "H20 GPU module", "graphics cards", "GeForce RTX 4090 graphics cards", "RTX 3060 graphics card", "computer parts",
    "rack server 2U", "office chairs", "printer toner", "AI server 4x A100 PCIe", "服务器 H20 8卡", "NVIDIA B200 GPU",
    "AMD MI300X accelerator", "Gaudi 3 accelerator card", "storage server", "network switches", "laptop computers",
]  # fmt: skip
HUBS = ["SG", "MY", "TH", "AE", "HK", "VN", "IN", "US", "DE", "JP"]
DEST = ["SG", "MY", "TH", "AE", "CN", "VN", "IN", "US", "DE", "JP"]


def generate(path: Path, n: int, consignees: int = 20_000, seed: int = 7) -> None:
    import duckdb

    con = duckdb.connect()
    descs = "[" + ", ".join("'" + d.replace("'", "''") + "'" for d in DESCRIPTIONS) + "]"
    hubs = "[" + ", ".join(f"'{c}'" for c in HUBS) + "]"
    dest = "[" + ", ".join(f"'{c}'" for c in DEST) + "]"
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute(f"""COPY (
        SELECT 'B' || i AS shipment_id,
               DATE '2024-01-01' + CAST(floor(random() * 1050) AS INTEGER) AS date,
               'Shipper ' || (i % 50) || ' Inc.' AS shipper,
               'Consignee ' || c || (CASE WHEN c % 7 = 0 THEN ' Logistics' ELSE '' END) || ' Pte. Ltd.' AS consignee,
               {hubs}[1 + c % 10] AS consignee_country,
               CASE WHEN random() < 0.85 THEN {hubs}[1 + c % 10] ELSE {dest}[1 + CAST(floor(random() * 10) AS INTEGER)] END AS destination_country,
               {descs}[1 + CAST(floor(random() * {len(DESCRIPTIONS)}) AS INTEGER)] AS description,
               1 + CAST(floor(random() * 40) AS INTEGER) AS quantity,
               round(random() * 400000, 2) AS value_usd,
               CASE WHEN random() < 0.2 THEN NULL WHEN random() < 0.5 THEN 'Consignee ' || c || ' Pte. Ltd.' ELSE 'End User ' || (i % 5000) END AS end_user,
               NULL AS notify_party,
               CASE WHEN random() < 0.1 THEN 'CN' WHEN random() < 0.1 THEN 'HK' ELSE {hubs}[1 + c % 10] END AS payer_country,
               NULL AS freight_forwarder,
               CASE WHEN random() < 0.3 THEN '8471.50' ELSE NULL END AS hs_code,
               CASE WHEN c % 13 = 0 THEN 'Apartment ' || c || ', Sunrise Condominium' ELSE (c % 3000) || ' Industrial Avenue' END AS consignee_address,
               '+65 6' || lpad(CAST(c % 9000 AS VARCHAR), 7, '0') AS consignee_phone
        FROM (SELECT i, CAST(floor(random() * {consignees}) AS INTEGER) AS c FROM range({n}) t(i))
    ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def run(quick: bool = False, workers: int = 0) -> dict[str, Any]:
    n = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="cw-ship-bench-") as tmp:
        csv_path = Path(tmp) / "shipments.csv"
        t = time.perf_counter()
        generate(csv_path, n)
        gen_s = time.perf_counter() - t
        with Workspace(Path(tmp) / "ws") as ws:
            t = time.perf_counter()
            report = load_shipments(ws, [csv_path])
            ingest_s = time.perf_counter() - t
            t = time.perf_counter()
            with (Path(tmp) / "scores.jsonl").open("wb") as fh:
                scorer = ShipmentScorer(ws, None, date(2026, 11, 25))
                summary = write_scores(scorer, fh, workers=workers)
            score_s = time.perf_counter() - t
    return {
        "shipments": n, "loaded": report.loaded, "generate_s": round(gen_s, 1), "ingest_s": round(ingest_s, 1),
        "score_s": round(score_s, 1), "scored": summary.shipments, "shipments_per_s": round(summary.shipments / score_s),
        "workers": workers_for(workers) if n >= SERIAL_BELOW else 1, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_workers_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "alerts": summary.alerts, "consignees": summary.consignees, "target_s": 60, "met": score_s < 60,
        "note": "screening off (no lists): screening is per distinct party name, cached; see screening_bench",
    }  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 0
    result = run(quick="--quick" in args, workers=workers)
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
