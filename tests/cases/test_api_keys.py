"""API keys are shown once and stored hashed; a revoked or altered key no longer works."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from computewatch.cases.db import CaseDB
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.keys import (
    create_api_key,
    find_api_key,
    find_session,
    revoke_api_key,
    start_session,
)
from computewatch.cases.models import ApiKey


def test_a_new_key_is_found_and_only_its_hash_is_stored(case_db: CaseDB) -> None:
    with case_db.session() as s:
        row, key = create_api_key(s, "ann", "analyst")
    assert key.startswith("cw_")
    with case_db.session() as s:
        found = find_api_key(s, key)
        assert found is not None and (found.name, found.role) == ("ann", "analyst")
        stored = s.execute(select(ApiKey)).scalar_one()
        secret = key.split("_", 2)[2]
        assert secret not in (stored.secret_hash, stored.salt, stored.key_id)


@pytest.mark.parametrize("mangle", [lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"), lambda k: "cw_000000000000_x", lambda k: "nonsense", lambda k: ""])
def test_a_wrong_key_is_not_found(case_db: CaseDB, mangle) -> None:  # type: ignore[no-untyped-def]
    with case_db.session() as s:
        _, key = create_api_key(s, "ann", "viewer")
    with case_db.session() as s:
        assert find_api_key(s, mangle(key)) is None


def test_a_revoked_key_and_its_web_sessions_stop_working(case_db: CaseDB) -> None:
    with case_db.session() as s:
        row, key = create_api_key(s, "ann", "admin")
        token = start_session(s, row, hours=1)
        assert find_session(s, token) is not None
    with case_db.session() as s:
        revoke_api_key(s, "ann")
    with case_db.session() as s:
        assert find_api_key(s, key) is None
        assert find_session(s, token) is None


def test_key_names_roles_and_limits_are_checked(case_db: CaseDB) -> None:
    with case_db.session() as s:
        create_api_key(s, "ann", "viewer")
        with pytest.raises(CaseConflict, match="exists"):
            create_api_key(s, "ann", "viewer")
        with pytest.raises(CaseInputError, match="unknown role"):
            create_api_key(s, "bob", "root")
        with pytest.raises(CaseInputError, match="at least 1"):
            create_api_key(s, "bob", "viewer", rate_limit_per_minute=0)
