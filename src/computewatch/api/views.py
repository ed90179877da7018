"""Answers shared by several routers."""

from __future__ import annotations

from typing import Any

from computewatch.cases.importing import ImportSummary


def import_view(summary: ImportSummary) -> dict[str, Any]:
    return {"created": summary.created, "joined": summary.joined, "already": summary.already,
            "suppressed": summary.suppressed, "not_flagged": summary.not_flagged,
            "problems": [str(p) for p in summary.problems]}  # fmt: skip
