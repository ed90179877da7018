"""Records for API tests (CONTRACTS.md shapes), fictional."""

from __future__ import annotations

from typing import Any


def alert(alert_id: str = "reseller-a1", subject: str = "s6-kestrel-my", severity: str = "high") -> dict[str, Any]:
    return {"id": alert_id, "detector": "reseller", "scenario": "S1", "severity": severity, "score": 0.9,
            "subjects": [subject], "as_of": "2025-12-01", "summary": f"{subject} resells GPU time to users in CN",
            "evidence": [{"fact": "7 end users log in from CN", "source": "access.csv lines 3-9"}]}  # fmt: skip
