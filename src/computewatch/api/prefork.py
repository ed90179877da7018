"""Several worker processes sharing one loaded index: the parent loads the lists, then forks the workers.

Each worker is a uvicorn server (its own event loop) on its own listening socket, bound to the same port
with SO_REUSEPORT, so that the kernel spreads connections evenly over the workers (on one shared socket a
worker that wakes first can take a whole burst of connections). The parent keeps every socket open, so a
worker that dies loses no queued connection: its replacement takes over the same socket.

The parent never serves. It watches the lists: after a `computewatch lists load` it builds the new index
itself, starts new workers on the same sockets and retires the old ones (they stop accepting, answer
what they hold, then shut down); a worker never rebuilds the index on its own, which would unshare the
pages it inherited. SIGHUP does the same at once. Per-key rate limits live in memory the workers share
(`shared_ratelimit`), so a key's limit holds for the server as a whole.
"""

from __future__ import annotations

import gc
import logging
import os
import random
import signal
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from computewatch.api.context import SCREENER_RECHECK_S, ApiContext
from computewatch.api.server import ApiServer, ServeOptions, uvicorn_config
from computewatch.api.shared_ratelimit import SharedRateLimiter

log = logging.getLogger("computewatch.server")
GRACEFUL_S = 30.0
DRAIN_S = 2.0  # a replaced worker stops accepting, answers what it has for this long, then shuts down
QUICK_DEATH_S = 10.0  # a worker that dies sooner than this after its start counts towards a crash loop
MAX_QUICK_DEATHS = 5


def bind_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` listening sockets on one port (SO_REUSEPORT), or one shared socket where the system lacks it."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    reuse_port = hasattr(socket, "SO_REUSEPORT")
    sockets: list[socket.socket] = []
    for _ in range(count if reuse_port else 1):
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        address = sock.getsockname()  # port 0: the others join the port the first one got
        sock.listen(2048)
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets if reuse_port else sockets * count


class WorkerTag:
    """Names the worker in an `x-worker` response header (which of them answered: for operators and tests)."""

    def __init__(self, app: Any, slot: int):
        self.app = app
        self.header = (b"x-worker", str(slot).encode())

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def tagged(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), self.header]}
            await send(message)

        await self.app(scope, receive, tagged)


@dataclass
class _Worker:
    pid: int
    started: float


@dataclass
class PreforkServer:
    app: Any
    options: ServeOptions
    recheck_s: float = SCREENER_RECHECK_S
    workers: dict[int, _Worker] = field(default_factory=dict)  # slot -> running worker
    retiring: set[int] = field(default_factory=set)  # pids told to finish and exit
    draining: dict[int, float] = field(default_factory=dict)  # pid -> when to tell it to shut down
    _sockets: list[socket.socket] = field(default_factory=list)
    _stopping: bool = False
    _reload: bool = False
    _quick_deaths: int = 0

    @property
    def context(self) -> ApiContext:
        context: ApiContext = self.app.state.context
        return context

    def run(self) -> None:
        count = self.options.worker_count
        self._sockets = bind_sockets(self.options.host, self.options.port, count)
        host, port = self._sockets[0].getsockname()[:2]
        log.warning("computewatch serving on http://%s:%s with %d workers sharing one index", host, port, count)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, self._replace_on_signal)
        # one token bucket per key for the server as a whole, not one per worker
        self.context.limiter = SharedRateLimiter(self.context.limiter.burst)
        for slot in range(count):
            self._spawn(slot)
        next_check = time.monotonic() + self.recheck_s
        try:
            while not self._stopping:
                time.sleep(0.5)
                self._reap()
                self._shut_drained()
                if self._reload or time.monotonic() >= next_check:
                    forced, self._reload = self._reload, False
                    if self.context.refresh_lists() or forced:
                        self._replace_all()
                    next_check = time.monotonic() + self.recheck_s
        finally:
            self._shutdown()

    def _stop(self, signum: int, frame: object) -> None:
        self._stopping = True

    def _replace_on_signal(self, signum: int, frame: object) -> None:
        self._reload = True

    def _spawn(self, slot: int) -> None:
        self.context.db.engine.dispose()  # no database connection crosses the fork
        gc.collect()
        gc.freeze()  # the collector then leaves the inherited objects alone: their pages stay shared
        pid = os.fork()
        if pid == 0:
            self._serve(slot)  # never returns
        self.workers[slot] = _Worker(pid, time.monotonic())

    def _serve(self, slot: int) -> None:
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # uvicorn installs its own handlers
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            mine = self._sockets[slot]
            for sock in {id(s): s for s in self._sockets if s is not mine}.values():
                sock.close()
            random.seed()
            self.context.lists_reloaded_elsewhere = True
            server = ApiServer(uvicorn_config(WorkerTag(self.app, slot), self.options), self.context.settings.api.full_gc_s)
            server.run(sockets=[mine])
            code = 0
        except BaseException:  # noqa: B036 - whatever happens, the child must not return into the parent's code
            log.exception("worker %d failed", slot)
        finally:
            os._exit(code)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.retiring:
                self.retiring.discard(pid)
                continue
            slot = next((s for s, w in self.workers.items() if w.pid == pid), None)
            if slot is None or self._stopping:
                continue
            lived = time.monotonic() - self.workers[slot].started
            log.error("worker %d (pid %d) exited (status %d) after %.0f s; starting another", slot, pid, status, lived)
            self._quick_deaths = self._quick_deaths + 1 if lived < QUICK_DEATH_S else 0
            if self._quick_deaths > MAX_QUICK_DEATHS:
                log.error("workers keep dying at start; stopping")
                self._stopping = True
                return
            self._spawn(slot)

    def _replace_all(self) -> None:
        """New workers (with the index now in hand) take over the sockets; the old ones stop accepting at
        once (SIGUSR1), answer the connections they hold for a moment, then shut down gracefully: a
        connection an old worker had just accepted still gets its answer."""
        log.warning("lists changed: replacing the workers")
        for slot, old in list(self.workers.items()):
            self._spawn(slot)
            self.retiring.add(old.pid)
            self.draining[old.pid] = time.monotonic() + DRAIN_S
            _signal(old.pid, signal.SIGUSR1)

    def _shut_drained(self) -> None:
        now = time.monotonic()
        for pid, due in list(self.draining.items()):
            if due <= now:
                del self.draining[pid]
                _signal(pid, signal.SIGTERM)

    def _shutdown(self) -> None:
        pids = [w.pid for w in self.workers.values()] + list(self.retiring)
        for pid in pids:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACEFUL_S
        alive = set(pids)
        while alive and time.monotonic() < deadline:
            for pid in list(alive):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    alive.discard(pid)
            time.sleep(0.05)
        for pid in alive:
            _signal(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        for sock in {id(s): s for s in self._sockets}.values():
            sock.close()


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
