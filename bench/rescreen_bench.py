"""Re-screening after a list update: 100,000 ingested parties against the full BIS list.

Version 1 of the list lacks 20 real entries; 40 of the 100,000 account holders and
payers are variants of those entries' names (case, abbreviations, company forms, word
order, a typo), the rest fictional. The baseline run screens everything; version 2 adds
the 20 entries back. The workspace is then copied: one copy is re-screened as the
default does (delta: only the parties the 20 entries can touch), the other with the full
sweep (`rescreen --full`), in the same run. Both must raise the same alerts: a new match
on the planted parties and on nothing else. Seeded. Detectors are left out
(bench/detectors_bench.py). Each re-screen runs in a fresh process, as the command does;
the seconds are the re-screen's own, the process seconds add Python's start-up and imports.

    .venv/bin/python bench/rescreen_bench.py [--quick]
"""

from __future__ import annotations

import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from screening_bench import FICTIONAL_WORDS, FORMS, GENERIC, LIST_FILE, variant

from computewatch.rescreen import rescreen
from computewatch.sources.lists import read_list
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

DAY = date(2026, 11, 25)
HELD_BACK = 20


def _fictional(rng: random.Random) -> str:
    words = rng.sample(FICTIONAL_WORDS, 2) + [rng.choice(GENERIC)]
    return f"{' '.join(words)} {rng.randrange(1, 999)} {rng.choice(FORMS)}"


def _accounts(path: Path, n: int, planted: list[tuple[str, str]], rng: random.Random) -> set[str]:
    """n accounts; returns the ids whose holder or payer is a planted variant of a held-back entry."""
    hits: set[str] = set()
    slots = rng.sample(range(n), len(planted))
    by_slot = dict(zip(slots, planted, strict=True))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "holder_name", "country", "created_at", "payer_name", "billing_country"])
        for i in range(n):
            holder, payer = _fictional(rng), ""
            if i in by_slot:
                name = by_slot[i][1]
                if rng.random() < 0.5:
                    holder = name
                else:
                    payer = name
                hits.add(f"acc-{i}")
            w.writerow([f"acc-{i}", holder, rng.choice(["SG", "MY", "HK", "AE", "DE"]), "2026-01-01", payer, ""])
    return hits


def _timed_rescreen(path: Path, full: bool) -> dict[str, Any]:
    """One re-screen in a process of its own, as `computewatch rescreen` runs it: nothing the
    bench process analysed or cached before is there to flatter it (the workspace's own cache is)."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one", str(path), *(["--full"] if full else [])],
                          capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    result["process_seconds"] = time.perf_counter() - t
    return result


def _one(path: Path, full: bool) -> None:
    with Workspace(path) as ws:
        t = time.perf_counter()
        report = rescreen(ws, DAY, run_detectors=False, full=full)
        seconds = time.perf_counter() - t
    alerts = sorted([a.detector, list(a.subjects)] for a in report.alerts)
    print(json.dumps({"seconds": seconds, "alerts": alerts, "parties": report.parties, "screened": report.screened,
                      "mode": report.mode, "stage_seconds": report.summary()["seconds"]}))  # fmt: skip


def run(quick: bool = False) -> dict[str, Any]:
    n = 5_000 if quick else 100_000
    rng = random.Random(11)
    fmt, records = read_list(LIST_FILE)
    companies = [r for r in records if r.to_list_entity("x").schema != "Person" and len(r.to_list_entity("x").names[0]) > 12]
    held = rng.sample(companies, HELD_BACK)
    held_ids = {r.id for r in held}
    planted = [(r.id, variant(r.to_list_entity("x").names[0], rng)) for r in held for _ in range(2)]
    with tempfile.TemporaryDirectory(prefix="cw-rescreen-bench-") as tmp:
        folder = Path(tmp)
        accounts = folder / "accounts.csv"
        expected = _accounts(accounts, n, planted, rng)
        with Workspace(folder / "ws") as ws:
            ws.load_list("us_trade_csl", [r for r in records if r.id not in held_ids], LIST_FILE, fmt)
            load_operations(ws, "accounts", [accounts])
            t = time.perf_counter()
            base = rescreen(ws, DAY, run_detectors=False)
            base_s = time.perf_counter() - t
            ws.load_list("us_trade_csl", records, LIST_FILE, fmt)
        shutil.copytree(folder / "ws", folder / "ws-full")
        after = _timed_rescreen(folder / "ws", full=False)
        swept = _timed_rescreen(folder / "ws-full", full=True)
        delta_s, full_s = after["seconds"], swept["seconds"]
        new = [subjects for detector, subjects in after["alerts"] if detector == "rescreen-list-match"]
        found = {subjects[0] for subjects in new if subjects[1] in held_ids}
        wrong = [subjects for subjects in new if subjects[0] not in expected or subjects[1] not in held_ids]
    return {
        "accounts": n,
        "parties": after["parties"],
        "list_update_entries_added": HELD_BACK,
        "baseline_seconds": round(base_s, 2),
        "delta_rescreen_seconds": round(delta_s, 2),
        "delta_process_seconds": round(after["process_seconds"], 2),
        "delta_parties_screened": after["screened"],
        "delta_mode": after["mode"],
        "full_rescreen_seconds": round(full_s, 2),
        "full_process_seconds": round(swept["process_seconds"], 2),
        "full_parties_screened": swept["screened"],
        "full_parties_per_second": round(swept["parties"] / full_s),
        "delta_cost_share_of_full": round(delta_s / full_s, 4),
        "delta_process_share_of_full_process": round(after["process_seconds"] / swept["process_seconds"], 4),
        "delta_alerts_equal_full_alerts": after["alerts"] == swept["alerts"],
        "planted": len(expected),
        "planted_found": len(found & expected),
        "recall": round(len(found & expected) / len(expected), 3),
        "new_alerts": len(new),
        "unexpected_alerts": len(wrong),
        "baseline_matches": base.matches,
        "delta_stage_seconds": after["stage_seconds"],
        "full_stage_seconds": swept["stage_seconds"],
        "peak_rss_mb_bench_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mb_rescreen_processes": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


if __name__ == "__main__":
    if "--one" in sys.argv:
        _one(Path(sys.argv[sys.argv.index("--one") + 1]), full="--full" in sys.argv)
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
