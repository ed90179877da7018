"""Web tests reuse the API fixtures (tests/api/api_fixtures.py): a fictional workspace and a key per role."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from api_fixtures import api, built_workspace  # noqa: E402,F401
