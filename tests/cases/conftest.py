"""Case-store fixtures: every test runs on SQLite, and on PostgreSQL too when
COMPUTEWATCH_TEST_POSTGRES_URL is set (CI: `bash .ci/postgres.sh` prints one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from computewatch.cases.db import CaseDB, open_case_db
from computewatch.settings import Settings

POSTGRES_URL = os.environ.get("COMPUTEWATCH_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# Each test process works in a schema of its own, so two suites run at once on one server do not reset
# each other's tables.
SCHEMA = f"cw_test_{os.getpid()}"


def _schema_url(url: str) -> str:
    return make_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as con:
        con.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        con.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_schema() -> Iterator[None]:
    yield
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as con:
            con.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def case_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseDB]:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL case-store tests need COMPUTEWATCH_TEST_POSTGRES_URL (CI sets it from .ci/postgres.sh)")
        _reset_postgres(POSTGRES_URL)
        db = open_case_db(tmp_path, Settings(database_url=_schema_url(POSTGRES_URL)))
    else:
        db = open_case_db(tmp_path, Settings())
    yield db
    db.close()
