"""`make bench`: every benchmark, results written to one JSON file.

    .venv/bin/python bench/run.py --out bench/results.json [--quick] [--only screening,locate [--merge]]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHES = ["screening_bench", "locate_bench", "fleet_bench", "tenders_bench", "graph_bench", "detectors_bench", "shipments_bench", "rescreen_bench", "api_bench", "biglist_bench"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", default="", help="comma-separated bench names (screening, locate, ...)")
    parser.add_argument("--merge", action="store_true", help="keep the other benches' figures already in --out (with their own start times)")
    args = parser.parse_args()
    wanted = {f"{n.strip()}_bench" for n in args.only.split(",") if n.strip()}
    started = datetime.now(UTC).isoformat(timespec="seconds")
    results: dict[str, object] = json.loads(args.out.read_text()) if args.merge and args.out.exists() else {}
    results.update({"started": started, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()}, "quick": args.quick})  # fmt: skip
    runs = results.setdefault("runs", {})
    assert isinstance(runs, dict)
    for name in BENCHES:
        if wanted and name not in wanted:
            continue
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        print(f"running {name} ...", flush=True)
        t = time.perf_counter()
        module = importlib.import_module(name)
        results[name.removesuffix("_bench")] = module.run(quick=args.quick)
        runs[name.removesuffix("_bench")] = {"started": started, "quick": args.quick}  # when each figure was measured
        print(f"  done in {time.perf_counter() - t:.1f}s: {json.dumps(results[name.removesuffix('_bench')])[:400]}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    tmp.replace(args.out)
    print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
