from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "detectors"))


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    pytest.importorskip("pyspark")
    from computewatch.engine.spark_engine import spark_session

    session = spark_session("local[1]")
    yield session
    session.stop()
