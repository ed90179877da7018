"""Keep alerts: de-duplicate findings and record them in the workspace table ops_alerts.

Alerts are deduplicated per finding (model.finding_id: detector, subjects, evidence key):
the same finding keeps one id within a run and across runs, whatever the day or month
(the table ops_alerts keeps the first and last time it was seen).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson

from computewatch.alerts.model import Alert, severity_rank
from computewatch.workspace import Workspace

ALERTS_SQL = """CREATE TABLE IF NOT EXISTS ops_alerts (id VARCHAR PRIMARY KEY, detector VARCHAR, subject VARCHAR,
    period VARCHAR, alert VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP)"""


def period_of(as_of: date) -> str:
    return f"{as_of.year:04d}-{as_of.month:02d}"


def dedupe(alerts: list[Alert]) -> list[Alert]:
    """One alert per finding (its id): the most severe, with every other's new evidence."""
    kept: dict[str, Alert] = {}
    for alert in alerts:
        if alert.id not in kept:
            kept[alert.id] = alert
            continue
        old = kept[alert.id]
        best, other = (alert, old) if (severity_rank(alert.severity), alert.score) > (severity_rank(old.severity), old.score) else (old, alert)
        best.evidence += [e for e in other.evidence if e not in best.evidence]
        best.subjects = list(dict.fromkeys(best.subjects + other.subjects))
        best.list_matches = list(dict.fromkeys(best.list_matches + other.list_matches))
        kept[alert.id] = best
    return sorted(kept.values(), key=lambda a: (-severity_rank(a.severity), -round(a.score, 3), a.detector, a.subjects))


def record_alerts(ws: Workspace, alerts: list[Alert]) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with ws.transaction() as con:
        con.execute(ALERTS_SQL)
        for a in alerts:
            body = orjson.dumps(a.to_json()).decode()
            con.execute(
                """INSERT INTO ops_alerts VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET alert = excluded.alert, last_seen = excluded.last_seen""",
                [a.id, a.detector, a.subjects[0] if a.subjects else "", a.key or a.period, body, now, now],
            )
