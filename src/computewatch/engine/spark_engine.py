"""Apache Spark (pyspark, local mode by default): the same steps when data outgrows one machine.

Tables come from Parquet: either paths given as sources (a data lake), or the
workspace tables exported to a temporary folder. The session runs in UTC.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from computewatch.engine.base import OPERATIONAL_TABLES, Engine, EngineTraits, Row

log = logging.getLogger(__name__)
SPARK_TRAITS = EngineTraits(
    concat_null_propagates=True, nulls_first_ascending=True, integer_division_is_float=True, timestamps_naive_utc=True
)
_SPARK_TYPES = {"VARCHAR": "STRING", "DOUBLE": "DOUBLE", "BIGINT": "BIGINT", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP_NTZ", "BOOLEAN": "BOOLEAN"}


def spark_session(master: str = "local[2]", config: Mapping[str, str] | None = None) -> Any:
    """A Spark session for computewatch: UTC, small shuffles, no UI (get-or-create).

    `master`: local[N], spark://host:7077, yarn... (setting engine.spark_master); when
    spark-submit started this process, its --master decides and `master` is not used."""
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit's driver: its JVM is already configured
    builder = SparkSession.builder if submitted else SparkSession.builder.master(master)
    builder = (
        builder.appName("computewatch")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
    )  # fmt: skip
    if master.startswith("local") and not submitted:
        # Python workers in local mode run this interpreter, with its packages (screening runs computewatch there)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"
    traits = SPARK_TRAITS

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection | None = None,
        parquet: Mapping[str, str | Path] | None = None,
        session: Any = None,
        tables: Sequence[str] = OPERATIONAL_TABLES,
    ):
        """`con`: a workspace connection whose `tables` are exported to Parquet for Spark;
        `parquet`: table name -> Parquet file or folder, read directly (takes precedence)."""
        self.spark = session or spark_session()
        self._tmp = Path(tempfile.mkdtemp(prefix="cw-spark-"))
        self._cached: list[Any] = []
        given = dict(parquet or {})
        for table in tables:
            if table in given:
                path = str(given[table])
            elif con is not None:
                path = str(self._tmp / f"{table}.parquet")
                con.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
            else:
                continue
            self.spark.read.parquet(path).createOrReplaceTempView(table)

    def _query(self, sql: str) -> list[Row]:
        return [row.asDict(recursive=True) for row in self.spark.sql(sql).collect()]

    def _materialise(self, name: str, sql: str) -> None:
        frame = self.spark.sql(sql).cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)

    def register_rows(self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> None:
        schema = ", ".join(f"{c} {_SPARK_TYPES.get(t.upper(), t)}" for c, t in columns)
        self.spark.createDataFrame([tuple(r) for r in rows], schema=schema).createOrReplaceTempView(name)

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        for table in self.spark.catalog.listTables():
            if table.isTemporary:
                self.spark.catalog.dropTempView(table.name)
        shutil.rmtree(self._tmp, ignore_errors=True)
