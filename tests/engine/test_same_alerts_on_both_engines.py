"""The same fixtures through DuckDB and Spark give identical alerts (CI runs this: it is marked slow)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from ops_helpers import build_workspace

from computewatch.detectors.runner import run_detectors
from computewatch.settings.detectors import DetectorSettings
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


@pytest.mark.slow
def test_both_engines_agree_on_per_server_usage_cut_by_the_window_and_unattributed_media(tmp_path: Path, spark) -> None:  # type: ignore[no-untyped-def]
    from ops_helpers import S5_FIXTURES

    with build_workspace(tmp_path / "ws", S5_FIXTURES) as ws:
        for as_of, settings in ((date(2026, 11, 1), DetectorSettings()), (date(2026, 11, 1), DetectorSettings(window_days=30)),
                                (date(2026, 8, 20), DetectorSettings())):  # fmt: skip
            duck = run_detectors(ws, as_of, "duckdb", settings, record=False).records()
            sparked = run_detectors(ws, as_of, "spark", settings, record=False).records()
            assert {a["detector"] for a in duck} >= {"ops-training-run"}
            assert orjson.dumps(sparked) == orjson.dumps(duck)
