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

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from computewatch.api.ratelimit import RateLimiter
from computewatch.cases.db import CaseDB
from computewatch.screening.screener import Screener
from computewatch.settings import Settings
from computewatch.workspace import Workspace

T = TypeVar("T")
SCREENER_RECHECK_S = 60.0
KEY_CACHE_S = 5.0  # a key revoked from the CLI stops working within this many seconds


class KeyCache:
    """Recently verified keys (by SHA-256 of the presented key), so a burst of calls costs one lookup."""

    def __init__(self, ttl: float = KEY_CACHE_S):
        self.ttl = ttl
        self._items: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Any:
        with self._lock:
            item = self._items.get(digest)
        return item[1] if item and item[0] > time.monotonic() else None

    def put(self, digest: str, value: Any) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[digest] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass
class ApiContext:
    settings: Settings
    workspace: Path
    db: CaseDB
    limiter: RateLimiter
    key_cache: KeyCache = field(default_factory=KeyCache)
    _screening_gate: asyncio.Semaphore | None = field(default=None, repr=False)
    _screener: Screener | None = field(default=None, repr=False)
    _screener_version: object = field(default=None, repr=False)
    _screener_checked: float = field(default=0.0, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @contextmanager
    def open_workspace(self) -> Iterator[Workspace]:
        """The DuckDB workspace, opened for one piece of work (other processes may use it in between)."""
        with self._lock, Workspace(self.workspace) as ws:
            yield ws

    async def run_screening(self, work: Callable[..., T], *args: Any) -> T:
        """Screening is CPU work under one GIL: a few requests at a time, in arrival order (a fair
        queue), so that under load every request waits about as long as the others."""
        if self._screening_gate is None:
            self._screening_gate = asyncio.Semaphore(self.settings.api.screening_slots)
        async with self._screening_gate:
            return await run_in_threadpool(work, *args)

    def screener(self) -> Screener:
        """The screening index over the workspace's lists, rebuilt when a list is loaded again."""
        now = time.monotonic()
        if self._screener is not None and now - self._screener_checked < SCREENER_RECHECK_S:
            return self._screener
        with self._lock:
            with self.open_workspace() as ws:
                version = ws.con.execute("SELECT max(version_id), count(*) FROM list_versions").fetchone()
                if self._screener is None or version != self._screener_version:
                    self._screener = Screener(ws.list_entities(), self.settings.screening)
                    self._screener_version = version
            self._screener_checked = now
            return self._screener

    def datasets(self) -> list[str]:
        return sorted({d for e in self.screener().index.entities for d in e.datasets})


def get_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


def get_settings(request: Request) -> Settings:
    return get_context(request).settings
