"""Ownership graph at scale: load 1M entities and 2M relationships, then time ultimate-owner queries.

The synthetic graph looks like a company register: corporate groups of 1-40
companies (holding chains, a few cross-holdings and cycles), people owning and
directing them, and minority stakes across groups. It goes through the real
path: FollowTheMoney JSON lines -> sources/entities.py -> GraphStore.load ->
owners_report. Seeded, so every run builds the same graph.

    .venv/bin/python bench/graph_bench.py          # full: 1M entities, 2M relationships
    .venv/bin/python bench/graph_bench.py --quick  # 50k entities, 100k relationships
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from computewatch.graph.ownership import collect, ownership_paths
from computewatch.graph.report import owners_report
from computewatch.graph.store import GraphStore
from computewatch.settings.graph import GraphSettings
from computewatch.sources.entities import read_entities
from computewatch.workspace import Workspace

AS_OF = date(2026, 11, 25)


def write_graph(path: Path, entities: int, relationships: int, rng: random.Random) -> tuple[int, int, list[str]]:
    """Write the synthetic register; returns (entities, relationships, deep company ids to query)."""
    n_people = entities // 5
    n_companies = entities - n_people
    rels = 0
    deep: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        w = fh.write
        for p in range(n_people):
            w(f'{{"id":"p{p}","schema":"Person","properties":{{"name":["Person {p}"],"nationality":["{rng.choice("SG MY CN HK US GB DE".split())}"]}}}}\n')
        c = 0
        own_budget = int(relationships * 0.7)
        while c < n_companies:
            size = min(rng.randint(1, 40), n_companies - c)
            base = c
            for i in range(size):
                cid = c + i
                country = rng.choice("SG MY CN HK AE TH GB US DE JP".split())
                w(f'{{"id":"c{cid}","schema":"Company","properties":{{"name":["Company {cid} Ltd"],"country":["{country}"],'
                  f'"registrationNumber":["R{cid:08d}"],"incorporationDate":["{rng.randint(1990, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]}}}}\n')  # fmt: skip
                if i == 0 or rels >= own_budget:
                    owner = f"p{rng.randrange(n_people)}"
                    w(f'{{"id":"r{rels}","schema":"Ownership","properties":{{"owner":["{owner}"],"asset":["c{cid}"],"percentage":["100"]}}}}\n')
                    rels += 1
                    continue
                parents = rng.sample(range(base, cid), min(cid - base, rng.choice((1, 1, 2, 2, 3))))
                left = 100.0
                for k, parent in enumerate(parents):
                    pct = left if k == len(parents) - 1 else round(rng.uniform(10, left - 10), 2)
                    left -= pct
                    w(f'{{"id":"r{rels}","schema":"Ownership","properties":{{"owner":["c{parent}"],"asset":["c{cid}"],"percentage":["{pct:g}"],"startDate":["2015-01-01"]}}}}\n')
                    rels += 1
                if i == size - 1 and size > 20:
                    deep.append(f"c{cid}")
            if size > 3 and rng.random() < 0.05:  # a cross-holding back up the group: a cycle
                w(f'{{"id":"r{rels}","schema":"Ownership","properties":{{"owner":["c{base + size - 1}"],"asset":["c{base}"],"percentage":["5"]}}}}\n')
                rels += 1
            c += size
        while rels < relationships:  # directorships, then minority stakes across groups
            if rng.random() < 0.85:
                w(f'{{"id":"r{rels}","schema":"Directorship","properties":{{"director":["p{rng.randrange(n_people)}"],"organization":["c{rng.randrange(n_companies)}"]}}}}\n')
            else:
                a, b = rng.randrange(n_companies), rng.randrange(n_companies)
                if a != b:
                    w(f'{{"id":"r{rels}","schema":"Ownership","properties":{{"owner":["c{a}"],"asset":["c{b}"],"percentage":["{rng.uniform(0.5, 9):.2f}"]}}}}\n')
            rels += 1
    return entities, rels, deep


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50": round(statistics.median(times) * 1000, 2),
        "p95": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
        "max": round(times[-1] * 1000, 2),
    }


def run(quick: bool = False) -> dict[str, Any]:
    entities, relationships, queries = (50_000, 100_000, 100) if quick else (1_000_000, 2_000_000, 300)
    rng = random.Random(20261125)
    result: dict[str, Any] = {"entities": entities, "relationships": relationships}
    with tempfile.TemporaryDirectory(prefix="cw-graph-bench-") as tmp:
        data = Path(tmp) / "register.jsonl"
        t = time.perf_counter()
        _, rels, deep = write_graph(data, entities, relationships, rng)
        result["generate_s"] = round(time.perf_counter() - t, 1)
        result["relationships"] = rels
        with Workspace(Path(tmp) / "ws") as ws:
            t = time.perf_counter()
            batch = read_entities([data])
            result["parse_s"] = round(time.perf_counter() - t, 1)
            store = GraphStore(ws)
            summary = store.load(batch, [data])
            result["load_s"] = round(time.perf_counter() - t, 1)
            result["loaded"] = {"entities": summary.entities, "relations": summary.relations, "problems": summary.problems}
            del batch
            settings = GraphSettings()
            ids = [f"c{rng.randrange(entities - entities // 5)}" for _ in range(queries)]
            targets = {"random companies": ids, "deepest member of large groups": deep[:queries]}
            runs = [(f"{label} (DuckDB index lookups)", sample) for label, sample in targets.items()]
            runs += [(f"{label} (in-memory ownership index)", sample) for label, sample in targets.items()]
            for label, sample in runs:
                if "in-memory" in label and store._owners_cache is None:
                    t = time.perf_counter()
                    store.preload_ownership()
                    result["preload_ownership_index_s"] = round(time.perf_counter() - t, 1)
                owner_times, report_times, owners = [], [], []
                for eid in sample:
                    t = time.perf_counter()
                    found = ownership_paths(collect(store, eid, AS_OF, settings), settings)
                    owner_times.append(time.perf_counter() - t)
                    owners.append(len(found.owners))
                    t = time.perf_counter()
                    owners_report(store, eid, AS_OF, None, settings, successors=False)
                    report_times.append(time.perf_counter() - t)
                result[label] = {
                    "queries": len(sample),
                    "ultimate_owners_ms": _percentiles(owner_times),
                    "full_report_ms": _percentiles(report_times),
                    "owners_per_query_mean": round(statistics.mean(owners), 1),
                }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
