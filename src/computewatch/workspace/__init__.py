"""The workspace: the connection to its DuckDB file (connection.py) and the list store (lists.py).

    with Workspace(home) as ws:          # home: --workspace, else $COMPUTEWATCH_HOME, else ./computewatch-data
        ws.transaction(), ws.has_table("ops_usage")
        ws.load_list(dataset, records, file, fmt) -> LoadResult; ws.list_entities() -> list[ListEntity]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from computewatch.workspace.connection import DB_FILE, Connection, resolve_home
from computewatch.workspace.lists import ListEntity, ListStore, LoadResult

__all__ = ["DB_FILE", "ListEntity", "ListStore", "LoadResult", "Workspace", "resolve_home"]


class Workspace(Connection):
    """A workspace connection with its list store."""

    def __init__(self, home: str | Path | None = None, read_only: bool = False):
        super().__init__(home, read_only)
        self.lists = ListStore(self.con, self.transaction, create=not read_only)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load_list(self, *args: Any, **kwargs: Any) -> LoadResult:
        return self.lists.load_list(*args, **kwargs)

    def list_entities(self) -> list[ListEntity]:
        return self.lists.list_entities()

    def list_versions(self) -> list[dict[str, object]]:
        return self.lists.list_versions()

    def list_changes(self, version_id: int) -> list[tuple[str, str]]:
        return self.lists.list_changes(version_id)

    def rescreen_pending(self) -> list[tuple[int, str]]:
        return self.lists.rescreen_pending()
