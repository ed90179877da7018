"""Small fictional records in the CONTRACTS.md shapes."""

from __future__ import annotations

from typing import Any


def alert(alert_id: str = "reseller-abc123", severity: str = "high", score: float = 0.91, subject: str | None = None) -> dict[str, Any]:
    """An alert on the account `subject` (by default one of its own: acct-<alert id>) and its payer."""
    subject = subject or f"acct-{alert_id}"
    return {
        "id": alert_id, "detector": "reseller", "scenario": "S1", "severity": severity, "score": score,
        "subjects": [subject, f"{subject}-payer"], "as_of": "2025-12-01",
        "summary": f"Account {subject} resells GPU time to end users in CN",
        "evidence": [
            {"fact": "7 end users log in from CN", "source": "access.csv lines 3-9 (7 rows)"},
            {"fact": "payments from a card issued in CN", "source": "accounts.csv line 4"},
        ],
    }  # fmt: skip


def screening_result(query_id: str = "q1", matched: bool = True) -> dict[str, Any]:
    return {
        "id": query_id, "query": {"name": "Qinghe Cloud Computing", "country": "CN"},
        "matches": [{"entity_id": "fic-qinghe", "caption": "Qinghe Cloud Computing Technology Co., Ltd.",
                     "schema": "Company", "score": 0.93 if matched else 0.6, "match": matched,
                     "datasets": ["fictional_list"], "explanation": "Words that meet: qinghe, cloud."}],
    }  # fmt: skip


def tender(flagged: bool = True, file: str = "notices/s1.html") -> dict[str, Any]:
    return {
        "file": file, "title": "GPU cloud rental", "buyer": "Example University", "agency": None,
        "suppliers": ["Qinghe Cloud"], "amount_cny": 1200000, "date": "2025-03-01",
        "items": [{"text": "H100 cloud hours", "chip": "H100-SXM", "eccn": "3A090.a", "cloud_provider": None, "kind": "cloud"}],
        "flagged": flagged, "reasons": ["controlled chip H100-SXM (3A090.a) rented as cloud compute"] if flagged else [],
        "parties_screened": [{"role": "supplier", "name": "Qinghe Cloud", "listed": True,
                              "matches": [{"entity_id": "fic-qinghe", "match": True, "score": 0.95}]}],
    }  # fmt: skip
