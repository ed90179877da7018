"""One engine API over DuckDB (default) and Apache Spark; detectors never know which one runs them.

    open_engine(name, workspace, parquet=None) -> Engine    # "duckdb" or "spark"
    Engine.query(sql) / .materialise(name, sql) / .register_rows(name, columns, rows)
    Engine.traits                                          # named differences, tested per engine
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from computewatch.engine.base import OPERATIONAL_TABLES, Engine, EngineTraits, Row
from computewatch.errors import UsageError

ENGINES = ("duckdb", "spark")


def open_engine(name: str, con: object, parquet: Mapping[str, str | Path] | None = None, spark_master: str = "local[2]") -> Engine:
    """An engine over a workspace connection (`con`); `parquet` replaces tables by Parquet files;
    `spark_master`: where Spark runs (setting engine.spark_master; spark-submit's --master decides under it)."""
    import duckdb

    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise TypeError("open_engine needs a DuckDB connection (Workspace.con)")
    if name == "duckdb":
        from computewatch.engine.duckdb_engine import DuckDBEngine

        views = {t: f"SELECT * FROM read_parquet('{p}')" for t, p in (parquet or {}).items()}
        return DuckDBEngine(con, views)
    if name == "spark":
        try:
            from computewatch.engine.spark_engine import SparkEngine
        except ImportError as exc:  # pragma: no cover - pyspark is a dependency
            raise UsageError(f"--engine spark needs pyspark and Java 17: {exc}") from exc
        from computewatch.engine.spark_engine import spark_session

        return SparkEngine(con, parquet, session=spark_session(spark_master))
    raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "OPERATIONAL_TABLES", "Engine", "EngineTraits", "Row", "open_engine"]
