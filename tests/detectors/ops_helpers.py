"""Build a workspace from tests/fixtures/operations and run the detectors on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from computewatch.alerts.model import Alert
from computewatch.detectors.runner import run_detectors
from computewatch.graph.store import GraphStore
from computewatch.settings.detectors import DetectorSettings
from computewatch.sources.entities import read_entities
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "operations"
S5_FIXTURES = FIXTURES.with_name("operations_s5")
AS_OF = date(2026, 11, 1)
KINDS = ("accounts", "usage", "access", "leases", "media")


def build_workspace(home: Path, fixtures: Path = FIXTURES) -> Workspace:
    ws = Workspace(home)
    entities = fixtures / "entities.jsonl"
    if entities.exists():
        batch = read_entities([entities])
        assert not batch.problems
        GraphStore(ws).load(batch, [entities])
    for kind in KINDS:
        if not (fixtures / f"{kind}.csv").exists():
            continue  # a fixture set without that table (the S5 set has no cloud accounts)
        report = load_operations(ws, kind, [fixtures / f"{kind}.csv"])
        assert not report.problems, report.problems
    return ws


def alerts_for(ws: Workspace, as_of: date = AS_OF, engine: str = "duckdb", settings: DetectorSettings | None = None) -> list[Alert]:
    return run_detectors(ws, as_of, engine, settings or DetectorSettings(), record=False).alerts


def by_detector(alerts: list[Alert], detector: str) -> dict[str, Alert]:
    """Alerts of one detector keyed by every subject they name."""
    return {s: a for a in alerts if a.detector == detector for s in a.subjects}
