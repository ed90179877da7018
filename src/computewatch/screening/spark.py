"""Screening on Apache Spark: the built index broadcast to the executors, the queries screened in partitions.

The driver builds the screener once (as the local engine does), Spark broadcasts it
(pickled: a few MB for the BIS lists), and each partition of queries is screened by the
same code the local engine runs, so every result line is byte for byte the local one.
Lines come back in input order (partitions in order, queries in order within each).

    COMPUTEWATCH_ENGINE__SPARK_MASTER=spark://host:7077 computewatch screen ... --engine spark
    spark-submit --master spark://host:7077 <computewatch/__main__.py> screen ... --engine spark

The session is `engine.spark_engine.spark_session` with the setting engine.spark_master
(local[2] by default; under spark-submit, its --master); docs/screening.md says how to run
it on a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from computewatch.screening.model import Query
from computewatch.screening.screener import Screener

QUERIES_PER_PARTITION = 5_000


def _rows(queries: list[Query]) -> list[tuple[str, str, str, str, bytes]]:
    return [(q.name, q.id, q.country, q.schema, orjson.dumps(q.extra)) for q in queries]


def _screen_partition(screener: Any, with_probes: bool) -> Any:
    """The function each partition runs (a closure over the broadcast screener)."""

    def run(rows: Iterable[tuple[str, str, str, str, bytes]]) -> Iterator[tuple[bytes, bytes]]:
        from computewatch.screening.batch import result_record
        from computewatch.screening.touch import query_probes

        found: Screener = screener.value
        for name, qid, country, schema, extra in rows:
            query = Query(name, qid, country, schema, orjson.loads(extra))
            line = orjson.dumps(result_record(query, found))
            yield line, query_probes(name, found.index).to_bytes() if with_probes else b""

    return run


def screen_on_spark(
    queries: list[Query], screener: Screener, with_probes: bool = False, session: Any = None, partitions: int = 0,
    master: str = "local[2]",
) -> Iterator[tuple[bytes, bytes]]:
    """(result line, probes) per query in input order, screened on Spark (probes: screening.touch, or b'').
    `master`: the setting engine.spark_master, for a session made here (none given)."""
    if not queries:
        return iter(())
    if session is None:
        from computewatch.engine.spark_engine import spark_session

        session = spark_session(master)
    sc = session.sparkContext
    broadcast = sc.broadcast(screener)
    slices = partitions or max(1, -(-len(queries) // QUERIES_PER_PARTITION))
    rdd = sc.parallelize(_rows(queries), slices).mapPartitions(_screen_partition(broadcast, with_probes))

    def lines() -> Iterator[tuple[bytes, bytes]]:
        try:
            for line, probes in rdd.toLocalIterator():
                yield bytes(line), bytes(probes)
        finally:
            broadcast.unpersist()

    return lines()


def screen_lines_on_spark(
    queries: list[Query], screener: Screener, session: Any = None, master: str = "local[2]"
) -> Iterator[bytes]:
    """As screening.batch.screen_lines, on Spark."""
    return (line for line, _ in screen_on_spark(queries, screener, session=session, master=master))
