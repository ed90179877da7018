"""Batch screening: CSV in, JSON lines out in input order, clear errors for bad rows; the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from computewatch.errors import InputError
from computewatch.screening.batch import read_queries, screen_lines

ROOT = Path(__file__).resolve().parents[2]
FICTIONAL_LIST = ROOT / "tests/fixtures/lists/fictional.ftm.jsonl"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "queries.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_results_keep_input_order_and_contract_shape(tmp_path: Path, real_screener):
    names = ["Inspur Group", "Kestrel Northgate Data Sdn. Bhd.", "北京航空航天大学", "Huawei Technologies Co., Ltd."] * 300
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "country", "note"])
    writer.writerows([f"q{i}", n, "CN", f"row {i}"] for i, n in enumerate(names))
    queries = read_queries(_csv(tmp_path, buffer.getvalue()))
    lines = [orjson.loads(line) for line in screen_lines(queries, real_screener, workers=2)]
    assert [rec["id"] for rec in lines] == [f"q{i}" for i in range(len(names))]
    first = lines[0]
    assert first["query"] == {"name": "Inspur Group", "country": "CN", "note": "row 0"}
    match = first["matches"][0]
    assert {"entity_id", "caption", "schema", "score", "match", "datasets", "explanation"} <= set(match)
    assert match["caption"] == "Inspur Group Co., Ltd." and match["match"] is True
    assert lines[1]["matches"] == [] or not any(m["match"] for m in lines[1]["matches"])


def test_bad_rows_are_named_by_line_and_field(tmp_path: Path):
    path = _csv(tmp_path, "id,name,country\n1,Inspur Group,CN\n2,,CN\n3,Acme,China\n")
    with pytest.raises(InputError) as err:
        read_queries(path)
    assert {(p.line, p.field) for p in err.value.problems} == {(3, "name"), (4, "country")}
    with pytest.raises(InputError, match="name"):
        read_queries(_csv(tmp_path, "id,title\n1,x\n"))


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMPUTEWATCH_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "computewatch", *args], capture_output=True, text=True, env=env, timeout=300)


def test_cli_loads_lists_and_screens(tmp_path: Path):
    home = tmp_path / "ws"
    loaded = _cli("lists", "load", str(FICTIONAL_LIST), home=home)
    assert loaded.returncode == 0, loaded.stderr
    assert "fictional_list version 1" in loaded.stdout
    again = _cli("lists", "load", str(FICTIONAL_LIST), home=home)
    assert "unchanged" in again.stdout

    queries = _csv(tmp_path, "id,name,country\na,青禾云算科技有限公司,CN\nb,Orchid Vale Compute,SG\n")
    out = tmp_path / "results.jsonl"
    done = _cli("screen", str(queries), "--out", str(out), home=home)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["matches"][0]["entity_id"] == "fic-qinghe" and records[0]["matches"][0]["match"]

    single = _cli("screen", "--name", "Qinghe Cloud Computing Technology", "--json", home=home)
    assert single.returncode == 0 and "fic-qinghe" in single.stdout


def test_cli_exit_codes(tmp_path: Path):
    home = tmp_path / "ws"
    bad = _csv(tmp_path, "id,name\n1,\n")
    _cli("lists", "load", str(FICTIONAL_LIST), home=home)
    problems = _cli("screen", str(bad), "--out", str(tmp_path / "o.jsonl"), home=home)
    assert problems.returncode == 1 and "line 2" in problems.stderr and "name" in problems.stderr
    assert not (tmp_path / "o.jsonl").exists()
    usage = _cli("screen", home=home)
    assert usage.returncode == 2
    broken_list = tmp_path / "broken.csv"
    broken_list.write_text('_id,source,name\n1,EL,"unterminated\n', encoding="utf-8")
    assert _cli("lists", "load", str(broken_list), home=home).returncode == 1
