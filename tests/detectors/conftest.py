from __future__ import annotations

import pytest
from ops_helpers import alerts_for, build_workspace


@pytest.fixture(scope="module")
def ops_ws(tmp_path_factory):  # type: ignore[no-untyped-def]
    ws = build_workspace(tmp_path_factory.mktemp("ops"))
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def ops_alerts(ops_ws):  # type: ignore[no-untyped-def]
    return alerts_for(ops_ws)


@pytest.fixture(scope="module")
def s5_ws(tmp_path_factory):  # type: ignore[no-untyped-def]
    """S5 records written per server, and media no lease or lessee claims (tests/fixtures/operations_s5)."""
    from ops_helpers import S5_FIXTURES

    ws = build_workspace(tmp_path_factory.mktemp("s5"), S5_FIXTURES)
    yield ws
    ws.close()
