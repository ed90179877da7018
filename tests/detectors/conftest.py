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
