"""Serve the application with uvicorn: one process, or several forked after the lists are loaded.

The index is built before the server accepts a request, so the first caller does not wait for it; with
`workers > 1` it is built once, in the parent, and every worker shares its pages (see `prefork`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from computewatch.settings import Settings, default_settings

NO_AUTOMATIC_FULL_GC = 1_000_000_000  # gen-1 collections before an automatic full one: never, in practice
log = logging.getLogger("computewatch.server")


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1  # 0: one per CPU
    access_log: bool = True
    proxy_headers: bool = True
    forwarded_allow_ips: str = "127.0.0.1"  # proxies whose X-Forwarded-For/-Proto are believed
    root_path: str = ""  # the path prefix a proxy serves the application under

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


def uvicorn_config(app: Any, options: ServeOptions, **extra: Any) -> Any:
    # loop and http "auto": uvloop and httptools when installed (they are dependencies), else asyncio and h11
    return uvicorn.Config(
        app, host=options.host, port=options.port, access_log=options.access_log, proxy_headers=options.proxy_headers,
        forwarded_allow_ips=options.forwarded_allow_ips, root_path=options.root_path, log_level="info",
        timeout_keep_alive=30, backlog=2048, **extra,
    )  # fmt: skip


class ApiServer(uvicorn.Server):
    """uvicorn's server, with two additions for a long-running screening service:

    - the collector's full passes on a schedule. An automatic full collection walks every object the
      process holds (with the screening result cache full, hundreds of thousands) and stalls every
      request in the process meanwhile: measured at up to 200 ms, the p99 of a loaded server. The young
      generations are still collected automatically; the full pass runs every `full_gc_s` seconds.
    - SIGUSR1 stops accepting connections and keeps serving those it has (a pre-fork worker being replaced).
    """

    def __init__(self, config: Any, full_gc_s: float):
        super().__init__(config)
        self.full_gc_s = full_gc_s

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets=sockets)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, self.stop_accepting)
        if self.full_gc_s > 0:
            gc.set_threshold(*gc.get_threshold()[:2], NO_AUTOMATIC_FULL_GC)
            loop.call_later(self.full_gc_s, self._full_gc, loop)

    def _full_gc(self, loop: asyncio.AbstractEventLoop) -> None:
        gc.collect()
        loop.call_later(self.full_gc_s, self._full_gc, loop)

    def stop_accepting(self) -> None:
        for server in getattr(self, "servers", []):
            server.close()


def warm(app: Any) -> None:
    """Load what every screening needs (the index, name tables) now, not on the first request."""
    from computewatch.screening.model import Query

    ctx = app.state.context
    screener = ctx.screener()
    screener.screen(Query("Warm-up Trading Company Limited", country="cn", schema="Company"))
    screener.screen(Query("青禾科技有限公司", schema="Company"))


def run_server(workspace: str | Path | None, options: ServeOptions | None = None, settings: Settings | None = None) -> None:
    from computewatch.api.app import create_app

    settings = settings or default_settings()
    options = options or ServeOptions(workers=settings.api.workers, access_log=settings.api.access_log)
    app = create_app(settings, workspace)
    warm(app)
    gc.collect()
    gc.freeze()  # the index lives as long as the server: the collector need not walk it again and again
    if options.worker_count == 1:
        ApiServer(uvicorn_config(app, options), settings.api.full_gc_s).run()
        return
    from computewatch.api.prefork import PreforkServer

    PreforkServer(app, options).run()
