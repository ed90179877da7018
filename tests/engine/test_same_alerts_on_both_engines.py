"""The same fixtures through DuckDB and Spark give identical alerts (CI runs this: it is marked slow)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from ops_helpers import build_workspace

from computewatch.detectors.runner import run_detectors
from computewatch.detectors.settings import DetectorSettings
from computewatch.sources.probes_table import load_probes

FLEET = Path(__file__).parents[1] / "fixtures" / "locate" / "fleet.csv"  # S8 probe rounds (chip-location)


@pytest.mark.slow
def test_duckdb_and_spark_give_identical_alerts(tmp_path: Path, spark) -> None:  # type: ignore[no-untyped-def]
    with build_workspace(tmp_path / "ws") as ws:
        assert not load_probes(ws, [FLEET]).problems
        detectors: set[str] = set()
        for as_of in (date(2026, 11, 1), date(2026, 6, 1)):
            duck = run_detectors(ws, as_of, "duckdb", DetectorSettings(), record=False).records()
            sparked = run_detectors(ws, as_of, "spark", DetectorSettings(), record=False).records()
            assert duck, "the fixtures must produce alerts"
            assert orjson.dumps(sparked) == orjson.dumps(duck)
            detectors |= {a["detector"] for a in duck}
    assert detectors >= {"ops-young-lessee", "ops-bulk-import", "ops-training-run", "chip-location", "chip-location-landmark"}
