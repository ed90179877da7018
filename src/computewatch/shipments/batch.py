"""Score every shipment in chunks of whole consignees, in this process or in forked workers.

A consignee's shipments are judged in date order against its own history, and nothing else
carries from one consignee to the next, so the rows (in consignee, date and shipment order)
are cut into chunks at consignee boundaries and each chunk is scored on its own. The parent
reads the rows from DuckDB and hands each chunk to a worker forked with everything the run
built (policy cache, party checks, screener: like screening/batch.py). Workers write their
chunk's output lines to the output file themselves, each chunk in its turn, and send back
only counts and what the caller asked to keep of each consignee and alert; chunks come back
in order, so the output is the same, byte for byte, as scoring in one process.

Workers never touch DuckDB (a forked connection is not safe to use): rows reach them
marshalled, and graph lookups, the only other reads, are made by the parent before forking
(`ShipmentScorer.prepare_workers`), on the day a serial run makes each of them.
"""

from __future__ import annotations

import gc
import io
import marshal
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import orjson

from computewatch.shipments.alerts import consignee_alert, shipment_alert
from computewatch.shipments.history import History
from computewatch.shipments.rollup import ConsigneeRollup, rank
from computewatch.shipments.scoring import ShipmentScore, ShipmentScorer

FETCH = 10_000
CHUNK_ROWS = 2_000  # rows per chunk (a chunk ends with a whole consignee): small, so each worker's buffers are reused
SERIAL_BELOW = 50_000  # fewer rows than this are scored in this process


@dataclass
class ScoredChunk:
    """What scoring a chunk gives: counts, the output lines unless written already, and what was asked."""

    index: int = 0
    shipments: int = 0
    of_interest: int = 0
    alerts: int = 0  # shipments at or above the alert score
    lines: bytes = b""  # one JSON line per shipment (ShipmentScore.json_line), in order; empty when written to `out`
    # on_alert(s) for each shipment at or above the alert score
    found: list[Any] = field(default_factory=list)
    # on_consignee(roll-up) for each consignee of the chunk
    consignees: list[Any] = field(default_factory=list)


def _keep(rollup: ConsigneeRollup) -> ConsigneeRollup:
    return rollup


@dataclass
class ChunkJob:
    """One run: the scorer, and what to keep of each scored shipment and of each consignee's roll-up.

    on_alert and on_consignee run where the chunk is scored (a forked worker); what they return
    comes back to the caller, so they should return little. A consignee is in one chunk only, so
    its roll-up (of-interest shipments, as rollup.Rollup makes it) is complete there.
    """

    scorer: ShipmentScorer
    lines: bool = True
    on_alert: Callable[[ShipmentScore], Any] | None = None
    on_consignee: Callable[[ConsigneeRollup], Any] | None = _keep

    def score(self, rows: list[tuple[Any, ...]], index: int = 0) -> tuple[ScoredChunk, bytearray]:
        """Score rows of ShipmentScorer.query() (whole consignees, in order): the chunk, and its output lines."""
        scorer, out, lines = self.scorer, ScoredChunk(index, len(rows)), bytearray()
        on_alert, on_consignee, rollups = self.on_alert, self.on_consignee, []
        history, current, rollup = History(), None, None
        for raw in rows:
            ckey = raw[0]
            row = scorer.shipment(raw)
            if ckey != current:
                history, current, rollup = History(), ckey, None
            s = scorer.score(ckey, row, history)
            if self.lines:
                s.write_json(lines)
            if s.of_interest:  # history: earlier shipments of advanced computing items
                history.add(row.date, row.value_usd)
                out.of_interest += 1
                if rollup is None:
                    rollup = ConsigneeRollup(ckey, s.consignee, s.consignee_country)
                    rollups.append(rollup)
                rollup.add(s)
            if s.alert:
                out.alerts += 1
                if on_alert is not None:
                    out.found.append(on_alert(s))
        if on_consignee is not None:
            out.consignees = [on_consignee(r) for r in rollups]
        return out, lines


def chunks_of(
    scorer: ShipmentScorer, chunk_rows: int = CHUNK_ROWS
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of scorer.query(), in chunks of at least chunk_rows rows (but the last) ending with a whole consignee."""
    cur = scorer.ws.con.cursor()
    try:
        cur.execute(scorer.query())
        pending: list[tuple[Any, ...]] = []
        while batch := cur.fetchmany(FETCH):
            pending += batch
            start = 0
            while len(pending) - start >= chunk_rows:
                last, cut = pending[start + chunk_rows - 1][0], start + chunk_rows
                while cut < len(pending) and pending[cut][0] == last:
                    cut += 1
                if cut == len(pending):  # the consignee may go on in the next batch
                    break
                yield pending[start:cut]
                start = cut
            del pending[:start]
        if pending:
            yield pending
    finally:
        cur.close()


def _write(fd: int, data: bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


# Set in the parent before forking, read by the workers: the job, the output file, and whose turn it is to write.
_job: ChunkJob | None = None
_fd: int | None = None
_turn: Any = None  # multiprocessing Condition
_next: Any = None  # multiprocessing RawValue: the index of the next chunk to write


def _start_worker() -> None:
    assert _job is not None
    # a graph lookup that prepare_workers missed fails, rather than read DuckDB
    _job.scorer.checks.parties.in_worker = True
    gc.freeze()  # what the parent built is never garbage here: collections need not walk (and copy) it


def _score_marshalled(index: int, payload: bytes) -> ScoredChunk:
    assert _job is not None
    out, lines = _job.score(marshal.loads(payload), index)
    if _fd is None:
        out.lines = bytes(lines)
        return out
    with _turn:
        _turn.wait_for(lambda: _next.value == index)
    _write(_fd, lines)
    with _turn:
        _next.value = index + 1
        _turn.notify_all()
    return out


def workers_for(workers: int | None) -> int:
    """0 or None: one per CPU."""
    return workers or os.cpu_count() or 1


def score_chunks(
    scorer: ShipmentScorer,
    out: IO[bytes] | None = None,
    *,
    lines: bool = True,
    on_alert: Callable[[ShipmentScore], Any] | None = None,
    on_consignee: Callable[[ConsigneeRollup], Any] | None = _keep,
    workers: int | None = 0,
    chunk_rows: int | None = None,
    serial_below: int | None = None,
) -> Iterator[ScoredChunk]:
    """Every shipment scored, chunk by chunk in scoring order, on `workers` processes (0: one per CPU).

    With `out` (a binary file), the JSON lines are written to it, in order, as the chunks are
    scored; else each chunk carries its lines. Fewer than serial_below rows (default SERIAL_BELOW),
    one worker, or no 'fork' start method: everything runs in this process. The output is the
    same either way. chunk_rows: shipments per chunk (default CHUNK_ROWS).
    """
    global _job, _fd, _turn, _next
    job = ChunkJob(scorer, lines, on_alert, on_consignee)
    n, chunk_rows = workers_for(workers), chunk_rows or CHUNK_ROWS
    serial_below = SERIAL_BELOW if serial_below is None else serial_below
    if n <= 1 or "fork" not in mp.get_all_start_methods() or scorer.count() < max(serial_below, 1):
        for index, rows in enumerate(chunks_of(scorer, chunk_rows)):
            chunk, text = job.score(rows, index)
            if out is not None:
                out.write(text)
            else:
                chunk.lines = bytes(text)
            yield chunk
        return
    scorer.prepare_workers()
    ctx = mp.get_context("fork")
    fd = _file_descriptor(out)
    _job, _fd, _turn, _next = job, fd, ctx.Condition(), ctx.RawValue("q", 0)
    try:
        with ctx.Pool(n, initializer=_start_worker) as pool:
            pending: deque[Any] = deque()
            for index, rows in enumerate(chunks_of(scorer, chunk_rows)):
                pending.append(pool.apply_async(_score_marshalled, (index, marshal.dumps(rows))))
                while pending and (len(pending) > 4 * n or pending[0].ready()):
                    yield _written(pending.popleft().get(), out, fd)
            while pending:
                yield _written(pending.popleft().get(), out, fd)
        if fd is not None and out is not None and out.seekable():
            out.seek(0, os.SEEK_END)  # the workers wrote through the file descriptor
    finally:
        _job = _fd = _turn = _next = None


def _file_descriptor(out: IO[bytes] | None) -> int | None:
    """The descriptor the workers write `out` through (flushed first), or None when it has none (BytesIO...)."""
    if out is None:
        return None
    try:
        fd = out.fileno()
    except (AttributeError, io.UnsupportedOperation):
        return None
    out.flush()
    return fd


def _written(chunk: ScoredChunk, out: IO[bytes] | None, fd: int | None) -> ScoredChunk:
    """A chunk back from a worker: its lines go to `out` here when the worker could not write them."""
    if out is not None and fd is None:
        out.write(chunk.lines)
        chunk.lines = b""
    return chunk


@dataclass
class ScoreSummary:
    shipments: int = 0
    of_interest: int = 0
    alerts: int = 0  # shipments at or above the alert score
    consignees: int = 0  # consignees with shipments of interest
    flagged: int = 0  # of which at or above the consignee alert score


def write_scores(
    scorer: ShipmentScorer,
    out: IO[bytes],
    consignees: IO[bytes] | None = None,
    alerts: IO[bytes] | None = None,
    workers: int | None = 0,
) -> ScoreSummary:
    """`computewatch shipments score`: every shipment's score to `out` (JSON lines, in scoring order),
    the consignees' roll-ups, riskiest first, to `consignees`, and S7 alerts (shipments, then
    consignees, most severe first) to `alerts`. What each consignee's roll-up gives the files is
    worked out where it is scored, so only lines and alerts come back from the workers."""
    th, summary = scorer.th, ScoreSummary()
    day = scorer.as_of.isoformat()

    def per_consignee(c: ConsigneeRollup) -> tuple[tuple[float, float, str], bytes, Any, bool]:
        flagged = c.score >= th.consignee_alert_score
        line = orjson.dumps(c.to_json()) + b"\n" if consignees is not None else b""
        alert = consignee_alert(c, day) if alerts is not None and flagged else None
        return rank(c), line, alert, flagged

    def per_alert(s: ShipmentScore) -> Any:
        return shipment_alert(s, day)

    found: list[Any] = []
    ranked: list[tuple[tuple[float, float, str], bytes, Any, bool]] = []
    for chunk in score_chunks(
        scorer,
        out,
        on_alert=per_alert if alerts is not None else None,
        on_consignee=per_consignee,
        workers=workers,
    ):
        summary.shipments += chunk.shipments
        summary.of_interest += chunk.of_interest
        summary.alerts += chunk.alerts
        found += chunk.found
        ranked += chunk.consignees
    ranked.sort(key=lambda c: c[0])
    summary.consignees, summary.flagged = len(ranked), sum(1 for c in ranked if c[3])
    if consignees is not None:
        for _, line, _, _ in ranked:
            consignees.write(line)
    if alerts is not None:
        found += [alert for _, _, alert, _ in ranked if alert is not None]
        for a in sorted(found, key=lambda a: (-a.score, a.detector, a.subjects)):
            alerts.write(orjson.dumps(a.to_json()) + b"\n")
    return summary
