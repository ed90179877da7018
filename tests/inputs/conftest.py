"""The adversarial-input harness lives in eval/inputs (it is also a script that prints the table)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval" / "inputs"))
