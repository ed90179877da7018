"""What every request needs, built once per application and handed to routes by `Depends`."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from computewatch.api.ratelimit import RateLimiter
from computewatch.cases.db import CaseDB
from computewatch.screening.screener import Screener
from computewatch.settings import Settings
from computewatch.workspace import DB_FILE, Workspace

T = TypeVar("T")
SCREENER_RECHECK_S = 60.0
KEY_CACHE_S = 5.0  # a key revoked from the CLI stops working within this many seconds


class KeyCache:
    """Recently verified keys (by SHA-256 of the presented key), so a burst of calls costs one lookup.

    An entry serves for `ttl` seconds from the lookup that made it, so a key revoked from the CLI stops
    within that. An entry still in use past half its life is due for a renewal (`due`, once): one lookup
    in the background puts a fresh entry before this one lapses. Without it, every `ttl` seconds every
    request in flight on a busy server missed at once and queued for the database together (measured:
    about 50 lookups per worker at a time, a hundredth of the requests: the server's p99).
    `clear` (a key revoked through the API) also voids the lookups under way at that moment."""

    def __init__(self, ttl: float = KEY_CACHE_S):
        self.ttl = ttl
        self._items: dict[str, tuple[float, float, Any]] = {}  # digest -> (expires, renew after, value)
        self._lock = threading.Lock()
        self._generation = 0
        # lookups under way (auth.py): digest -> (event loop, generation at the start, the lookup)
        self.lookups: dict[str, tuple[asyncio.AbstractEventLoop, int, asyncio.Future[Any]]] = {}

    @property
    def generation(self) -> int:
        """Bumped by every `clear`."""
        return self._generation

    def ticket(self) -> tuple[int, float]:
        """Take it just before a lookup and hand it to `put`. The entry's life runs from then, not from the
        lookup's end, so a key revoked while it ran still lapses within `ttl`; and a lookup that a `clear`
        overtook is not kept."""
        return self._generation, time.monotonic()

    def get(self, digest: str) -> Any:
        with self._lock:
            item = self._items.get(digest)
        return item[2] if item and item[0] > time.monotonic() else None

    def due(self, digest: str) -> bool:
        """True (once) when a live entry is past half its life: the caller renews it."""
        now = time.monotonic()
        with self._lock:
            item = self._items.get(digest)
            if item is None or not item[1] <= now < item[0]:
                return False
            self._items[digest] = (item[0], item[0], item[2])  # claimed: not due again
            return True

    def put(self, digest: str, value: Any, ticket: tuple[int, float] | None = None) -> None:
        """Keep what a lookup (begun at `ticket`, else now) found; None (unknown or revoked) drops the entry."""
        generation, looked_up = ticket or self.ticket()
        with self._lock:
            if generation != self._generation:
                return
            if value is None:
                self._items.pop(digest, None)
                return
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[digest] = (looked_up + self.ttl, looked_up + self.ttl / 2, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._generation += 1


@dataclass
class ApiContext:
    settings: Settings
    workspace: Path
    db: CaseDB
    limiter: RateLimiter
    key_cache: KeyCache = field(default_factory=KeyCache)
    # set by the pre-fork server in its workers: the parent process reloads the lists and replaces the workers,
    # so a worker never rebuilds the index itself (that would unshare the pages it inherited)
    lists_reloaded_elsewhere: bool = False
    _screening_gate: asyncio.Semaphore | None = field(default=None, repr=False)
    _screener: Screener | None = field(default=None, repr=False)
    _screener_version: object = field(default=None, repr=False)
    _screener_checked: float = field(default=0.0, repr=False)
    _datasets: list[str] = field(default_factory=list, repr=False)
    _dataset_versions: dict[str, int] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @contextmanager
    def open_workspace(self) -> Iterator[Workspace]:
        """The DuckDB workspace, opened for one piece of work (other processes may use it in between)."""
        with self._lock, Workspace(self.workspace) as ws:
            yield ws

    @contextmanager
    def read_workspace(self) -> Iterator[Workspace]:
        """The workspace opened read-only: several server processes may read at once, where read-write
        connections would lock each other out."""
        if not (self.workspace / DB_FILE).exists():
            with self.open_workspace():  # creates the file and its tables, so that readers find them
                pass
        with self._lock:
            try:
                ws = Workspace(self.workspace, read_only=True)
            except duckdb.ConnectionException:  # this process has it open read-write (a report being built)
                ws = Workspace(self.workspace)
            with ws:
                yield ws

    async def run_screening(self, work: Callable[..., T], *args: Any, names: int = 1) -> T:
        """Screening is CPU work under one GIL. A small job (a few names) against a loaded index runs
        right here on the event loop: a hand-off to a thread costs more than the screening. Larger jobs
        go to a thread, a few at a time in arrival order (a fair queue), so that under load every request
        waits about as long as the others and the event loop keeps answering."""
        if names <= self.settings.api.inline_screening_names and self.screener_ready():
            return work(*args)
        if self._screening_gate is None:
            self._screening_gate = asyncio.Semaphore(self.settings.api.screening_slots)
        async with self._screening_gate:
            return await run_in_threadpool(work, *args)

    def screener_ready(self) -> bool:
        """The index is loaded and no check for a list change is due (screener() will not block)."""
        if self._screener is None:
            return False
        return self.lists_reloaded_elsewhere or time.monotonic() - self._screener_checked < SCREENER_RECHECK_S

    def screener(self) -> Screener:
        """The screening index over the workspace's lists, rebuilt when a list is loaded again."""
        if self.screener_ready():
            return self._screener  # type: ignore[return-value]
        with self._lock:
            self.refresh_lists()
            return self._screener  # type: ignore[return-value]

    def list_version(self) -> object:
        with self.read_workspace() as ws:
            return ws.con.execute("SELECT max(version_id), count(*) FROM list_versions").fetchone()

    def refresh_lists(self) -> bool:
        """Rebuild the index when a list was loaded since the last look; True when it was rebuilt.
        Another process holding the workspace (a `lists load` in progress) is no reason to fail a
        screening: the index in hand keeps serving until the next look."""
        with self._lock:
            now = time.monotonic()
            try:
                version = self.list_version()
                if self._screener is not None and version == self._screener_version:
                    self._screener_checked = now
                    return False
                with self.read_workspace() as ws:
                    entities = ws.list_entities()
                    versions = dict(ws.con.execute("SELECT dataset, max(version_id) FROM list_versions GROUP BY dataset").fetchall())
            except duckdb.Error:  # IOException: another process holds the file; ConnectionException
                if self._screener is None:
                    raise
                self._screener_checked = now
                return False
            self._screener = Screener(entities, self.settings.screening, home=self.workspace)
            self._screener_version = version
            self._datasets = sorted({d for e in entities for d in e.datasets})
            self._dataset_versions = {str(k): int(v) for k, v in versions.items()}
            self._screener_checked = now
            return True

    def datasets(self) -> list[str]:
        """The datasets of the loaded lists (as the index in hand knows them)."""
        self.screener()
        return self._datasets

    def dataset_versions(self) -> dict[str, int]:
        """The list version of each dataset the index in hand was built from."""
        self.screener()
        return self._dataset_versions


async def get_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


async def get_settings(request: Request) -> Settings:
    context: ApiContext = request.app.state.context
    return context.settings
