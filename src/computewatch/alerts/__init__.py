"""Alerts: the one alert shape of every finding (CONTRACTS.md), the metadata every detector
carries, de-duplication and recording in the workspace (table ops_alerts).

Detectors, shipment screening and re-screening make alerts; cases open from them.

    Alert, Evidence, ListMatch, DetectorMeta, SEVERITIES, severity_rank   # alerts/model.py
    dedupe(alerts), period_of(as_of), record_alerts(ws, alerts)  # alerts/record.py
    Suppression, Suppressions                    # alerts/suppress.py: decisions that stick
"""

from __future__ import annotations

from computewatch.alerts.model import (
    SEVERITIES,
    Alert,
    DetectorMeta,
    Evidence,
    ListMatch,
    severity_rank,
)
from computewatch.alerts.record import ALERTS_SQL, dedupe, period_of, record_alerts
from computewatch.alerts.suppress import Suppression, Suppressions

__all__ = [
    "ALERTS_SQL",
    "SEVERITIES",
    "Suppression",
    "Suppressions",
    "Alert",
    "DetectorMeta",
    "Evidence",
    "ListMatch",
    "dedupe",
    "period_of",
    "record_alerts",
    "severity_rank",
]
