"""Bad rows name file, line and field; the command writes one record per chip atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from locate_helpers import probe_rows, write_csv
from typer.testing import CliRunner

from computewatch.commands import locate as locate_command
from computewatch.errors import InputError
from computewatch.locate import read_probes

FIXTURE = Path(__file__).parents[1] / "fixtures" / "locate" / "probes.csv"


def test_bad_rows_are_all_reported_with_line_and_field(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-BAD-1", "frankfurt", "frankfurt")[:4]
    rows[0]["rtt_ms"] = "fast"
    rows[1]["landmark_lat"] = "95"
    rows[2]["ts"] = "yesterday"
    rows[3]["claimed_country"] = "Germany"
    with pytest.raises(InputError) as err:
        read_probes(write_csv(tmp_path / "p.csv", rows))
    found = {(p.line, p.field) for p in err.value.problems}
    assert {(2, "rtt_ms"), (3, "landmark_lat"), (4, "ts"), (5, "claimed_country")} <= found
    assert all(p.file.endswith("p.csv") for p in err.value.problems)


def test_missing_column_is_reported_on_the_header(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "rtt_ms"} for r in probe_rows("CHIP-BAD-2", "dallas", "dallas")[:2]]
    with pytest.raises(InputError) as err:
        read_probes(write_csv(tmp_path / "p.csv", rows))
    assert [(p.line, p.field) for p in err.value.problems] == [(1, "rtt_ms")]


def test_jsonl_input_and_its_errors(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-JS-1", "dallas", "dallas")
    good = tmp_path / "p.jsonl"
    good.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert len(read_probes(good).probes) == len(rows)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rows[0]) + "\n{not json\n")
    with pytest.raises(InputError) as err:
        read_probes(bad)
    assert err.value.problems[0].line == 2


def test_a_chip_cannot_change_its_claim_between_rows(tmp_path: Path) -> None:
    rows = probe_rows("CHIP-BAD-3", "dallas", "dallas")[:3]
    rows[2]["claimed_country"] = "MX"
    with pytest.raises(InputError) as err:
        read_probes(write_csv(tmp_path / "p.csv", rows))
    assert (err.value.problems[0].line, err.value.problems[0].field) == (4, "claimed_country")


def _app() -> typer.Typer:
    app = typer.Typer()
    locate_command.register(app)
    return app


def test_cli_writes_contract_records_and_maps(tmp_path: Path) -> None:
    out, maps = tmp_path / "v.jsonl", tmp_path / "maps"
    result = CliRunner().invoke(_app(), ["locate", "verify", str(FIXTURE), "--out", str(out), "--map-dir", str(maps)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["chip_id"] for r in records] == ["CHIP-DE-0001", "CHIP-MY-0002", "CHIP-US-0003", "CHIP-SG-0004"]
    for r in records:
        assert {"chip_id", "claimed_country", "consistent", "feasible_countries", "max_distance_km_from_claim", "reasons"} <= set(r)
    assert [r["consistent"] for r in records] == [True, False, True, False]
    assert records[1]["feasible_countries"] == ["CN"]
    page = (maps / "CHIP-MY-0002.html").read_text()
    assert "<svg" in page and "feasible region" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_input_problems_raise_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("chip_id,claimed_country\nX,DE\n")
    result = CliRunner().invoke(_app(), ["locate", "verify", str(bad), "--out", str(tmp_path / "o.jsonl")])
    assert isinstance(result.exception, InputError) and result.exception.exit_code == 1
    assert not (tmp_path / "o.jsonl").exists()
