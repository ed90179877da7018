"""Matches an analyst closed as false positives, seen again by re-screening.

A match that persists from the last run raises nothing (it is not new); but when it was decided
against a list entry that has changed since, the decision no longer holds, and the match is
alerted again with what changed. Matches whose decisions still hold are dropped by the caller
(alerts/suppress.py `Suppressions.split`).
"""

from __future__ import annotations

from datetime import date

from computewatch.alerts.model import Alert, Evidence
from computewatch.alerts.suppress import Suppressions
from computewatch.rescreen.alerts import UNKNOWN_ENTRY, EntryInfo, list_match, match_alert
from computewatch.rescreen.parties import Party
from computewatch.rescreen.state import Previous, StoredMatch


def changed_since_decision(
    prev: Previous, parties: dict[str, Party], matches: list[StoredMatch], history: dict[str, EntryInfo],
    decisions: Suppressions, as_of: date, detector: str, version: int,
) -> list[Alert]:  # fmt: skip
    """Alerts for the persisting matches whose false-positive decision was made on other data."""
    alerts = []
    for m in matches:
        if (m.party_key, m.entity_id) not in prev.matches:
            continue  # a new match is alerted anyway, with the earlier decision shown by its case
        party, entry = parties[m.party_key], history.get(m.entity_id, UNKNOWN_ENTRY)
        match = list_match(party, m, entry)
        earlier = decisions.decisions_on(match)
        if not earlier or decisions.holding_match(match) is not None:
            continue
        why = f"{earlier[0].what_changed(match)} {earlier[0].text()}"
        alert = match_alert(party, m, entry, as_of)
        alert.detector, alert.period = detector, f"{m.entity_id}@{version}"
        alert.summary += f"; alerted again: {why}"
        alert.evidence.append(Evidence(f"what changed: {why}", "rescreen"))
        alerts.append(alert)
    return alerts
