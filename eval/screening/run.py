"""Screening accuracy by form and by script on the evaluation set (eval/screening/cases.csv).

Positives count as found when the expected list entry is among the matches at
the default threshold; negatives count as false alarms when anything matches.
Beside every figure, the brute-force baseline: rapidfuzz token_sort_ratio >= 85
of the query against every list name.

    .venv/bin/python eval/screening/run.py [--threshold 0.8] [--show-misses] [--cases F]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.settings import ScreeningSettings
from computewatch.sources.lists import read_list

HERE = Path(__file__).resolve().parent
LIST_FILE = HERE.parents[1] / "src/computewatch/data/lists/bis-lists.csl.csv"
NEGATIVE_FORMS = {"near_miss_same_city", "near_miss_generic", "unrelated", "near_miss_person", "near_miss_cyrillic"}
BASELINE_CUTOFF = 85


def script_of(text: str) -> str:
    """The script most of the query's letters are in ('latin', 'cyrillic', 'han'...)."""
    from collections import Counter

    from computewatch.names.scripts import char_script

    counts = Counter(char_script(ch) for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else "latin"


def _baseline(entities, queries):  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz, process, utils

    names, owners = [], []
    for e in entities:
        for n in e.names:
            names.append(utils.default_process(n))
            owners.append(e.id)
    matrix = process.cdist([utils.default_process(q) for q in queries], names, scorer=fuzz.token_sort_ratio, workers=-1, dtype="uint8")
    return [{owners[j] for j in (row >= BASELINE_CUTOFF).nonzero()[0]} for row in matrix]


def evaluate(threshold: float | None = None, show_misses: bool = False, cases_file: Path = HERE / "cases.csv") -> dict[str, object]:
    settings = ScreeningSettings() if threshold is None else ScreeningSettings(threshold=threshold)
    _, records = read_list(LIST_FILE)
    entities = [r.to_list_entity("us_trade_csl") for r in records]
    screener = Screener(entities, settings)
    with cases_file.open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    baseline = _baseline(entities, [c["query"] for c in cases])
    # [ours right, baseline right, cases]
    by_form: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_script: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for row, theirs in zip(cases, baseline, strict=True):
        matches = screener.screen(Query(row["query"], country=row["country"]))
        matched = {m.entity.id for m in matches if m.match}
        negative = row["form"] in NEGATIVE_FORMS
        if negative:
            ok, base_ok = not matched, not theirs
        else:
            expected = f"csl-{row['expected_id']}"
            ok, base_ok = expected in matched, expected in theirs
        side = "negatives" if negative else "positives"
        for table, key in ((by_form, row["form"]), (by_script, (script_of(row["query"]), side))):
            table[key][0] += ok
            table[key][1] += base_ok
            table[key][2] += 1
        if not ok:
            top = [(m.entity.caption, round(m.score, 2)) for m in matches[:2]]
            misses.append((row["form"], row["query"], row["expected_name"], top))

    def rate(good: int, n: int, negative: bool) -> float:
        return round((n - good) / n if negative else good / n, 3)

    pos = [v for f, v in by_form.items() if f not in NEGATIVE_FORMS]
    neg = [v for f, v in by_form.items() if f in NEGATIVE_FORMS]
    result = {
        "threshold": settings.threshold,
        "recall": round(sum(v[0] for v in pos) / sum(v[2] for v in pos), 4),
        "false_alarm_rate": round(1 - sum(v[0] for v in neg) / sum(v[2] for v in neg), 4),
        "baseline_recall": round(sum(v[1] for v in pos) / sum(v[2] for v in pos), 4),
        "baseline_false_alarm_rate": round(1 - sum(v[1] for v in neg) / sum(v[2] for v in neg), 4),
        "by_form": {
            f: {
                "n": n,
                ("false_alarms" if f in NEGATIVE_FORMS else "recall"): rate(a, n, f in NEGATIVE_FORMS),
                "baseline": rate(b, n, f in NEGATIVE_FORMS),
            }
            for f, (a, b, n) in sorted(by_form.items())
        },
        "by_script": {
            f"{script} {side}": {
                "n": n,
                ("false_alarms" if side == "negatives" else "recall"): rate(a, n, side == "negatives"),
                "baseline": rate(b, n, side == "negatives"),
            }
            for (script, side), (a, b, n) in sorted(by_script.items())
        },
    }
    if show_misses:
        for miss in misses:
            print(*miss, sep=" | ")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--no-cedict", action="store_true", help="without CC-CEDICT behind the glossary, to see what it adds")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--cases", type=Path, default=HERE / "cases.csv", help="the cases file (same columns as cases.csv)")
    args = parser.parse_args()
    if args.no_cedict:
        import computewatch.names.cedict as cedict_module

        empty = cedict_module.Cedict({}, frozenset(), 1)
        cedict_module.cedict = lambda: empty  # type: ignore[assignment]
    print(json.dumps(evaluate(args.threshold, args.show_misses, args.cases), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
