"""Graph test helpers and fixtures: the structure fixtures, and the bundled S6 case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from computewatch.graph.demo import s6_file
from computewatch.graph.report import owners_report
from computewatch.graph.store import GraphStore
from computewatch.settings.graph import GraphSettings
from computewatch.sources.entities import read_entities
from computewatch.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graph"


def load(ws: Workspace, *paths: Path) -> GraphStore:
    store = GraphStore(ws)
    batch = read_entities(list(paths))
    store.load(batch, list(paths))
    assert not batch.problems, batch.problems
    return store


@pytest.fixture
def structures(tmp_path: Path) -> Iterator[GraphStore]:
    with Workspace(tmp_path / "ws") as ws:
        yield load(ws, FIXTURES / "structures.jsonl")


@pytest.fixture
def s6(tmp_path: Path) -> Iterator[GraphStore]:
    with Workspace(tmp_path / "ws") as ws:
        yield load(ws, s6_file())


def report(store: GraphStore, entity_id: str, day: str = "2025-12-01", **kw: object) -> dict:  # type: ignore[type-arg]
    return owners_report(store, entity_id, date.fromisoformat(day), settings=GraphSettings(**kw), successors=False)  # type: ignore[arg-type]


def owners(rep: dict) -> dict[str, float | None]:  # type: ignore[type-arg]
    return {o["entity_id"]: o["effective_percentage"] for o in rep["owners"]}


def codes(rep: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["code"] for f in rep["flags"]]
