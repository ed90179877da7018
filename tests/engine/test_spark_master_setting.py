"""The setting engine.spark_master reaches every Spark session computewatch makes: detect's and screening's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from computewatch.detectors.runner import run_detectors
from computewatch.settings import EngineSettings, Settings
from computewatch.workspace import Workspace


class _Asked(Exception):
    pass


def test_detect_on_spark_asks_for_the_configured_master(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import computewatch.engine.spark_engine as spark_engine

    asked: list[str] = []

    def fake_session(master: str = "local[2]", config: object = None) -> object:
        asked.append(master)
        raise _Asked  # stop before a JVM starts: only where the session was asked for matters here

    monkeypatch.setattr(spark_engine, "spark_session", fake_session)
    with Workspace(tmp_path / "ws") as ws:
        with pytest.raises(_Asked):
            run_detectors(ws, date(2026, 11, 1), "spark", Settings(engine=EngineSettings(spark_master="spark://cluster.invalid:7077")))
        with pytest.raises(_Asked):
            run_detectors(ws, date(2026, 11, 1), "spark", None)
    assert asked == ["spark://cluster.invalid:7077", "local[2]"]
