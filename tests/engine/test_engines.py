"""One engine API: the same portable SQL on DuckDB and Spark, and their differences as named, tested traits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import sqlglot

from computewatch.detectors.context import DetectionContext
from computewatch.detectors.linkage import Customers
from computewatch.detectors.steps import usage_by_customer_sql, usage_monthly_sql
from computewatch.engine import Engine, open_engine
from computewatch.engine.base import normalise_value
from computewatch.engine.duckdb_engine import DuckDBEngine
from computewatch.engine.sql import literal, translate
from computewatch.errors import UsageError
from computewatch.settings.detectors import DetectorSettings

TRAIT_PROBES = {
    "concat_null_propagates": ("SELECT concat('a', NULL) IS NULL AS v", True),
    "nulls_first_ascending": ("SELECT x AS v FROM (SELECT 1 AS x UNION ALL SELECT NULL) ORDER BY x LIMIT 1", None),
    "integer_division_is_float": ("SELECT 7 / 2 AS v", 3.5),
}


def _check_traits(engine: Engine) -> None:
    """Native SQL shows the engine's own behaviour (the declared trait); the same probe as portable SQL,
    translated by the engine layer, must give DuckDB's answer on every engine."""
    for trait, (sql, expected) in TRAIT_PROBES.items():
        native = engine._query(sql)[0]["v"] == expected
        assert native == getattr(engine.traits, trait), f"{engine.name}: trait {trait} is wrong"
        portable = engine.query(sql)[0]["v"] == expected
        assert portable == getattr(DuckDBEngine.traits, trait), f"{engine.name}: portable SQL differs on {trait}"
    row = engine.query("SELECT CAST('2026-03-01 12:30:00' AS TIMESTAMP) AS ts, CAST('2026-03-01' AS DATE) AS d")[0]
    assert row == {"ts": datetime(2026, 3, 1, 12, 30), "d": date(2026, 3, 1)}


def test_duckdb_traits_are_what_the_engine_declares() -> None:
    with DuckDBEngine(duckdb.connect()) as engine:
        _check_traits(engine)


@pytest.mark.slow
def test_spark_traits_are_what_the_engine_declares(spark) -> None:  # type: ignore[no-untyped-def]
    from computewatch.engine.spark_engine import SparkEngine

    engine = SparkEngine(session=spark, tables=())
    try:
        _check_traits(engine)
    finally:
        engine.close()


def test_shared_steps_are_portable_sql() -> None:
    ctx = DetectionContext(None, date(2026, 11, 1), DetectorSettings(), None, None, {}, {}, Customers())  # type: ignore[arg-type]
    for sql in (usage_monthly_sql(ctx), usage_by_customer_sql()):
        spark_sql = translate(sql, "spark")
        assert "`end`" in spark_sql or "cw_usage_monthly" in spark_sql
        sqlglot.parse_one(spark_sql, read="spark")


def test_bad_portable_sql_fails_before_it_runs() -> None:
    with pytest.raises(sqlglot.errors.ParseError):
        translate("SELECT FROM WHERE", "spark")


def test_literals_and_values() -> None:
    assert literal("O'Brien") == "'O''Brien'"
    assert literal(date(2026, 1, 2)) == "CAST('2026-01-02' AS DATE)"
    assert normalise_value(__import__("decimal").Decimal("1.5")) == 1.5


def test_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        open_engine("postgres", duckdb.connect(str(tmp_path / "x.db")))


def test_duckdb_engine_reads_parquet_in_place_of_a_table(tmp_path: Path) -> None:
    pq = tmp_path / "u.parquet"
    duckdb.execute(f"COPY (SELECT 'a' AS account_id, 2.0 AS gpu_hours) TO '{pq}' (FORMAT parquet)")
    con = duckdb.connect(str(tmp_path / "w.db"))
    con.execute("CREATE TABLE ops_usage (account_id VARCHAR, gpu_hours DOUBLE)")
    with open_engine("duckdb", con, {"ops_usage": pq}) as engine:
        assert engine.query("SELECT account_id, gpu_hours FROM ops_usage") == [{"account_id": "a", "gpu_hours": 2.0}]
