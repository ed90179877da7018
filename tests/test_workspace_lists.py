"""Loading lists into the workspace: atomic, idempotent, with a record of what changed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from computewatch.errors import InputError
from computewatch.sources.lists import read_list
from computewatch.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
REAL_LIST = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    header = next(reader)
    return header, list(reader)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([header, *rows])
    return path


def _load(ws: Workspace, path: Path):  # type: ignore[no-untyped-def]
    fmt, records = read_list(path)
    return ws.load_list("us_trade_csl", records, path, fmt)


@pytest.fixture
def small_list(tmp_path: Path) -> Path:
    header, rows = _rows(REAL_LIST)
    return _write(tmp_path / "v1.csv", header, rows[:200])


def test_load_then_reload_is_idempotent(tmp_path: Path, small_list: Path):
    with Workspace(tmp_path / "ws") as ws:
        first = _load(ws, small_list)
        assert first.version_id == 1 and first.added == first.entity_count > 0
        again = _load(ws, small_list)
        assert again.unchanged
        assert len(ws.list_versions()) == 1


def test_new_version_replaces_and_records_changes(tmp_path: Path, small_list: Path):
    header, rows = _rows(small_list)
    name_col, alias_col, id_col = header.index("name"), header.index("alt_names"), header.index("_id")
    removed_id = rows[0][id_col]
    rows_v2 = [list(r) for r in rows[1:]]
    modified_id = rows_v2[0][id_col]
    rows_v2[0][alias_col] = "Fictional Alias Trading Co."
    added = list(rows_v2[-1])
    added[id_col], added[name_col] = "fictional-new-entry", "Northwind Analytics FZE"
    rows_v2.append(added)
    v2 = _write(tmp_path / "v2.csv", header, rows_v2)
    with Workspace(tmp_path / "ws") as ws:
        _load(ws, small_list)
        result = _load(ws, v2)
        assert (result.added, result.removed) == (1, 1)
        assert result.modified >= 1
        changes = dict(ws.list_changes(result.version_id))
        assert changes[f"csl-{removed_id}"] == "removed"
        assert changes["csl-fictional-new-entry"] == "added"
        assert changes[f"csl-{modified_id}"] == "modified"
        ids = {e.id for e in ws.list_entities()}
        assert f"csl-{removed_id}" not in ids and "csl-fictional-new-entry" in ids


def test_truncated_file_leaves_workspace_as_it_was(tmp_path: Path, small_list: Path):
    data = REAL_LIST.read_bytes()
    truncated = tmp_path / "truncated.csv"
    truncated.write_bytes(data[: len(data) // 3] + b'"unterminated')
    with Workspace(tmp_path / "ws") as ws:
        _load(ws, small_list)
        before = sorted(e.id for e in ws.list_entities())
        with pytest.raises(InputError):
            _load(ws, truncated)
        assert sorted(e.id for e in ws.list_entities()) == before
        assert len(ws.list_versions()) == 1


class _FailingOnChanges:
    """A connection that fails when the change log is written, after the entities were replaced."""

    def __init__(self, con):  # type: ignore[no-untyped-def]
        self._con = con

    def executemany(self, sql, rows):  # type: ignore[no-untyped-def]
        if "list_changes" in sql:
            raise RuntimeError("disk full")
        return self._con.executemany(sql, rows)

    def execute(self, sql, *args):  # type: ignore[no-untyped-def]
        if "INSERT INTO list_changes" in sql:  # rows are inserted column by column
            raise RuntimeError("disk full")
        return self._con.execute(sql, *args)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._con, name)


def test_failure_inside_the_transaction_rolls_back(tmp_path: Path, small_list: Path):
    with Workspace(tmp_path / "ws") as ws:
        _load(ws, small_list)
        before = sorted(e.id for e in ws.list_entities())
        fmt, records = read_list(small_list)
        real = ws.con
        ws.con = _FailingOnChanges(real)  # type: ignore[assignment]
        with pytest.raises(RuntimeError):
            ws.load_list("us_trade_csl", records[:10], small_list, fmt)
        ws.con = real
        assert sorted(e.id for e in ws.list_entities()) == before
        assert len(ws.list_versions()) == 1
