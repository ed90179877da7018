"""Fixtures for the locate tests; helpers live in locate_helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from locate_helpers import write_csv


@pytest.fixture
def tmp_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(rows: list[dict[str, str]], name: str = "probes.csv") -> Path:
        return write_csv(tmp_path / name, rows)

    return make
