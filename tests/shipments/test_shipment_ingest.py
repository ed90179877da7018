"""`ingest shipments`: bad rows named by file, line and field; good rows kept; `shipments score` output."""

from __future__ import annotations

import orjson
import pytest
from shipments_helpers import FIXTURES
from typer.testing import CliRunner

from computewatch.cli import _register_commands, app
from computewatch.errors import InputError
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace


def _ids(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT shipment_id FROM shipments ORDER BY shipment_id").fetchall()]


def test_bad_rows_are_named_and_good_rows_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path) as ws:
        report = load_shipments(ws, [FIXTURES / "bad-rows.csv"])
        assert _ids(ws) == ["OK-1", "OK-2"]
        payer = ws.con.execute("SELECT payer_country FROM shipments WHERE shipment_id = 'OK-2'").fetchone()
    found = {(p.line, p.field) for p in report.problems}
    assert found == {(3, "consignee_country"), (4, "date"), (5, "consignee"), (6, "quantity"), (6, "value_usd"),
                     (8, "shipment_id"), (9, None)}  # fmt: skip
    assert all(p.file.endswith("bad-rows.csv") for p in report.problems)
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in str(report.problems[0])
    assert report.loaded == 2 and report.rejected == 6
    assert payer == ("SG",)  # 'sg' upper-cased


def test_json_lines_with_offsets_and_extra_columns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path) as ws:
        report = load_shipments(ws, [FIXTURES / "shipments.jsonl"])
        row = ws.con.execute("SELECT \"date\", extra FROM shipments WHERE shipment_id = 'J-1'").fetchone()
    assert row is not None and row[0].isoformat() == "2026-04-01T01:30:00"  # +08:00 to UTC
    assert orjson.loads(row[1]) == {"incoterm": "DAP"}
    assert {(p.line, p.field) for p in report.problems} == {(2, "quantity"), (3, None)}


def test_loading_again_replaces_by_shipment_id(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path) as ws:
        load_shipments(ws, [FIXTURES / "shipments.csv"])
        load_shipments(ws, [FIXTURES / "shipments.csv"])
        assert len(_ids(ws)) == 27


def test_missing_required_column_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "no-consignee.csv"
    bad.write_text("shipment_id,date,shipper,consignee_country,destination_country,description\nX,2026-01-01,A,SG,SG,H100\n")
    with Workspace(tmp_path / "ws") as ws:
        with pytest.raises(InputError) as caught:  # a file without a required column is refused whole
            load_shipments(ws, [bad])
        assert ws.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'shipments'").fetchone() == (0,)
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "consignee")]


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    _register_commands()
    return CliRunner()


def test_cli_ingest_exits_1_naming_rows(cli: CliRunner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["ingest", "shipments", str(FIXTURES / "bad-rows.csv"), "-w", str(tmp_path)], standalone_mode=False)
    assert isinstance(result.exception, Exception) and getattr(result.exception, "exit_code", None) == 1
    assert "line 3, field 'consignee_country'" in str(result.exception)


def test_cli_score_writes_scores_rollup_and_alerts(cli: CliRunner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    assert cli.invoke(app, ["ingest", "shipments", str(FIXTURES / "shipments.csv"), "-w", ws]).exit_code == 0
    lists = str(FIXTURES.parent / "lists" / "fictional.ftm.jsonl")
    out, cons, alerts = tmp_path / "scores.jsonl", tmp_path / "cons.jsonl", tmp_path / "alerts.jsonl"
    result = cli.invoke(app, ["shipments", "score", "--as-of", "2026-11-25", "--out", str(out), "--consignees", str(cons),
                              "--alerts", str(alerts), "--lists", lists, "-w", ws])  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(scores) == 27
    by_id = {s["shipment_id"]: s for s in scores}
    assert by_id["LIST-01"]["alert"] and by_id["LIST-01"]["flags"][0]["id"] == "listed_party"
    assert not by_id["DIST-05"]["alert"]
    rollup = [orjson.loads(line) for line in cons.read_bytes().splitlines()]
    assert rollup[0]["score"] >= rollup[-1]["score"]
    meridian = next(c for c in rollup if c["consignee"] == "Meridian Components Pte. Ltd.")
    assert meridian["shipments"] == 11 and len(meridian["months"]) == 11 and meridian["score"] < 0.5
    records = [orjson.loads(line) for line in alerts.read_bytes().splitlines()]
    assert records and all(list(r)[:9] == ["id", "detector", "scenario", "severity", "score", "subjects", "as_of", "summary", "evidence"]
                           for r in records)  # fmt: skip
    assert {r["subjects"][0] for r in records if r["detector"] == "shipment-diversion"} == {
        "FWD-01", "GFX-01", "RES-01", "LIST-01", "HUB-01", "LOW-01"}  # fmt: skip
    assert all(e["fact"] and e["source"] for r in records for e in r["evidence"])
