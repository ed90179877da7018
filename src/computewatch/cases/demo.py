"""`computewatch demo`: turn the demo's alerts and flagged notices into cases."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from computewatch.cases.db import open_case_db
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore
from computewatch.settings import Settings, default_settings
from computewatch.workspace import Workspace

DEMO_ACTOR = "demo"


def bundled_alerts() -> list[dict[str, Any]]:
    text = resources.files("computewatch.cases").joinpath("data", "demo-alerts.jsonl").read_bytes()
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


def workspace_alerts(ws: Workspace) -> list[dict[str, Any]]:
    """Alerts the detectors recorded in the workspace (`computewatch detect`), if any."""
    if not ws.has_table("ops_alerts"):
        return []
    return [orjson.loads(r[0]) for r in ws.con.execute("SELECT alert FROM ops_alerts ORDER BY id").fetchall()]


def demo_tender_records(ws: Workspace, settings: Settings) -> list[dict[str, Any]]:
    from computewatch.screening.screener import Screener
    from computewatch.tenders.demo import demo_tenders

    entities = ws.list_entities()
    return demo_tenders(Screener(entities, settings.screening) if entities else None)


def demo_cases(workspace: str | Path | None, settings: Settings | None = None) -> list[str]:
    """Import the workspace's alerts (else the bundled demo alerts) and the flagged demo notices as cases."""
    settings = settings or default_settings()
    with Workspace(workspace) as ws:
        alerts = workspace_alerts(ws)
        origin = "workspace alerts"
        if not alerts:
            alerts, origin = bundled_alerts(), "bundled demo alerts"
        tenders = demo_tender_records(ws, settings)
        home = ws.home
    lines = []
    with open_case_db(home, settings) as db:
        with db.session() as session:
            store = CaseStore(session, DEMO_ACTOR)
            from_alerts = import_records(store, alerts, origin)
            from_tenders = import_records(store, tenders, "demo notices")
            _, open_total = store.find(limit=1)
        lines.append(f"cases: {len(from_alerts.created)} opened from {len(alerts)} {origin}, "
                     f"{len(from_tenders.created)} from flagged demo notices; {open_total} cases in the store")  # fmt: skip
        from computewatch.cases.audit import AuditLog

        with db.session() as session:
            verdict = AuditLog(session).verify()
        lines.append(f"audit log: {verdict.records} hash-chained records, {'intact' if verdict.intact else 'TAMPERED'}")
    lines.append("web app and API: `computewatch serve` (or `computewatch demo --serve`); keys: `computewatch keys create NAME --role analyst`")
    return lines
