"""Shared fixtures: the fictional shipments scored once per session against the real list."""

from __future__ import annotations

import pytest
from shipments_helpers import AS_OF, FIXTURES

from computewatch.shipments.scoring import ScoringRun, score_shipments
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace


@pytest.fixture(scope="session")
def scored(tmp_path_factory, real_screener) -> ScoringRun:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path_factory.mktemp("shipments-ws")) as ws:
        report = load_shipments(ws, [FIXTURES / "shipments.csv"])
        assert report.problems == []
        return score_shipments(ws, real_screener, AS_OF)

