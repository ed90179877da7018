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
NEGATIVE_FORMS = {"near_miss_same_city", "near_miss_generic", "unrelated"}


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


def run(quick: bool = False) -> dict[str, Any]:
    import orjson

    from computewatch.screening.batch import screen_lines

    n = 5_000 if quick else 100_000
    t0 = time.perf_counter()
    _, records = read_list(LIST_FILE)
    entities = [r.to_list_entity("us_trade_csl") for r in records]
    screener = Screener(entities)
    build = time.perf_counter() - t0
    queries = make_queries(entities, n)
    t1 = time.perf_counter()
    results = []
    for line, (_, exp) in zip(screen_lines([q for q, _ in queries], screener, workers=0), queries, strict=True):
        rec = orjson.loads(line)
        results.append((exp, {m["entity_id"] for m in rec["matches"] if m["match"]}))
    elapsed = time.perf_counter() - t1
    # The same run with every query distinct, on a fresh screener (no result cache to help).
    distinct = list({q.name: q for q, _ in queries}.values())
    fresh = Screener(entities)
    t2 = time.perf_counter()
    for _ in screen_lines(distinct, fresh, workers=0):
        pass
    distinct_rate = len(distinct) / (time.perf_counter() - t2)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    baseline_n = min(n, 5_000)
    return {
        "list_entities": len(entities),
        "list_names": len(screener.index.names),
        "index_build_seconds": round(build, 2),
        "queries": n,
        "distinct_queries": len(distinct),
        "distinct_only_queries_per_second": round(distinct_rate, 1),
        "seconds": round(elapsed, 2),
        "queries_per_second": round(n / elapsed, 1),
        "workers": os.cpu_count(),
        "peak_rss_mb_main_process": round(own, 1),
        "peak_rss_mb_largest_worker": round(workers, 1),
        **_recall(results),
        "baseline_rapidfuzz_bruteforce": brute_force_baseline(entities, queries[:baseline_n]),
        "evaluation_set": cross_script_comparison(screener, entities),
    }
