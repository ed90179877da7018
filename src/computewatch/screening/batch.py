"""Batch screening: a CSV of queries in, JSON lines out, input order kept."""

from __future__ import annotations

import csv
import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from computewatch.errors import InputError, InputProblem
from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.sources.inputfiles import (
    TRUNCATED,
    decoding,
    default_limits,
    delimiter_hint,
    ends_with_newline,
    open_text,
    row_problems,
    text_encoding,
)

QUERY_FIELDS = ("id", "name", "country", "schema")
CHUNK = 500
# Collections while a batch is screened: every result is kept (the screener's result cache),
# so Python's default (a young collection every 700 allocations, older ones walking the
# growing heap) cost about a fifth of the time on distinct queries. Fewer collections, the
# same results.
BATCH_GC_THRESHOLD = (50_000, 50, 100)

_worker_screener: Screener | None = None  # set in the parent before forking; read by workers


def read_queries(path: Path) -> list[Query]:
    problems: list[InputProblem] = []
    queries: list[Query] = []
    limits = default_limits()
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        reader = csv.DictReader(fh, strict=True)
        try:
            reader.fieldnames  # noqa: B018 - reads the header
        except csv.Error as err:
            raise InputError(path, 1, "header", f"malformed CSV: {err}") from None
        if not reader.fieldnames or "name" not in reader.fieldnames:
            hint = delimiter_hint(list(reader.fieldnames or []))
            raise InputError(path, 1, "name", f"the header needs a 'name' column (found {reader.fieldnames}){hint}")
        short_last = False
        try:
            for row in reader:
                line = reader.line_num
                short_last = None in row.values()  # fewer fields than the header
                if None in row:
                    problems.append(InputProblem(str(path), line, None, "more fields than the header"))
                    continue
                damaged = row_problems(str(path), line, list(row), [v or "" for v in row.values()], limits)
                if damaged:
                    problems.extend(damaged)
                    continue
                name = (row.get("name") or "").strip()
                if not name:
                    problems.append(InputProblem(str(path), line, "name", "empty"))
                    continue
                country = (row.get("country") or "").strip()
                if country and (len(country) != 2 or not country.isalpha()):
                    problems.append(InputProblem(str(path), line, "country", f"not an ISO 3166-1 alpha-2 code: {country!r}"))
                    continue
                extra = {k: v for k, v in row.items() if k not in QUERY_FIELDS and v}
                qid = (row.get("id") or "").strip() or str(len(queries) + 1)
                queries.append(Query(name, qid, country, (row.get("schema") or "").strip(), extra))
        except csv.Error as err:
            problems.append(InputProblem(str(path), reader.line_num, None, f"malformed CSV: {err}"))
    if short_last and not ends_with_newline(path):
        problems.append(InputProblem(str(path), line, None, TRUNCATED))
    if problems:
        raise InputError.many(problems)
    if not queries:
        raise InputError(path, 2, None, "no queries after the header")
    return queries


def result_record(query: Query, screener: Screener) -> dict[str, Any]:
    q: dict[str, Any] = {"name": query.name}
    if query.country:
        q["country"] = query.country
    if query.schema:
        q["schema"] = query.schema
    q.update(query.extra)
    return {"id": query.id, "query": q, "matches": [m.to_record() for m in screener.screen(query)]}


def _screen_chunk(chunk: list[Query]) -> list[bytes]:
    assert _worker_screener is not None
    return [orjson.dumps(result_record(q, _worker_screener)) for q in chunk]


def _screen_chunk_with_probes(chunk: list[Query]) -> list[tuple[bytes, bytes]]:
    from computewatch.screening.touch import query_probes

    assert _worker_screener is not None
    index = _worker_screener.index
    return [(orjson.dumps(result_record(q, _worker_screener)), query_probes(q.name, index).to_bytes()) for q in chunk]


def _start_worker() -> None:
    """A forked worker: the index it shares out of the collector's sight, collections rarer."""
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLD)


def _in_chunks(
    queries: list[Query], screener: Screener, work: Callable[[list[Query]], list[Any]], workers: int,
    progress: Callable[[int], None] | None,
) -> Iterator[Any]:  # fmt: skip
    """`work` over chunks of queries, in order; forks `workers` processes sharing the built index."""
    global _worker_screener
    workers = workers or (os.cpu_count() or 1)
    chunks = [queries[i : i + CHUNK] for i in range(0, len(queries), CHUNK)]
    _worker_screener = screener
    if workers <= 1 or len(chunks) <= 1 or "fork" not in mp.get_all_start_methods():
        before = gc.get_threshold()
        gc.set_threshold(*BATCH_GC_THRESHOLD)
        try:
            for chunk in chunks:
                yield from work(chunk)
                if progress:
                    progress(len(chunk))
        finally:
            gc.set_threshold(*before)
        return
    with mp.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        for chunk, lines in zip(chunks, pool.imap(work, chunks), strict=True):
            yield from lines
            if progress:
                progress(len(chunk))


def screen_lines(
    queries: list[Query], screener: Screener, workers: int = 0, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """Screen queries in order; forks `workers` processes sharing the built index (0 = one per CPU)."""
    return _in_chunks(queries, screener, _screen_chunk, workers, progress)


def screen_lines_with_probes(
    queries: list[Query], screener: Screener, workers: int = 0, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[bytes, bytes]]:
    """As screen_lines, each line with the query's hashed lookup keys (screening.touch), for re-screening."""
    return _in_chunks(queries, screener, _screen_chunk_with_probes, workers, progress)
