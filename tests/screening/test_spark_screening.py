"""Screening on Spark (local mode) gives the local engine's results byte for byte:
`computewatch screen --engine spark`, and re-screening the workspace's parties on Spark."""

from __future__ import annotations

import csv
import random
import shutil
from datetime import date
from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

from computewatch.commands import screen as screen_commands
from computewatch.rescreen import rescreen
from computewatch.screening.batch import screen_lines
from computewatch.screening.model import Query
from computewatch.screening.spark import screen_on_spark
from computewatch.sources.lists import read_list
from computewatch.sources.operations import load_operations
from computewatch.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
REAL_LIST = ROOT / "src/computewatch/data/lists/bis-lists.csl.csv"
CASES = ROOT / "eval/screening/cases.csv"
app = typer.Typer()
screen_commands.register(app)
app.command("noop")(lambda: None)  # two commands: the command name stays on the command line
FICTIONAL = ["Amberwick Trading Co., Ltd.", "Brightmoor Systems LLC", "Cobaltine Research Institute", "Иван Дунхоллов"]


@pytest.fixture(scope="module")
def spark():  # type: ignore[no-untyped-def]
    pytest.importorskip("pyspark")
    from computewatch.engine.spark_engine import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _queries() -> list[Query]:
    """Queries in every script of the evaluation set (Latin, Han, Cyrillic), with countries and schemas."""
    with CASES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(4)
    picked = rng.sample(rows, 240)
    queries = [Query(r["query"], f"q{i}", r["country"], rng.choice(["", "", "Company", "Person"]), {"ref": str(i)})
               for i, r in enumerate(picked)]  # fmt: skip
    return queries + [Query(n, f"f{i}") for i, n in enumerate(FICTIONAL)]


def test_spark_results_are_the_local_results_byte_for_byte(spark, real_screener) -> None:  # type: ignore[no-untyped-def]
    queries = _queries()
    local = list(screen_lines(queries, real_screener, workers=1))
    on_spark = [line for line, _ in screen_on_spark(queries, real_screener, session=spark, partitions=3)]
    assert on_spark == local
    assert sum(b'"match":true' in line for line in local) > 100  # not vacuous
    assert [orjson.loads(line)["id"] for line in on_spark] == [q.id for q in queries]  # input order kept


def test_spark_probes_are_the_local_probes(spark, real_screener) -> None:  # type: ignore[no-untyped-def]
    from computewatch.screening.batch import screen_lines_with_probes

    queries = _queries()[:60]
    local = list(screen_lines_with_probes(queries, real_screener, workers=1))
    assert list(screen_on_spark(queries, real_screener, with_probes=True, session=spark, partitions=2)) == local


def test_screen_command_on_spark_writes_the_local_file(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    queries = tmp_path / "queries.csv"
    with queries.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "country"])
        for q in _queries()[:80]:
            w.writerow([q.id, q.name, q.country])
    runner = CliRunner()
    outs = {}
    for engine in ("local", "spark"):
        outs[engine] = tmp_path / f"{engine}.jsonl"
        result = runner.invoke(app, ["screen", str(queries), "--out", str(outs[engine]), "--lists", str(REAL_LIST), "--engine", engine])
        assert result.exit_code == 0, result.output
    assert outs["spark"].read_bytes() == outs["local"].read_bytes()
    bad = runner.invoke(app, ["screen", str(queries), "--out", str(tmp_path / "x.jsonl"), "--lists", str(REAL_LIST), "--engine", "flink"])
    assert bad.exit_code != 0 and "local, spark" in str(bad.exception)  # a UsageError: exit 2 through main()


def test_rescreen_on_spark_raises_the_local_alerts(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fmt, records = read_list(REAL_LIST)
    held = {r.id for r in records[::200]}
    accounts = tmp_path / "accounts.csv"
    rng = random.Random(9)
    with accounts.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "holder_name", "country", "created_at", "payer_name", "billing_country"])
        for i, r in enumerate(records[::40]):
            w.writerow([f"acc-{i}", r.to_list_entity("x").names[0].upper(), "SG", "2026-01-01", rng.choice(FICTIONAL), "SG"])
    with Workspace(tmp_path / "local") as ws:
        ws.load_list("us_trade_csl", [r for r in records if r.id not in held], REAL_LIST, fmt)
        assert not load_operations(ws, "accounts", [accounts]).problems
        rescreen(ws, date(2026, 12, 1), run_detectors=False)
    shutil.copytree(tmp_path / "local", tmp_path / "spark")
    alerts = {}
    for side in ("local", "spark"):
        with Workspace(tmp_path / side) as ws:
            ws.load_list("us_trade_csl", records, REAL_LIST, fmt)
            report = rescreen(ws, date(2026, 12, 1), run_detectors=False, full=True, engine=side)
            alerts[side] = [orjson.dumps(a.to_json(), option=orjson.OPT_SORT_KEYS) for a in report.alerts]
            probes = ws.con.execute(
                """SELECT p.party_key, p.weight, k.key, k.credit, k.grp FROM rescreen_probe_parties p
                   JOIN rescreen_probe_keys k USING (party) ORDER BY ALL"""
            ).fetchall()
            alerts[side + " probes"] = probes
    assert alerts["spark"] == alerts["local"] and alerts["local"]
    assert alerts["spark probes"] == alerts["local probes"] and alerts["local probes"]
