"""Shared by tests/api and tests/web: an application over a small fictional workspace (one list, the S6
ownership graph), and a key per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from computewatch.api.app import create_app
from computewatch.cases.db import CaseDB, open_case_db
from computewatch.cases.keys import create_api_key
from computewatch.settings import Settings
from computewatch.workspace import DB_FILE, Workspace

ROOT = Path(__file__).resolve().parents[2]
LIST_FILE = ROOT / "tests/fixtures/lists/fictional.ftm.jsonl"
GRAPH_FILE = ROOT / "src/computewatch/data/demo/graph/s6-entities.jsonl"


@pytest.fixture(scope="session")
def built_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from computewatch.graph.store import GraphStore
    from computewatch.sources.entities import read_entities
    from computewatch.sources.lists import read_list

    home = tmp_path_factory.mktemp("api-workspace")
    with Workspace(home) as ws:
        fmt, records = read_list(LIST_FILE)
        ws.load_list("fictional_list", records, LIST_FILE, fmt)
        GraphStore(ws).load(read_entities([GRAPH_FILE]), [GRAPH_FILE])
    return home


@dataclass
class Api:
    client: TestClient
    db: CaseDB
    home: Path
    keys: dict[str, str]

    def headers(self, role: str, scheme: str = "ApiKey") -> dict[str, str]:
        return {"Authorization": f"{scheme} {self.keys[role]}"}

    def get(self, url: str, role: str = "viewer", **kw):  # type: ignore[no-untyped-def]
        return self.client.get(url, headers=self.headers(role), **kw)

    def post(self, url: str, role: str = "analyst", **kw):  # type: ignore[no-untyped-def]
        return self.client.post(url, headers=self.headers(role), **kw)


def make_api(tmp_path: Path, built: Path, settings: Settings) -> Api:
    home = tmp_path / "ws"
    home.mkdir()
    shutil.copy(built / DB_FILE, home / DB_FILE)
    db = open_case_db(home, settings)
    keys = {}
    with db.session() as s:
        for role in ("viewer", "analyst", "admin"):
            keys[role] = create_api_key(s, f"{role}-key", role, "test")[1]
    return Api(TestClient(create_app(settings, home, db)), db, home, keys)


@pytest.fixture
def api(tmp_path: Path, built_workspace: Path) -> Iterator[Api]:
    made = make_api(tmp_path, built_workspace, Settings())
    with made.client:
        yield made
    made.db.close()
