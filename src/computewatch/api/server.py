"""Serve the application with uvicorn: one process, or several forked after the lists are loaded.

The index is built before the server accepts a request, so the first caller does not wait for it; with
`workers > 1` it is built once, in the parent, and every worker shares its pages (see `prefork`).
"""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from computewatch.settings import Settings, default_settings

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
    import uvicorn

    # loop and http "auto": uvloop and httptools when installed (they are dependencies), else asyncio and h11
    return uvicorn.Config(
        app, host=options.host, port=options.port, access_log=options.access_log, proxy_headers=options.proxy_headers,
        forwarded_allow_ips=options.forwarded_allow_ips, root_path=options.root_path, log_level="info",
        timeout_keep_alive=30, backlog=2048, **extra,
    )  # fmt: skip


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
        import uvicorn

        uvicorn.Server(uvicorn_config(app, options)).run()
        return
    from computewatch.api.prefork import PreforkServer

    PreforkServer(app, options).run()
