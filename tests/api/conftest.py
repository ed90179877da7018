"""API test fixtures (defined in api_fixtures.py, shared with tests/web)."""

from __future__ import annotations

from api_fixtures import api, built_workspace  # noqa: F401
