"""Screening accuracy by form on the evaluation set (eval/screening/cases.csv).

Positives count as found when the expected list entry is among the matches at
the default threshold; negatives count as false alarms when anything matches.

    .venv/bin/python eval/screening/run.py [--threshold 0.8] [--show-misses]
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
NEGATIVE_FORMS = {"near_miss_same_city", "near_miss_generic", "unrelated"}


def evaluate(threshold: float | None = None, show_misses: bool = False) -> dict[str, object]:
    settings = ScreeningSettings() if threshold is None else ScreeningSettings(threshold=threshold)
    _, records = read_list(LIST_FILE)
    screener = Screener([r.to_list_entity("us_trade_csl") for r in records], settings)
    by_form: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    with (HERE / "cases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            matches = screener.screen(Query(row["query"], country=row["country"]))
            matched = {m.entity.id for m in matches if m.match}
            if row["form"] in NEGATIVE_FORMS:
                ok = not matched
            else:
                ok = f"csl-{row['expected_id']}" in matched
            by_form[row["form"]][0] += ok
            by_form[row["form"]][1] += 1
            if not ok:
                top = [(m.entity.caption, round(m.score, 2)) for m in matches[:2]]
                misses.append((row["form"], row["query"], row["expected_name"], top))
    pos = [v for f, v in by_form.items() if f not in NEGATIVE_FORMS]
    neg = [v for f, v in by_form.items() if f in NEGATIVE_FORMS]
    result = {
        "threshold": settings.threshold,
        "recall": round(sum(a for a, _ in pos) / sum(n for _, n in pos), 4),
        "false_alarm_rate": round(1 - sum(a for a, _ in neg) / sum(n for _, n in neg), 4),
        "by_form": {
            f: {"n": n, ("false_alarms" if f in NEGATIVE_FORMS else "recall"): round((n - a if f in NEGATIVE_FORMS else a) / n, 3)}
            for f, (a, n) in sorted(by_form.items())
        },
    }
    if show_misses:
        for miss in misses:
            print(*miss, sep=" | ")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.threshold, args.show_misses), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
