"""Screening throughput and recall: 100,000 queries against the full list, and a brute-force baseline.

Queries are variants of real list names (case, punctuation, abbreviations,
company-type forms, word order, one typo) whose expected entity is known, and
fictional names that must not match. Seeded, so every run screens the same queries.
"""

from __future__ import annotations

import os
import random
import re
import resource
import string
import time
from pathlib import Path
from typing import Any

from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener
from computewatch.sources.lists import read_list

LIST_FILE = Path(__file__).resolve().parents[1] / "src/computewatch/data/lists/bis-lists.csl.csv"
ABBREVIATIONS = [("Technology", "Tech"), ("International", "Intl"), ("Group", "Grp"), ("Company", "Co"), ("University", "Univ")]
FORMS = ["Co., Ltd.", "Company Limited", "Limited", "Ltd", "LLC", "Pte. Ltd.", "Sdn. Bhd.", "FZE"]
FICTIONAL_WORDS = ["Amber", "Brightlake", "Cobalt", "Dunmore", "Elmstead", "Fernhill", "Glenrock", "Harrowgate",
                   "Ivory", "Juniper", "Kestrel", "Larkspur", "Millbrook", "Northgate", "Oakridge", "Pinecrest",
                   "Quarry", "Redfern", "Silverton", "Thornbury", "Upland", "Valemont", "Westbrook", "Yarrow"]
GENERIC = ["Technology", "Trading", "Electronics", "Logistics", "Systems", "Solutions", "Industrial", "Data"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def variant(name: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    words = name.split()
    if kind == 0:
        return name.upper() if rng.random() < 0.5 else re.sub(r"[.,()]", "", name).lower()
    if kind == 1:
        for long, short in ABBREVIATIONS:
            name = name.replace(long, short)
        return name
    if kind == 2:
        return re.sub(r"\b(Co\.,? Ltd\.?|Company Limited|Limited|Ltd\.?|LLC)$", rng.choice(FORMS), name)
    if kind == 3 and len(words) > 2:
        # 'Beijing X Technology Co., Ltd.' -> 'X Technology (Beijing) Co., Ltd.'
        m = re.search(r"\s(Co\.,? Ltd\.?|Company Limited|Limited|Ltd\.?|LLC)$", name)
        if m:
            head = name[: m.start()].split()
            return " ".join(head[1:]) + f" ({head[0]})" + m.group(0)
        return " ".join(words[1:] + words[:1])
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = _typo(words[longest], rng)
    return " ".join(words)


def fictional(rng: random.Random) -> str:
    return f"{rng.choice(FICTIONAL_WORDS)} {rng.choice(FICTIONAL_WORDS)}{rng.choice(['', 'ia', 'ex'])} {rng.choice(GENERIC)} {rng.choice(FORMS)}"


def make_queries(entities: list[ListEntity], n: int, seed: int = 7) -> list[tuple[Query, str | None]]:
    rng = random.Random(seed)
    out: list[tuple[Query, str | None]] = []
    for i in range(n):
        if rng.random() < 0.7:
            e = rng.choice(entities)
            out.append((Query(variant(rng.choice(e.names), rng), str(i)), e.id))
        else:
            out.append((Query(fictional(rng), str(i)), None))
    return out


def _recall(results: list[tuple[str | None, set[str]]]) -> dict[str, float]:
    pos = [(exp, got) for exp, got in results if exp]
    neg = [got for exp, got in results if not exp]
    return {
        "recall": sum(exp in got for exp, got in pos) / max(len(pos), 1),
        "false_alarm_rate": sum(bool(got) for got in neg) / max(len(neg), 1),
    }


def brute_force_baseline(entities: list[ListEntity], queries: list[tuple[Query, str | None]], cutoff: float = 85.0) -> dict[str, Any]:
    """rapidfuzz token_sort_ratio of every query against every list name (no blocking)."""
    from rapidfuzz import fuzz, process, utils

    names, owners = [], []
    for e in entities:
        for n in e.names:
            names.append(utils.default_process(n))
            owners.append(e.id)
    t = time.perf_counter()
    matrix = process.cdist([utils.default_process(q.name) for q, _ in queries], names, scorer=fuzz.token_sort_ratio, workers=-1, dtype="uint8")
    elapsed = time.perf_counter() - t
    results = []
    for row, (_, exp) in zip(matrix, queries, strict=True):
        results.append((exp, {owners[j] for j in (row >= cutoff).nonzero()[0]}))
    return {"queries": len(queries), "seconds": round(elapsed, 3), "queries_per_second": round(len(queries) / elapsed, 1), "cutoff": cutoff, **_recall(results)}


EVAL_CASES = Path(__file__).resolve().parents[1] / "eval/screening/cases.csv"
NEGATIVE_FORMS = {"near_miss_same_city", "near_miss_generic", "unrelated", "near_miss_person", "near_miss_cyrillic"}  # as eval/screening/run.py


def cross_script_comparison(screener: Screener, entities: list[ListEntity], cutoff: float = 85.0) -> dict[str, Any]:
    """computewatch and the brute-force baseline on the evaluation set (Han, pinyin and Latin forms)."""
    import csv

    from rapidfuzz import fuzz, process, utils

    with EVAL_CASES.open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    names, owners = [], []
    for e in entities:
        for n in e.names:
            names.append(utils.default_process(n))
            owners.append(e.id)
    matrix = process.cdist([utils.default_process(c["query"]) for c in cases], names, scorer=fuzz.token_sort_ratio, workers=-1, dtype="uint8")
    ours, theirs = [], []
    for case, row in zip(cases, matrix, strict=True):
        expected = None if case["form"] in NEGATIVE_FORMS else f"csl-{case['expected_id']}"
        found = {m.entity.id for m in screener.screen(Query(case["query"], country=case["country"])) if m.match}
        ours.append((expected, found))
        theirs.append((expected, {owners[j] for j in (row >= cutoff).nonzero()[0]}))
    return {"cases": len(cases), "computewatch": _recall(ours), "baseline_rapidfuzz_token_sort_85": _recall(theirs)}


def distinct_queries(entities: list[ListEntity], n: int, seed: int = 7) -> list[tuple[Query, str | None]]:
    """n queries with n different names (make_queries over successive seeds, repeats dropped)."""
    by_name: dict[str, tuple[Query, str | None]] = {}
    while len(by_name) < n:
        for q, exp in make_queries(entities, n, seed):
            name = q.name.strip()  # as a CSV reader keeps it (the CLI's results are compared byte for byte)
            if name and name not in by_name:
                by_name[name] = (Query(name, str(len(by_name) + 1)), exp)
                if len(by_name) == n:
                    break
        seed += 1
    return list(by_name.values())


def _write_queries(queries: list[Query], path: Path) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name"])
        w.writerows((q.id, q.name) for q in queries)


def _child(args: list[str], folder: Path, extra_env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(seconds, peak RSS MB of its largest process, stdout) of a fresh process: nothing the
    parent analysed or cached helps it (the name analysis caches would flatter a second run)."""
    import subprocess

    env = {**os.environ, "COMPUTEWATCH_HOME": str(folder / "ws"), **(extra_env or {})}
    t = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, errors = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory (and its workers')
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {errors.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out.decode()


def _cli_screen(queries: Path, folder: Path) -> tuple[float, float, bytes]:
    """`computewatch screen queries.csv --out results.jsonl --lists <bundled lists>`, the whole
    command in its own process: (seconds, peak RSS MB of its largest process, the results file)."""
    import sys

    out = folder / "cli.jsonl"
    cli = str(Path(sys.executable).with_name("computewatch"))
    elapsed, rss, _ = _child([cli, "screen", str(queries), "--out", str(out), "--lists", str(LIST_FILE)], folder)
    return elapsed, rss, out.read_bytes()


def _in_process(queries: Path, folder: Path, workers: int, pure_python: bool = False) -> tuple[dict[str, Any], bytes]:
    """screen_lines over the batch with the index built, in a fresh process (`--in-process`):
    (its figures, the result lines). `pure_python`: without the compiled modules (native.py)."""
    import json
    import sys

    from computewatch import native

    out = folder / f"in-process-{workers}{'-pure' if pure_python else ''}.jsonl"
    env = {native.PURE_ENV: "1" if pure_python else ""}
    _, rss, printed = _child([sys.executable, __file__, "--in-process", str(queries), str(workers), str(out)], folder, env)
    figures = json.loads(printed.strip().splitlines()[-1])
    figures["peak_rss_mb"] = round(rss, 1)
    return figures, out.read_bytes()


def in_process_stage(queries: Path, workers: int, out: Path) -> None:
    """Child process: read the lists, build the screener, then time screen_lines alone."""
    import json

    from computewatch import native
    from computewatch.screening.batch import read_queries, screen_lines

    _, records = read_list(LIST_FILE)
    screener = Screener([r.to_list_entity("us_trade_csl") for r in records])
    batch = read_queries(queries)
    t = time.perf_counter()
    lines = b"".join(line + b"\n" for line in screen_lines(batch, screener, workers=workers))
    elapsed = time.perf_counter() - t
    out.write_bytes(lines)
    print(json.dumps({"seconds": round(elapsed, 2), "queries_per_second": round(len(batch) / elapsed, 1), "screening_modules": native.status()}))


def run(quick: bool = False) -> dict[str, Any]:
    """Every query distinct. In-process: screen_lines over the batch with the index built
    (one process, the same as pure Python, then one per CPU, forked after the build); CLI: the whole `computewatch
    screen` command (reading the list and the queries, the index, screening, writing the
    results). The brute-force rapidfuzz baseline runs in the same run on both cores."""
    import tempfile

    import orjson

    n = 5_000 if quick else 100_000
    t0 = time.perf_counter()
    _, records = read_list(LIST_FILE)
    entities = [r.to_list_entity("us_trade_csl") for r in records]
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    screener = Screener(entities)
    build = time.perf_counter() - t0
    build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queries = distinct_queries(entities, n)
    batch = [q for q, _ in queries]
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="cw-screening-bench-") as tmp:
        folder = Path(tmp)
        _write_queries(batch, folder / "queries.csv")
        one, lines = _in_process(folder / "queries.csv", folder, workers=1)
        pure, lines_pure = _in_process(folder / "queries.csv", folder, workers=1, pure_python=True)
        every, lines_all = _in_process(folder / "queries.csv", folder, workers=0)
        cli_s, cli_rss, cli_lines = _cli_screen(folder / "queries.csv", folder)
    results = []
    for line, (_, exp) in zip(lines.splitlines(), queries, strict=True):
        rec = orjson.loads(line)
        results.append((exp, {m["entity_id"] for m in rec["matches"] if m["match"]}))
    all_rate = every["queries_per_second"]
    baseline = brute_force_baseline(entities, queries[: min(n, 5_000)])
    return {
        "list_entities": len(entities),
        "list_names": len(screener.index.names),
        "list_read_seconds": round(read, 2),
        "index_build_seconds": round(build, 2),
        "peak_rss_mb_after_index_build": round(build_rss, 1),
        "queries": n,
        "distinct_queries": len({q.name for q in batch}),
        "screening_modules": one["screening_modules"],
        "in_process_queries_per_second_1_process": one["queries_per_second"],
        "in_process_queries_per_second_1_process_pure_python": pure["queries_per_second"],
        "ratio_compiled_to_pure_python": round(one["queries_per_second"] / pure["queries_per_second"], 2),
        "pure_python_results_identical": lines_pure == lines,
        f"in_process_queries_per_second_{cpus}_processes": all_rate,
        "in_process_peak_rss_mb_1_process": one["peak_rss_mb"],
        f"in_process_peak_rss_mb_{cpus}_processes": every["peak_rss_mb"],
        "cli_seconds": round(cli_s, 2),
        "cli_queries_per_second": round(n / cli_s, 1),
        "cli_peak_rss_mb": round(cli_rss, 1),
        "cli_results_identical_to_in_process": cli_lines == lines == lines_all,
        "workers": cpus,
        **_recall(results),
        "baseline_rapidfuzz_bruteforce": baseline,
        "ratio_cli_to_baseline": round(n / cli_s / baseline["queries_per_second"], 1),
        "ratio_in_process_to_baseline": round(all_rate / baseline["queries_per_second"], 1),
        "target_queries_per_second": 20_000,
        "evaluation_set": cross_script_comparison(screener, entities),
    }


if __name__ == "__main__":
    import json
    import sys

    if len(sys.argv) == 5 and sys.argv[1] == "--in-process":
        in_process_stage(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
