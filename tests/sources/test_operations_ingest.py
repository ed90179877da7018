"""Ingest of the operational tables: CSV, JSON lines, Parquet; bad rows named while good rows load."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from computewatch.errors import InputError, UsageError
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

USAGE_HEADER = "account_id,start,end,accelerator,accelerator_count,utilisation,colour\n"


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as w:
        yield w


def test_bad_rows_are_named_by_file_line_and_field_while_good_rows_load(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "usage.csv"
    f.write_text(
        USAGE_HEADER
        + "a1,2026-01-01T00:00:00+08:00,2026-01-01T10:00:00+08:00,H100,8,0.5,blue\n"  # line 2: good
        + "a1,2026-01-02,2026-01-01,H100,8,0.5,\n"  # line 3: end before start
        + "a1,yesterday,2026-01-03,H100,8,,\n"  # line 4: bad start
        + "a1,2026-01-02,2026-01-03,H1OO-ultra,8,,\n"  # line 5: unknown chip
        + "a1,2026-01-02,2026-01-03,A100,0,1.5,\n"  # line 6: count 0 and utilisation 1.5
        + ",2026-01-02,2026-01-03,A100,2,,\n"  # line 7: missing account
        + "a2,2026-01-02T00:00:00Z,2026-01-02T02:00:00Z,a100 80gb,2,,\n"  # line 8: good (alias)
    )
    report = load_operations(ws, "usage", [f])
    found = {(p.line, p.field) for p in report.problems}
    assert found == {(3, "end"), (4, "start"), (5, "accelerator"), (6, "accelerator_count"), (6, "utilisation"), (7, "account_id")}
    assert all(p.file == str(f) for p in report.problems)
    assert "unknown chip" in next(p.reason for p in report.problems if p.field == "accelerator")
    assert (report.loaded, report.rejected) == (2, 5)
    rows = ws.con.execute(
        'SELECT account_id, "start", accelerator, gpu_hours, src_line, extra FROM ops_usage ORDER BY src_line'
    ).fetchall()
    assert rows[0][:5] == ("a1", datetime(2025, 12, 31, 16, 0), "H100-SXM", 80.0, 2)  # +08:00 -> UTC; H100 -> catalogue name
    assert rows[0][5] == '{"colour":"blue"}'  # other columns are kept
    assert rows[1][2] == "A100"


def test_json_lines_and_parquet_load_the_same_table(ws: Workspace, tmp_path: Path) -> None:
    jl = tmp_path / "access.jsonl"
    jl.write_text(
        '{"account_id": "a1", "ts": "2026-02-01T00:00:00Z", "country": "cn", "tokens": 1200}\n'
        "not json\n"
        '{"account_id": "a1", "ts": "2026-02-01T00:00:00Z", "country": "XX"}\n'
    )
    report = load_operations(ws, "access", [jl])
    assert [(p.line, p.field) for p in report.problems] == [(2, None), (3, "country")]
    pq = tmp_path / "access.parquet"
    duckdb.execute(
        f"COPY (SELECT 'a2' AS account_id, TIMESTAMP '2026-02-02 00:00:00' AS ts, 'SG' AS country, 5 AS tokens) TO '{pq}' (FORMAT parquet)"
    )
    assert load_operations(ws, "access", [pq]).loaded == 1
    assert ws.con.execute("SELECT account_id, country, tokens, src_line FROM ops_access ORDER BY account_id").fetchall() == [
        ("a1", "CN", 1200.0, 1), ("a2", "SG", 5.0, 1),
    ]  # fmt: skip


def test_a_missing_required_column_rejects_the_file(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "leases.csv"
    f.write_text("lease_id,lessee_name\nL1,Someone\n")
    with pytest.raises(InputError) as caught:
        load_operations(ws, "leases", [f])
    assert {p.field for p in caught.value.problems} >= {"site_country", "servers", "accelerator"}
    assert ws.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ops_loads'").fetchone() == (0,)


def test_keyed_tables_replace_and_event_files_are_not_loaded_twice(ws: Workspace, tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("account_id,holder_name,country,created_at\nx1,Old Name,SG,2025-01-01\nx1,Dup,SG,2025-01-01\n")
    report = load_operations(ws, "accounts", [a])
    assert [(p.line, p.field) for p in report.problems] == [(3, "account_id")]
    b = tmp_path / "b.csv"
    b.write_text("account_id,holder_name,country,created_at\nx1,New Name,SG,2025-01-01\n")
    load_operations(ws, "accounts", [b])
    assert ws.con.execute("SELECT holder_name FROM ops_accounts").fetchall() == [("New Name",)]
    again = load_operations(ws, "accounts", [b])
    assert again.skipped_files == [str(b)] and again.loaded == 0


def test_a_load_is_atomic(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "m1.csv"
    good.write_text("site_country,ts,devices,bytes\nMY,2026-01-01,3,1e12\n")
    broken = tmp_path / "m2.csv"
    broken.write_text("site_country,ts,devices,bytes\nMY,2026-01-02,3,1e12\n")
    from computewatch.sources.operations import load as load_module

    real = load_module._insert
    calls = []

    def failing(con, spec):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(con, spec)

    monkeypatch.setattr(load_module, "_insert", failing)
    with pytest.raises(RuntimeError):
        load_operations(ws, "media", [good, broken])
    tables = {r[0] for r in ws.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "ops_media" not in tables  # not even the empty table of the first load is left


def test_unknown_kind_is_a_usage_error_and_a_missing_file_an_input_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_operations(ws, "shipments-typo", [])
    with pytest.raises(InputError, match="nope.csv: file not found"):
        load_operations(ws, "media", [tmp_path / "nope.csv"])
