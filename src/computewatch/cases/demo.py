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
DEMO_ANALYST = "demo-analyst"
# The demo's false positive: a Singapore account holder and a fictional Dubai namesake on the list update.
FALSE_POSITIVE_ENTRY = "demo-update-tamarind"
FALSE_POSITIVE_REASON = ("Namesake, not the listed company: Tamarind Consulting Limited is registered in Dubai (AE, FIC-DXB-448812); "
                         "the account holder is a Singapore company with its own registration, address and directors.")  # fmt: skip


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
        lines.append(f"cases from {len(alerts)} {origin}: {from_alerts.text()}; {len(from_tenders.created)} from flagged demo "
                     f"notices; {open_total} open cases in the store, one per subject")  # fmt: skip
        from computewatch.cases.audit import AuditLog

        with db.session() as session:
            verdict = AuditLog(session).verify()
        lines.append(f"audit log: {verdict.records} hash-chained records, {'intact' if verdict.intact else 'TAMPERED'}")
    lines.append("web app and API: `computewatch serve` (or `computewatch demo --serve`); keys: `computewatch keys create NAME --role analyst`")
    return lines


def _case_of_entry(store: CaseStore, entity_id: str) -> int | None:
    """The open case holding an alert that matched this list entry."""
    from sqlalchemy import select

    from computewatch.cases.models import OPEN_STATUSES, Case, CaseAlert
    from computewatch.cases.records import list_matches_of

    rows = store.session.execute(select(CaseAlert).join(Case, Case.id == CaseAlert.case_id)
                                 .where(Case.status.in_(OPEN_STATUSES)).order_by(CaseAlert.id)).scalars()  # fmt: skip
    return next((r.case_id for r in rows if any(m.entity_id == entity_id for m in list_matches_of(r.record))), None)


def demo_false_positive(ws: Workspace, settings: Settings | None = None) -> list[str]:
    """Decisions that stick: an analyst closes the namesake's match as a false positive; the next list update is
    re-screened (detectors included) and that match stays quiet."""
    from datetime import timedelta

    from computewatch.cases.suppressions import decisions_in
    from computewatch.rescreen.demo import UPDATE_DAY, update_file
    from computewatch.rescreen.run import rescreen
    from computewatch.sources.lists import read_list

    settings = settings or default_settings()
    with open_case_db(ws.home, settings) as db, db.session() as session:
        store = CaseStore(session, DEMO_ANALYST)
        case_id = _case_of_entry(store, FALSE_POSITIVE_ENTRY)
        if case_id is None:
            return ["decisions that stick: no open case on the demo's namesake (decided already in this workspace)"]
        store.decide(case_id, False, FALSE_POSITIVE_REASON)
        from computewatch.cases.suppressions import SuppressionStore

        pairs = "; ".join(f"{r.party_name} x listed '{r.caption}'" for r in SuppressionStore(session, DEMO_ANALYST).made_by(case_id))
    path = update_file("list-update-2.ftm.jsonl")
    fmt, records = read_list(path)
    loaded = ws.load_list("demo_list_update", records, path, fmt)
    report = rescreen(ws, UPDATE_DAY + timedelta(days=1), settings, suppressions=decisions_in(ws.home, settings))
    quiet = [a for a in report.suppressed if any(m.entity_id == FALSE_POSITIVE_ENTRY for m in a.list_matches)]
    loud = [a for a in report.alerts if any(m.entity_id == FALSE_POSITIVE_ENTRY for m in a.list_matches)]
    if report.alerts:
        from computewatch.cases.importing import open_cases

        open_cases(ws.home, [a.to_json() for a in report.alerts], "demo re-screening", DEMO_ACTOR)
    return [
        f"decisions that stick: {DEMO_ANALYST} closed case {case_id} ({pairs}) as a false positive: {FALSE_POSITIVE_REASON}",
        f"the next re-screening (demo_list_update version {loaded.version_id}, detectors re-run) raised {len(loud)} alert(s) "
        f"on that match and {len(report.alerts)} in all; {len(quiet)} alert(s) on it suppressed by the decision "
        f"(`computewatch cases suppressions`)",
    ]
