"""Open the case database: the URL from settings (COMPUTEWATCH_DATABASE_URL) or SQLite in the workspace,
migrated to the newest schema with Alembic before first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from computewatch.settings import Settings, default_settings
from computewatch.workspace import resolve_home


def database_url(workspace: str | Path | None, settings: Settings) -> str:
    if settings.database_url:
        url = settings.database_url
        if url.startswith("postgresql://"):  # the libpq form: use psycopg 3
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    home = resolve_home(workspace)
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(home / settings.cases.database_file).resolve()}"


def make_engine(url: str, settings: Settings) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": settings.cases.sqlite_busy_timeout_s, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("computewatch.cases").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


@dataclass
class CaseDB:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> CaseDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_case_db(workspace: str | Path | None = None, settings: Settings | None = None, url: str | None = None) -> CaseDB:
    settings = settings or default_settings()
    engine = make_engine(url or database_url(workspace, settings), settings)
    migrate(engine)
    return CaseDB(engine, sessionmaker(engine, expire_on_commit=False))
