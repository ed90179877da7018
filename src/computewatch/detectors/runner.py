"""Run every detector over a workspace as of a day, on one engine; deduplicate and keep the alerts.

Alerts are deduplicated per finding (model.finding_id: detector, subjects, evidence key):
the same finding keeps one id within a run and across runs, whatever the day or month
(the table ops_alerts keeps the first and last time it was seen).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import orjson

from computewatch.detectors.context import DetectionContext
from computewatch.detectors.linkage import Customers, link_accounts, register_customers
from computewatch.detectors.model import Alert, severity_rank
from computewatch.detectors.parties import PartyLookup
from computewatch.detectors.policy_checks import PolicyChecks
from computewatch.detectors.registry import load_detectors
from computewatch.detectors.settings import DetectorSettings
from computewatch.detectors.steps import prepare_steps
from computewatch.engine import Engine, open_engine
from computewatch.engine.sql import literal
from computewatch.settings import ScreeningSettings
from computewatch.sources.operations import ensure_tables
from computewatch.workspace import Workspace

ALERTS_SQL = """CREATE TABLE IF NOT EXISTS ops_alerts (id VARCHAR PRIMARY KEY, detector VARCHAR, subject VARCHAR,
    period VARCHAR, alert VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP)"""


@dataclass
class DetectionRun:
    as_of: date
    engine: str
    alerts: list[Alert]
    seconds: dict[str, float] = field(default_factory=dict)

    def records(self) -> list[dict[str, object]]:
        return [a.to_json() for a in self.alerts]


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
        kept[alert.id] = best
    return sorted(kept.values(), key=lambda a: (-severity_rank(a.severity), -round(a.score, 3), a.detector, a.subjects))


def _table(engine: Engine, sql: str, key: str) -> dict[str, dict[str, object]]:
    return {str(r[key]): r for r in engine.query(sql)}


def build_context(
    ws: Workspace, engine: Engine, as_of: date, settings: DetectorSettings, screening: ScreeningSettings | None = None
) -> DetectionContext:
    policy = PolicyChecks(settings)
    ctx = DetectionContext(engine, as_of, settings, policy, PartyLookup(ws, as_of, policy), {}, {}, Customers(),
                           screening=screening or ScreeningSettings())  # fmt: skip
    end = literal(ctx.window_end)
    ctx.accounts = _table(engine, f"SELECT * FROM ops_accounts WHERE created_at < {end} ORDER BY account_id", "account_id")
    ctx.leases = _table(engine, f"SELECT * FROM ops_leases WHERE signed_at < {end} ORDER BY lease_id", "lease_id")
    ctx.customers = link_accounts(engine, ctx.accounts, ctx.window_start, ctx.window_end, settings.linkage)
    register_customers(engine, ctx.customers)
    prepare_steps(ctx)
    return ctx


def run_detectors(
    ws: Workspace,
    as_of: date,
    engine: str = "duckdb",
    settings: DetectorSettings | None = None,
    parquet: Mapping[str, str | Path] | None = None,
    record: bool = True,
    screening: ScreeningSettings | None = None,
) -> DetectionRun:
    """Every detector, in order; `parquet` replaces workspace tables by Parquet files (large data).

    `settings` and `screening` are the run's: without `settings`, both are the defaults of the environment
    (computewatch.settings); with `settings` but no `screening`, screening has its built-in defaults."""
    if settings is None:
        settings, screening = _default_settings(), screening or _default_screening()
    ensure_tables(ws.con)
    detectors = load_detectors()
    run = DetectionRun(as_of, engine, [])
    with open_engine(engine, ws.con, parquet) as eng:
        t = time.perf_counter()
        ctx = build_context(ws, eng, as_of, settings, screening)
        run.seconds["prepare"] = time.perf_counter() - t
        for det in detectors:
            t = time.perf_counter()
            found = det.detect(ctx)
            ctx.alerts = dedupe(ctx.alerts + found)
            run.seconds[det.meta.id] = time.perf_counter() - t
    run.alerts = ctx.alerts
    if record:
        record_alerts(ws, run.alerts)
    return run


def _default_settings() -> DetectorSettings:
    from computewatch.settings import default_settings

    return default_settings().detectors


def _default_screening() -> ScreeningSettings:
    from computewatch.settings import default_settings

    return default_settings().screening


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
