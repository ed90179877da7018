"""The bundled fictional S1, S2 and S5 data (data/demo/operations), loaded and run through every detector."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from computewatch.detectors.runner import run_detectors
from computewatch.settings import Settings
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

DEMO_AS_OF = date(2026, 11, 1)
KINDS = ("accounts", "usage", "access", "leases", "media")
SCENARIOS = {"S1": "cloud GPUs through an intermediary", "S2": "model tokens resold", "S5": "data carried in to train on rented servers"}


def demo_folder() -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", "demo", "operations")))


def load_demo(ws: Workspace, folder: Path | None = None) -> None:
    from computewatch.graph.store import GraphStore
    from computewatch.sources.entities import read_entities

    folder = folder or demo_folder()
    entities = folder / "entities.jsonl"
    GraphStore(ws).load(read_entities([entities]), [entities])
    for kind in KINDS:
        load_operations(ws, kind, [folder / f"{kind}.csv"])  # a second demo run skips files already loaded


def demo_detectors(workspace: Workspace, settings: Settings | None = None) -> list[str]:
    """Load the bundled operational data into the workspace, run every detector, one line per finding."""
    load_demo(workspace)
    run = run_detectors(workspace, DEMO_AS_OF, settings=settings)
    lines = []
    for scenario, title in SCENARIOS.items():
        found = [a for a in run.alerts if a.scenario == scenario]
        lines.append(f"{scenario} ({title}): {len(found)} alert(s) as of {DEMO_AS_OF}")
        lines += [f"  [{a.severity}] {a.detector}: {a.summary}" for a in found]
    return lines
