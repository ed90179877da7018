"""Shared fixtures: the real BIS list bundled with the package, and a screener over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ci_skips import pytest_runtest_makereport  # noqa: F401  (a hook: in CI a skip fails)
from computewatch.screening.screener import Screener
from computewatch.sources.lists import read_list

ROOT = Path(__file__).resolve().parents[1]
REAL_LIST = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"
FIXTURES = ROOT / "tests/fixtures"


@pytest.fixture(scope="session")
def real_list_records():  # type: ignore[no-untyped-def]
    return read_list(REAL_LIST)[1]


@pytest.fixture(scope="session")
def real_screener(real_list_records):  # type: ignore[no-untyped-def]
    entities = [r.to_list_entity("us_trade_csl") for r in real_list_records]
    fmt, fictional = read_list(FIXTURES / "lists/fictional.ftm.jsonl")
    entities += [r.to_list_entity("fictional_list") for r in fictional]
    return Screener(entities)
