"""Labelled name pairs (eval/screening/pairs.csv): precision, recall and F1 at the default threshold.

Each row pairs two names of one person or organisation (label 1) or of two (label 0),
in many scripts. Both names are scored with the screening engine (word weights from
the real BIS lists plus the pairs' own names); a pair is predicted the same when the
score reaches the threshold. Figures overall, by kind (person / organization) and by
the script of the non-Latin side, beside two baselines:

- rapidfuzz token_sort_ratio >= 85 (brute force, no transliteration);
- an open matcher's scores, when `open_matcher_scores.json` is present (written by
  `open_matcher_baseline.py`, run in a separate environment with nomenklatura).

    .venv/bin/python eval/screening/pairs.py [--pairs eval/screening/pairs_holdout.csv] [--threshold 0.8] [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from computewatch.screening.model import ListEntity
from computewatch.screening.screener import Screener
from computewatch.sources.lists import read_list

HERE = Path(__file__).resolve().parent
LIST_FILE = HERE.parents[1] / "src/computewatch/data/lists/bis-lists.csl.csv"
PAIRS = HERE / "pairs.csv"


def open_matcher_file(pairs_file: Path) -> Path:
    """Where open_matcher_baseline.py keeps its scores for a pairs file."""
    return HERE / ("open_matcher_scores.json" if pairs_file.name == "pairs.csv" else f"open_matcher_scores.{pairs_file.stem}.json")


def script_of_pair(a: str, b: str) -> str:
    from run import script_of  # type: ignore[import-not-found]

    scripts = {script_of(a), script_of(b)} - {"latin"}
    return sorted(scripts)[0] if scripts else "latin"


def prf(rows: list[tuple[int, bool]]) -> dict[str, float]:
    tp = sum(1 for label, said in rows if label and said)
    fp = sum(1 for label, said in rows if not label and said)
    fn = sum(1 for label, said in rows if label and not said)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"n": len(rows), "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def evaluate(threshold: float = 0.8, show_errors: bool = False, pairs_file: Path = PAIRS) -> dict[str, object]:
    with pairs_file.open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    _, records = read_list(LIST_FILE)
    entities = [r.to_list_entity("us_trade_csl") for r in records]
    entities += [ListEntity(f"pair-{i}", "Person" if p["kind"] == "person" else "Company", p["name_b"], (p["name_b"],)) for i, p in enumerate(pairs)]
    screener = Screener(entities)
    from rapidfuzz import fuzz, utils

    scores_file = open_matcher_file(pairs_file)
    open_scores = json.loads(scores_file.read_text()) if scores_file.exists() else {}
    groups: dict[str, dict[str, list[tuple[int, bool]]]] = defaultdict(lambda: defaultdict(list))
    for i, p in enumerate(pairs):
        label = int(p["label"])
        schema = "Person" if p["kind"] == "person" else "Company"
        score, _ = screener.compare(p["name_a"], p["name_b"], schema)
        said = {
            "computewatch": score >= threshold,
            "baseline_rapidfuzz_85": fuzz.token_sort_ratio(utils.default_process(p["name_a"]), utils.default_process(p["name_b"])) >= 85,
        }
        for name, scores in open_scores.get("scores", {}).items():
            said[f"open_matcher_{name}"] = scores[i] >= open_scores["thresholds"][name]
        for key in ("all", f"kind {p['kind']}", f"script {script_of_pair(p['name_a'], p['name_b'])}"):
            for matcher, verdict in said.items():
                groups[matcher][key].append((label, verdict))
        if show_errors and said["computewatch"] != bool(label):
            print(f"{'missed' if label else 'false alarm'} | {p['name_a']} | {p['name_b']} | {score:.2f} | {p['note']}")
    return {matcher: {key: prf(rows) for key, rows in sorted(by.items())} for matcher, by in groups.items()}


def calibrate_kinds(target_precision: float = 0.9) -> dict[str, object]:
    """Raw score thresholds per kind (calibration.RAW_THRESHOLDS): for each kind, precision,
    recall and F1 of the raw (uncalibrated) scores at thresholds 0.70..0.95, and the lowest
    threshold whose precision reaches the target."""
    from computewatch.screening import calibration

    saved = dict(calibration.RAW_THRESHOLDS)
    calibration.RAW_THRESHOLDS.update({k: calibration.REFERENCE_THRESHOLD for k in saved})  # identity map
    try:
        with (HERE / "pairs.csv").open(encoding="utf-8") as fh:
            pairs = list(csv.DictReader(fh))
        _, records = read_list(LIST_FILE)
        entities = [r.to_list_entity("us_trade_csl") for r in records]
        screener = Screener(entities)
        raw: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for p in pairs:
            schema = "Person" if p["kind"] == "person" else "Company"
            score, kind = screener.compare(p["name_a"], p["name_b"], schema)
            raw[kind].append((int(p["label"]), score))
    finally:
        calibration.RAW_THRESHOLDS.update(saved)
    out: dict[str, object] = {}
    for kind, rows in raw.items():
        table = {f"{t / 100:.2f}": prf([(label, s >= t / 100) for label, s in rows]) for t in range(70, 96)}
        chosen = next((t for t, v in table.items() if v["precision"] >= target_precision), None)
        out[kind] = {"chosen": chosen, "table": table}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="the labelled pairs (default eval/screening/pairs.csv; also pairs_holdout.csv)")
    parser.add_argument("--no-cedict", action="store_true", help="without CC-CEDICT behind the glossary, to see what it adds")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--calibrate", action="store_true", help="print raw thresholds per kind instead")
    args = parser.parse_args()
    if args.no_cedict:
        import computewatch.names.cedict as cedict_module

        empty = cedict_module.Cedict({}, frozenset(), 1)
        cedict_module.cedict = lambda: empty  # type: ignore[assignment]
    result = calibrate_kinds() if args.calibrate else evaluate(args.threshold, args.show_errors, args.pairs)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
