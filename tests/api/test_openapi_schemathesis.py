"""Property-based checks against the OpenAPI schema (schemathesis): no 5xx, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import Api, make_api
from hypothesis import HealthCheck, given, settings

from computewatch.settings import Settings

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 20
# Requests valid by the schema may still be refused with a documented 422 for what a schema cannot say
# (an unknown country code, a file that is not a notice): the positive-data check is left out for that.
SEMANTIC = [schemathesis.checks.positive_data_acceptance]
UNLIMITED = Settings(api={"rate_limit_per_minute": 10_000_000, "rate_limit_burst": 1_000_000})


@pytest.fixture
def fuzz_api(tmp_path: Path, built_workspace: Path) -> Iterator[Api]:
    api = make_api(tmp_path, built_workspace, UNLIMITED)
    api.post("/alerts", json={"alerts": [{"id": "a1", "detector": "reseller", "scenario": "S1", "severity": "high", "score": 0.9,
                                          "subjects": ["s6-kestrel-my"], "as_of": "2025-12-01", "summary": "s", "evidence": []}]})  # fmt: skip
    yield api
    api.db.close()


def _operations(api: Api) -> list:  # type: ignore[type-arg]
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_conforms_to_its_schema(fuzz_api: Api) -> None:
    """Generated requests to every operation: no server error, status codes, content types and bodies as documented.

    (Driven by hand with hypothesis: schemathesis' pytest plugin does not run under pytest 9.)"""
    failures: dict[str, str] = {}
    operations = _operations(fuzz_api)
    assert len(operations) >= 15
    for operation in operations:

        @given(operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=fuzz_api.headers("admin"), excluded_checks=SEMANTIC)

        try:
            check()
        except Exception as exc:  # collect every failing operation, not just the first
            detail = "; ".join(str(e) for e in getattr(exc, "exceptions", [])) or str(exc)
            failures[operation.label] = f"{exc}\n{detail}"[:3000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_the_schema_documents_every_endpoint(fuzz_api: Api) -> None:
    paths = fuzz_api.client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/match/{dataset}", "/screen", "/classify", "/tenders", "/alerts", "/cases", "/cases/{case_id}",
            "/cases/{case_id}/decision", "/cases/{case_id}/report", "/entities/{entity_id}", "/keys", "/audit/verify",
            "/graph/owners/{entity_id}", "/search/{dataset}", "/catalog", "/reconcile/{dataset}",
            "/reconcile/{dataset}/suggest/entity", "/reconcile/{dataset}/preview"} <= set(paths)  # fmt: skip
    assert not any(p.startswith("/ui") for p in paths)
