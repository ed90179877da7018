"""The S7 shipment and S9 party-listed detectors run locally (on the workspace's DuckDB file) whatever
the engine: the run says so on Spark, not on DuckDB, and their alerts are the same on both engines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from ops_helpers import build_workspace

from computewatch.detectors.registry import load_detectors
from computewatch.detectors.runner import run_detectors
from computewatch.settings import Settings
from computewatch.sources.lists import read_list
from computewatch.sources.shipments import load_shipments

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ["party-listed", "shipment-diversion"]


def test_the_metadata_says_which_detectors_run_locally() -> None:
    runs_on = {d.meta.id: d.meta.runs_on for d in load_detectors()}
    assert sorted(i for i, where in runs_on.items() if where == "local") == LOCAL
    assert runs_on["ops-reseller"] == runs_on["ops-training-run"] == "engine"


@pytest.mark.slow
def test_local_detectors_say_so_on_spark_and_give_the_same_alerts(tmp_path: Path, spark) -> None:  # type: ignore[no-untyped-def]
    fictional = ROOT / "tests/fixtures/lists/fictional.ftm.jsonl"
    with build_workspace(tmp_path / "ws") as ws:
        fmt, records = read_list(fictional)
        ws.load_list("fictional_list", records, fictional, fmt)
        assert not load_shipments(ws, [ROOT / "tests/fixtures/shipments/shipments.csv"]).problems
        day = date(2026, 11, 25)
        duck = run_detectors(ws, day, "duckdb", Settings(), record=False)
        sparked = run_detectors(ws, day, "spark", Settings(), record=False)
    assert duck.local == [] and sparked.local == LOCAL
    found = {a.detector for a in duck.alerts}
    assert {"shipment-diversion", "party-listed"} <= found, found
    assert orjson.dumps(sparked.records()) == orjson.dumps(duck.records())
