"""A big list: 1,000,000 fictional names as FollowTheMoney JSON lines, loaded and screened.

The OpenSanctions default collection is about that size. A seeded mix of companies and
persons (Latin names, some Han and Cyrillic ones), all made up from syllables and word
lists, is written as FtM JSON lines, loaded into a fresh workspace by `computewatch lists
load` (the real command, in its own process), then a second process builds the screener
from the workspace (as `computewatch screen` does) and screens distinct queries: variants
of listed names (which must be found) and names that are not on the list. Each stage's
time and peak memory (its process's, and its largest worker's) are reported.

    .venv/bin/python bench/biglist_bench.py [--quick]        # --quick: 20,000 names
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATASET = "synthetic_big"

# Made-up pieces: names are drawn from these, never from a real register.
SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "va", "tes", "qui", "bra", "nel", "sor", "fen", "ga", "tor", "lin", "mar",
             "pe", "zu", "hal", "den", "ri", "co", "vel", "mon", "sta", "ber", "ul", "ax", "tri", "gon", "sel", "pra"]  # fmt: skip
SECTORS = ["Trading", "Electronics", "Logistics", "Systems", "Technology", "Industrial", "Data", "Semiconductor",
           "Shipping", "Engineering", "Holdings", "Instruments", "Aviation", "Microsystems", "Components", "Networks"]  # fmt: skip
FORMS = ["Co., Ltd.", "LLC", "Limited", "GmbH", "S.A.", "Pte. Ltd.", "FZE", "JSC", "Inc.", "B.V."]
GIVEN = ["Arlen", "Brisa", "Cato", "Delia", "Emrik", "Fenna", "Galen", "Hesper", "Ivo", "Jorun", "Kasia", "Lorcan",
         "Mireo", "Nadine", "Oskar", "Petra", "Quill", "Rosalind", "Soren", "Tamsin", "Ulric", "Vesna", "Wendel", "Yara"]  # fmt: skip
HAN = list("安宝成达德丰福光海和恒华辉嘉金锦康乐立利隆茂明宁平启瑞盛泰腾万伟祥新鑫兴耀永远源悦泽长振志中")
HAN_FORMS = ["科技有限公司", "贸易有限公司", "电子有限公司", "实业有限公司", "信息技术有限公司"]
HAN_SURNAMES = list("赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜")
CYR = ["ка", "ло", "ми", "рен", "дор", "ва", "тес", "бра", "нел", "сор", "фен", "га", "тор", "лин", "мар", "зу"]
CYR_FORMS = ["ООО", "АО", "ЗАО"]
CYR_GIVEN = ["Арсений", "Белла", "Вадим", "Дарина", "Евсей", "Злата", "Игнат", "Лада", "Мирон", "Нелли", "Остап", "Родион"]
COUNTRIES = ["cn", "ru", "ae", "ir", "hk", "sg", "tr", "by", "my", "kz"]


def _word(rng: random.Random, parts: list[str], low: int = 2, high: int = 4) -> str:
    return "".join(rng.choice(parts) for _ in range(rng.randint(low, high)))


def synthetic_entity(i: int, rng: random.Random) -> dict[str, Any]:
    """One fictional list entry as an FtM entity (80% Latin, 12% Han, 8% Cyrillic; 60% companies)."""
    script = rng.random()
    person = rng.random() < 0.4
    if script < 0.12:
        if person:
            names = [rng.choice(HAN_SURNAMES) + "".join(rng.sample(HAN, rng.randint(1, 2)))]
        else:
            names = ["".join(rng.sample(HAN, rng.randint(2, 4))) + rng.choice(HAN_FORMS)]
    elif script < 0.2:
        if person:
            names = [f"{_word(rng, CYR).capitalize()}ов {rng.choice(CYR_GIVEN)}"]
        else:
            names = [f"{rng.choice(CYR_FORMS)} «{_word(rng, CYR).capitalize()}»"]
    elif person:
        names = [f"{rng.choice(GIVEN)} {_word(rng, SYLLABLES).capitalize()}"]
    else:
        words = [_word(rng, SYLLABLES).capitalize() for _ in range(rng.randint(1, 2))]
        names = [f"{' '.join(words)} {rng.choice(SECTORS)} {rng.choice(FORMS)}"]
    if rng.random() < 0.2:  # an alias
        names.append(names[0].upper() if not person else f"{names[0]} {_word(rng, SYLLABLES).capitalize()}")
    return {
        "id": f"synth-{i:07d}",
        "schema": "Person" if person else "Company",
        "properties": {"name": names, "country": [rng.choice(COUNTRIES)]},
        "datasets": [DATASET],
    }


def write_list(path: Path, n: int, seed: int = 15) -> list[dict[str, Any]]:
    """n entities as FtM JSON lines; returns a seeded sample of them (for planted queries)."""
    rng = random.Random(seed)
    sample: list[dict[str, Any]] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            entity = synthetic_entity(i, rng)
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            if len(sample) < 50_000 and rng.random() < 0.05:
                sample.append(entity)
    return sample


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[longest]
    if len(word) >= 6 and word.isascii():
        j = rng.randrange(1, len(word) - 1)
        words[longest] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]  # neighbours swapped
    return " ".join(words)


def write_queries(path: Path, sample: list[dict[str, Any]], n: int, seed: int = 16) -> set[str]:
    """n distinct queries (CSV): 60% listed names (as written, upper case, a swapped pair of
    letters), 40% names made of the same pieces that are not on the list. Returns the query
    ids whose listed entity is known, as 'id entity_id' pairs."""
    import csv

    rng = random.Random(seed)
    seen: set[str] = set()
    planted: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name"])
        while len(seen) < n:
            if rng.random() < 0.6:
                entity = rng.choice(sample)
                name = entity["properties"]["name"][0]
                kind = rng.randrange(3)
                name = name.upper() if kind == 1 else _typo(name, rng) if kind == 2 else name
                target = entity["id"]
            else:
                name, target = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(SECTORS)} Consulting", ""
                name += f" {rng.randrange(100000)}"  # never a listed name: numbers are never listed
            if name in seen:
                continue
            seen.add(name)
            qid = str(len(seen))
            w.writerow([qid, name])
            if target:
                planted.add(f"{qid} {target}")
    return planted


def _child(args: list[str], env: dict[str, str], folder: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS MB, stdout) of one child process (its own rusage, from wait4)."""
    out_file, err_file = folder / "child.out", folder / "child.err"
    with out_file.open("w") as out, err_file.open("w") as errors:
        t = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err_file.read_text()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out_file.read_text()


def screen_stage(workspace: Path, queries: Path, out: Path) -> None:
    """Child process: build the screener from the workspace (as `computewatch screen` does) and screen."""
    import resource

    from computewatch.commands.common import build_screener
    from computewatch.screening.batch import read_queries, screen_lines

    t = time.perf_counter()
    screener = build_screener(workspace, None)
    build = time.perf_counter() - t
    batch = read_queries(queries)
    t = time.perf_counter()
    with out.open("wb") as fh:
        for line in screen_lines(batch, screener, workers=0):
            fh.write(line + b"\n")
    elapsed = time.perf_counter() - t
    print(json.dumps({
        "list_names_indexed": len(screener.index.names),
        "index_build_seconds": round(build, 2),
        "screen_seconds": round(elapsed, 2),
        "queries": len(batch),
        "queries_per_second": round(len(batch) / elapsed, 1),
        "peak_rss_mb_after_build": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }))  # fmt: skip


def _found(results: Path, planted: set[str]) -> tuple[float, float]:
    """(recall on the planted queries, share of the other queries with a match)."""
    hits = wanted = false = others = 0
    targets: dict[str, str] = dict(p.split(" ", 1) for p in planted)  # type: ignore[misc]
    with results.open("rb") as fh:
        for line in fh:
            rec = json.loads(line)
            matched = {m["entity_id"] for m in rec["matches"] if m["match"]}
            if rec["id"] in targets:
                wanted += 1
                hits += targets[rec["id"]] in matched
            else:
                others += 1
                false += bool(matched)
    return hits / max(wanted, 1), false / max(others, 1)


def brute_force_baseline(list_file: Path, queries: Path, planted: set[str], n: int = 500) -> dict[str, Any]:
    """rapidfuzz token_sort_ratio >= 85 of the first n queries against every listed name, no
    blocking (both cores), in the same run: what the index saves on a list this size."""
    import csv

    from rapidfuzz import fuzz, process, utils

    names, owners = [], []
    with list_file.open(encoding="utf-8") as fh:
        for line in fh:
            entity = json.loads(line)
            for name in entity["properties"]["name"]:
                names.append(utils.default_process(name))
                owners.append(entity["id"])
    with queries.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:n]
    t = time.perf_counter()
    matrix = process.cdist([utils.default_process(r["name"]) for r in rows], names, scorer=fuzz.token_sort_ratio,
                           workers=-1, dtype="uint8", score_cutoff=85)  # fmt: skip
    elapsed = time.perf_counter() - t
    targets = dict(p.split(" ", 1) for p in planted)
    wanted = [(r["id"], targets[r["id"]]) for r in rows if r["id"] in targets]
    found = {r["id"]: {owners[j] for j in row.nonzero()[0]} for r, row in zip(rows, matrix, strict=True)}
    return {
        "queries": len(rows),
        "seconds": round(elapsed, 2),
        "queries_per_second": round(len(rows) / elapsed, 1),
        "recall": round(sum(t in found[q] for q, t in wanted) / max(len(wanted), 1), 3),
    }


def run(quick: bool = False) -> dict[str, Any]:
    n = 20_000 if quick else 1_000_000
    n_queries = 2_000 if quick else 20_000
    python = sys.executable
    cli = str(Path(python).with_name("computewatch"))
    with tempfile.TemporaryDirectory(prefix="cw-biglist-bench-") as tmp:
        folder = Path(tmp)
        list_file, queries, results = folder / "big.ftm.json", folder / "queries.csv", folder / "results.jsonl"
        t = time.perf_counter()
        sample = write_list(list_file, n)
        planted = write_queries(queries, sample, n_queries)
        written = time.perf_counter() - t
        env = {**os.environ, "COMPUTEWATCH_HOME": str(folder / "ws")}
        load_s, load_rss, _ = _child([cli, "lists", "load", str(list_file), "--workspace", str(folder / "ws")], env, folder)
        stage_s, stage_rss, out = _child([python, __file__, "--screen-stage", str(folder / "ws"), str(queries), str(results)], env, folder)
        stage = json.loads(out.strip().splitlines()[-1])
        recall, false_alarms = _found(results, planted)
        baseline = brute_force_baseline(list_file, queries, planted, 200 if quick else 500)
        return {
            "list_entities": n,
            "list_file_mb": round(list_file.stat().st_size / 1e6, 1),
            "generate_seconds": round(written, 1),
            "load_seconds": round(load_s, 1),
            "load_peak_rss_mb": round(load_rss, 1),
            **stage,
            "screen_process_seconds": round(stage_s, 1),
            "screen_process_peak_rss_mb": round(stage_rss, 1),
            "planted_queries": len(planted),
            "recall": round(recall, 3),
            "unlisted_queries_with_a_match": round(false_alarms, 4),
            "baseline_rapidfuzz_bruteforce": baseline,
            "ratio_to_baseline": round(stage["queries_per_second"] / baseline["queries_per_second"], 1),
        }


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--screen-stage":
        screen_stage(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
