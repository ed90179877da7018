"""Scores of an open matcher on the labelled name pairs, for comparison (not part of computewatch).

Runs in a separate environment with nomenklatura installed (it pins its own
followthemoney and rigour), and writes eval/screening/open_matcher_scores.json,
which pairs.py reads:

    python -m venv /tmp/nk && /tmp/nk/bin/pip install nomenklatura
    /tmp/nk/bin/python eval/screening/open_matcher_baseline.py [eval/screening/pairs_holdout.csv]

(`.venv-clients`, made by `make clients`, has nomenklatura too.)

Each pair becomes two FtM entities (Person or Company) with one name each, compared
with nomenklatura's logic-v2 and name-based algorithms; a pair counts as matched at
yente's default threshold for the algorithm (0.7).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig

HERE = Path(__file__).resolve().parent
ALGORITHMS = {"logic-v2": 0.7, "name-based": 0.7}


def main() -> None:
    pairs_file = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "pairs.csv"
    with pairs_file.open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    config = ScoringConfig.defaults()
    scores: dict[str, list[float]] = {}
    for name in ALGORITHMS:
        algorithm = get_algorithm(name)
        found = []
        for i, p in enumerate(pairs):
            schema = "Person" if p["kind"] == "person" else "Company"
            a, b = model.make_entity(schema), model.make_entity(schema)
            a.id, b.id = f"a{i}", f"b{i}"
            a.add("name", p["name_a"])
            b.add("name", p["name_b"])
            found.append(float(algorithm.compare(a, b, config).score))
        scores[name] = found
    out = {"scores": scores, "thresholds": ALGORITHMS, "matcher": "nomenklatura"}
    name = "open_matcher_scores.json" if pairs_file.name == "pairs.csv" else f"open_matcher_scores.{pairs_file.stem}.json"
    (HERE / name).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
