"""Benchmark: shipments scored per second (target: 1M shipments in under 60 s on 2 cores), and how well the
alerts find the diverted shipments the generator planted (precision and recall against its ground truth).

run(quick, workers) -> dict. `generate` writes N fictional shipments with DuckDB: 20k consignees across the
hubs, most of them ordinary distributors buying at market prices (per item, `ITEMS`) for their own country,
with the noise of real trade (a parent company paying from abroad, end users not named, customers as end
users, uncontrolled goods to CN); and about 2% of them shell companies in transshipment hubs, in networks
sharing an address and a phone, whose shipments of controlled items are diverted: each carries some of the
traces diversion leaves (a destination or payer of concern, no end user, a third-country payer,
misdescription as graphics cards or parts at the price of the chips, a residential address), and some carry
none. The column `diverted` is the ground truth (kept by `ingest shipments` as an extra column; the scorer
never reads it). The run times `ingest shipments`, then scoring every shipment with the per-consignee roll-up
as `shipments score` does (shipments/batch.py: chunks of whole consignees on `workers` processes, 0 = one per
CPU), then compares the alerts with the truth.

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

# (description, market price per unit in USD low-high, HS code or '', 3A090/4A090) -- what such items sell for
ITEMS = [
    ("GPU server, 8x NVIDIA H100 SXM5 80GB", 250_000, 400_000, "8471.50", True),
    ("AI server with 8 x H200 141GB", 300_000, 450_000, "8471.50", True),
    ("HGX H100 8-GPU server", 250_000, 400_000, "8471.50", True),
    ("NVIDIA DGX H100 system", 300_000, 450_000, "8471.50", True),
    ("NVIDIA H100 PCIe 80GB accelerator card", 22_000, 35_000, "8473.30", True),
    ("NVIDIA A100 80GB accelerator card", 10_000, 18_000, "8473.30", True),
    ("NVIDIA A100 40GB PCIe", 8_000, 14_000, "8473.30", True),
    ("NVIDIA B200 GPU", 35_000, 50_000, "8542.31", True),
    ("H20 GPU module", 10_000, 15_000, "8471.80", True),
    ("服务器 H20 8卡", 110_000, 180_000, "8471.50", True),
    ("AI server 4x A100 PCIe", 60_000, 110_000, "8471.50", True),
    ("NVIDIA L40S", 7_000, 12_000, "8473.30", True),
    ("AMD MI300X accelerator", 15_000, 25_000, "8473.30", True),
    ("Gaudi 3 accelerator card", 12_000, 20_000, "8473.30", True),
    ("GeForce RTX 4090 graphics cards", 1_600, 2_500, "8473.30", True),
    ("RTX 3060 graphics card", 250, 400, "8473.30", False),
    ("graphics cards", 200, 1_500, "", False),
    ("computer parts", 20, 800, "", False),
    ("rack server 2U", 4_000, 15_000, "8471.50", False),
    ("storage server", 8_000, 30_000, "8471.50", False),
    ("network switches", 2_000, 20_000, "", False),
    ("laptop computers", 700, 2_500, "", False),
    ("office chairs", 80, 400, "", False),
    ("printer toner", 30, 150, "", False),
]  # fmt: skip
DIVERTED_ITEMS = [i for i, item in enumerate(ITEMS) if item[4] and item[1] >= 8_000]  # datacenter chips and servers
CONTROLLED_ITEMS = [i for i, item in enumerate(ITEMS) if item[4]]
NO_LICENCE_NEEDED = ["US", "DE", "JP", "GB"]  # ordinary trade elsewhere ships controlled items under a licence
# an ordinary consignee trades in one line of business (items of one kind, at one typical order size)
LINES = {
    "servers": ([d for d, lo, *_ in ITEMS if lo >= 50_000] + ["rack server 2U", "storage server"], 1, 4),
    "accelerators": ([d for d, lo, hi, _, c in ITEMS if c and 5_000 <= lo < 50_000 or d.startswith("NVIDIA L40S")], 2, 16),
    "pc": (["GeForce RTX 4090 graphics cards", "RTX 3060 graphics card", "graphics cards", "computer parts", "laptop computers"], 5, 50),
    "office": (["office chairs", "printer toner", "network switches", "laptop computers"], 10, 50),
}
HUBS = ["SG", "MY", "TH", "AE", "HK", "VN", "IN", "US", "DE", "JP"]  # consignee c is in HUBS[c % 10]
SHELL_HUBS = ["SG", "MY", "TH", "AE", "HK"]
SHELLS_PER_MILLE = 20  # about 2% of consignees are shells
NETWORKS = 60  # shells come in networks sharing an address and a phone
AS_OF = date(2026, 11, 25)


def _list(values: list[Any]) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" if isinstance(v, str) else str(v) for v in values) + "]"


def generate(path: Path, n: int, consignees: int = 20_000, seed: int = 7) -> None:
    """N shipments to `consignees` consignees, with the ground truth in the column `diverted` (deterministic for a seed)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE MACRO u(i, k) AS ((hash(i, k, {seed}) % 1000003) / 1000003.0)")  # uniform in [0, 1), per row and purpose
    con.execute("CREATE MACRO pick(arr, x) AS arr[1 + CAST(floor(x * len(arr)) AS INTEGER)]")
    desc, low, high = _list([i[0] for i in ITEMS]), _list([i[1] for i in ITEMS]), _list([i[2] for i in ITEMS])
    hs, ctrl = _list([i[3] for i in ITEMS]), _list([1 + i for i in DIVERTED_ITEMS])
    index = {item[0]: i + 1 for i, item in enumerate(ITEMS)}
    lines = "[" + ", ".join(_list([index[d] for d in items]) for items, _, _ in LINES.values()) + "]"
    q_low, q_high = _list([lo for _, lo, _ in LINES.values()]), _list([hi for _, _, hi in LINES.values()])
    controlled = _list([1 + i for i in CONTROLLED_ITEMS])
    con.execute(f"""COPY (
        WITH rows AS (
            SELECT i, CAST(floor(u(i, 1) * {consignees}) AS INTEGER) AS c FROM range({n}) t(i)
        ), who AS (
            SELECT i, c, c >= 100 AND (hash(c, 2, {seed}) % 1000) < {SHELLS_PER_MILLE} AS shell,
                   CAST(hash(c, 3, {seed}) % {NETWORKS} AS INTEGER) AS network,
                   (hash(c, 4, {seed}) % 5) = 0 AS residential,
                   1 + (c // 10) % {len(LINES)} AS line,                -- consignees 0-9 sell servers, 10-19 accelerators...
                   u(c, 9) AS size                                      -- the consignee's typical order size
            FROM rows
        ), shipped AS (
            SELECT *,
                CASE WHEN shell THEN pick({ctrl}, u(i, 5)) ELSE pick({lines}[line], u(i, 5)) END AS item,
                CASE WHEN shell THEN {_list(SHELL_HUBS)}[1 + c % {len(SHELL_HUBS)}] ELSE {_list(HUBS)}[1 + c % 10] END AS country
            FROM who
        ), traced AS (
            SELECT *,
                shell AND u(i, 10) < 0.45 AS to_concern,        -- declared destination of concern
                shell AND u(i, 11) < 0.30 AS paid_from_concern,
                shell AND u(i, 12) < 0.45 AS no_end_user,
                shell AND u(i, 13) < 0.15 AS third_payer,
                shell AND u(i, 14) < 0.20 AS misdescribed,      -- declared as graphics cards or parts, at the chips' price
                list_contains({controlled}, item) AS controlled,
                {low}[item] + u(i, 6) * ({high}[item] - {low}[item]) AS unit_price,
                greatest(1, CAST(round((CASE WHEN shell THEN (CASE WHEN {high}[item] >= 100000 THEN 2 + 6 * size ELSE 4 + 12 * size END)
                                             ELSE {q_low}[line] + ({q_high}[line] - {q_low}[line]) * size END)
                                       * (0.6 + 0.8 * u(i, 7))) AS INTEGER)) AS quantity
            FROM shipped
        )
        SELECT 'B' || i AS shipment_id,
            DATE '2024-01-01' + CAST(floor(u(i, 20) * 1050) AS INTEGER) AS date,
            'Shipper ' || (i % 50) || ' Inc.' AS shipper,
            'Consignee ' || c || (CASE WHEN c % 7 = 0 AND c < 100 THEN ' Logistics' ELSE '' END) || ' Pte. Ltd.' AS consignee,
            country AS consignee_country,
            CASE WHEN to_concern THEN (CASE WHEN u(i, 21) < 0.85 THEN 'CN' ELSE 'RU' END)
                 WHEN NOT shell AND NOT controlled AND u(i, 21) < 0.10 THEN 'CN'   -- uncontrolled goods to CN: ordinary trade
                 WHEN NOT shell AND u(i, 21) < 0.08 THEN {_list([h for h in HUBS if h != "HK"])}[1 + CAST(floor(u(i, 22) * 9) AS INTEGER)]
                 ELSE country END AS destination_country,
            CASE WHEN misdescribed THEN pick(['graphics cards', 'computer parts', 'GPU accessories'], u(i, 23)) ELSE {desc}[item] END AS description,
            quantity,
            round(quantity * unit_price, 2) AS value_usd,
            CASE WHEN no_end_user THEN NULL
                 WHEN shell THEN 'Consignee ' || c || ' Pte. Ltd.'
                 WHEN u(i, 24) < 0.12 THEN NULL                                   -- distributors often name none
                 WHEN u(i, 24) < 0.45 THEN 'End User ' || (hash(i, 25, {seed}) % 5000) || ' Ltd.'   -- a customer of theirs
                 ELSE 'Consignee ' || c || (CASE WHEN c % 7 = 0 AND c < 100 THEN ' Logistics' ELSE '' END) || ' Pte. Ltd.' END AS end_user,
            NULL AS notify_party,
            CASE WHEN paid_from_concern THEN (CASE WHEN country = 'HK' OR u(i, 26) < 0.7 THEN 'CN' ELSE 'HK' END)
                 WHEN third_payer THEN pick(['VN', 'AE', 'KH', 'LA'], u(i, 26))
                 WHEN NOT shell AND u(i, 26) < 0.05 THEN pick(['US', 'DE', 'JP', 'GB'], u(i, 27))  -- a parent company pays
                 ELSE country END AS payer_country,
            NULL AS freight_forwarder,
            CASE WHEN misdescribed THEN NULL WHEN u(i, 28) < 0.6 THEN nullif({hs}[item], '') END AS hs_code,
            CASE WHEN shell AND residential THEN 'Apartment ' || c || ', Sunrise Condominium'
                 WHEN shell THEN 'Unit ' || network || ', 9 Fictional Tower Road'
                 WHEN c % 20 = 0 THEN 'Tower ' || (c % 40) || ', Fictional Business Park'   -- ~25 tenants each
                 ELSE c || ' Industrial Avenue' END AS consignee_address,
            CASE WHEN shell THEN '+852 5' || lpad(CAST(network AS VARCHAR), 7, '0')
                 ELSE '+65 6' || lpad(CAST(c AS VARCHAR), 7, '0') END AS consignee_phone,
            CASE WHEN NOT shell AND controlled AND destination_country NOT IN {tuple(NO_LICENCE_NEEDED)} THEN 'BIS-L-' || c || '-' || (i % 97) END
                AS licence_number,
            shell AND controlled AS diverted
        FROM traced
    ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def quality(scores: Path, truth: Path) -> dict[str, Any]:
    """Precision and recall of the shipment alerts against the generator's truth, and the rates the review named:
    alerts without a flag on the route or the parties, and alerts on domestic shipments paid at home."""
    import duckdb

    diverted: dict[str, bool] = {}
    domestic: set[str] = set()
    for sid, div, cc, dest, payer in duckdb.sql(
        f"SELECT shipment_id, diverted, consignee_country, destination_country, payer_country FROM read_csv('{truth}', header=true)"
    ).fetchall():
        diverted[sid] = bool(div)
        if cc == dest == payer:
            domestic.add(sid)
    price_only = {"value_off_market", "description_mismatch"}
    tp = fp = alerts_price_only = domestic_alerts = 0
    with scores.open("rb") as fh:
        for line in fh:
            if b'"alert":true' not in line:
                continue
            s = orjson.loads(line)
            if diverted[s["shipment_id"]]:
                tp += 1
            else:
                fp += 1
            if {h["id"] for h in s["flags"] if h["applied_weight"] > 0} <= price_only:
                alerts_price_only += 1
            domestic_alerts += s["shipment_id"] in domestic
    positives = sum(diverted.values())
    normal_domestic = sum(1 for sid in domestic if not diverted[sid])
    return {
        "diverted": positives, "alerts": tp + fp, "true_positives": tp, "false_positives": fp,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None, "recall": round(tp / positives, 4) if positives else None,
        "alerts_on_price_flags_only": alerts_price_only,
        "domestic_paid_at_home_alert_rate": round(domestic_alerts / len(domestic), 4) if domestic else None,
        "domestic_paid_at_home_normal_shipments": normal_domestic,
    }  # fmt: skip


def run(quick: bool = False, workers: int = 0) -> dict[str, Any]:
    n = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="cw-ship-bench-") as tmp:
        csv_path = Path(tmp) / "shipments.csv"
        t = time.perf_counter()
        generate(csv_path, n, consignees=20_000 if n >= 1_000_000 else max(300, n // 50))  # ~50 shipments per consignee
        gen_s = time.perf_counter() - t
        with Workspace(Path(tmp) / "ws") as ws:
            t = time.perf_counter()
            report = load_shipments(ws, [csv_path])
            ingest_s = time.perf_counter() - t
            t = time.perf_counter()
            with (Path(tmp) / "scores.jsonl").open("wb") as fh:
                scorer = ShipmentScorer(ws, None, AS_OF)
                summary = write_scores(scorer, fh, workers=workers)
            score_s = time.perf_counter() - t
        found = quality(Path(tmp) / "scores.jsonl", csv_path)
    return {
        "shipments": n, "loaded": report.loaded, "generate_s": round(gen_s, 1), "ingest_s": round(ingest_s, 1),
        "score_s": round(score_s, 1), "scored": summary.shipments, "shipments_per_s": round(summary.shipments / score_s),
        "workers": workers_for(workers) if n >= SERIAL_BELOW else 1, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_workers_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "alerts": summary.alerts, "consignees": summary.consignees, "target_s": 60, "met": score_s < 60,
        **found,
        "note": "screening off (no lists): screening is per distinct party name, cached; see screening_bench. "
        "precision/recall: shipment alerts against the generator's ground truth (diverted shipments of shells)",
    }  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 0
    result = run(quick="--quick" in args, workers=workers)
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
