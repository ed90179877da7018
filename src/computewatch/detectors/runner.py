"""Run every detector over a workspace as of a day, on one engine; the alerts are deduplicated
per finding and recorded by alerts/ (alerts.model.finding_id: detector, subjects, evidence key, so
the same finding keeps one id within a run and across runs, whatever the day or month).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from computewatch.alerts import Alert, Suppressions, dedupe, record_alerts
from computewatch.detectors.context import DetectionContext
from computewatch.detectors.linkage import Customers, link_accounts, register_customers
from computewatch.detectors.parties import PartyLookup
from computewatch.detectors.policy_checks import PolicyChecks
from computewatch.detectors.registry import load_detectors
from computewatch.detectors.steps import prepare_steps
from computewatch.engine import Engine, open_engine
from computewatch.engine.sql import literal
from computewatch.settings import (
    DetectorSettings,
    EngineSettings,
    GraphSettings,
    LocateSettings,
    ScreeningSettings,
    Settings,
)
from computewatch.sources.operations import ensure_tables
from computewatch.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class DetectionRun:
    as_of: date
    engine: str
    alerts: list[Alert]
    seconds: dict[str, float] = field(default_factory=dict)
    local: list[str] = field(default_factory=list)  # detectors that ran in this process on DuckDB, not on `engine`
    suppressed: list[Alert] = field(default_factory=list)  # held by false-positive decisions: not alerted, not recorded

    def records(self) -> list[dict[str, object]]:
        return [a.to_json() for a in self.alerts]


def _table(engine: Engine, sql: str, key: str) -> dict[str, dict[str, object]]:
    return {str(r[key]): r for r in engine.query(sql)}


def build_context(
    ws: Workspace, engine: Engine, as_of: date, settings: DetectorSettings,
    screening: ScreeningSettings | None = None, graph: GraphSettings | None = None, locate: LocateSettings | None = None,
) -> DetectionContext:  # fmt: skip
    policy = PolicyChecks(settings)
    graph = graph or GraphSettings()
    ctx = DetectionContext(engine, as_of, settings, policy, PartyLookup(ws, as_of, policy, graph), {}, {}, Customers(),
                           screening=screening or ScreeningSettings(), graph=graph, locate=locate or LocateSettings())  # fmt: skip
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
    settings: Settings | DetectorSettings | None = None,
    parquet: Mapping[str, str | Path] | None = None,
    record: bool = True,
    screening: ScreeningSettings | None = None,
    suppressions: Suppressions | None = None,
) -> DetectionRun:
    """Every detector, in order; `parquet` replaces workspace tables by Parquet files (large data).

    `settings`: the whole Settings (the CLI passes the configured one), or only the detectors'
    thresholds (screening, graph and locate then keep their defaults); None: every default. `screening`, when
    given, is the run's screening settings whatever `settings` holds. `suppressions`: the case store's
    false-positive decisions (cases.suppressions.decisions_in); the alerts they hold are left out.
    """
    if isinstance(settings, Settings):
        thresholds, screening, graph, locate = settings.detectors, screening or settings.screening, settings.graph, settings.locate
        master = settings.engine.spark_master
    else:
        thresholds, screening, graph, locate = settings or DetectorSettings(), screening or ScreeningSettings(), GraphSettings(), LocateSettings()
        master = EngineSettings().spark_master
    ensure_tables(ws.con)
    detectors = load_detectors()
    run = DetectionRun(as_of, engine, [])
    with open_engine(engine, ws.con, parquet, master) as eng:
        t = time.perf_counter()
        ctx = build_context(ws, eng, as_of, thresholds, screening, graph, locate)
        run.seconds["prepare"] = time.perf_counter() - t
        for det in detectors:
            t = time.perf_counter()
            if det.meta.runs_on == "local" and engine != "duckdb":
                run.local.append(det.meta.id)
                log.info("%s runs locally on the workspace's DuckDB file, not on %s", det.meta.id, engine)
            found = det.detect(ctx)
            ctx.alerts = dedupe(ctx.alerts + found)
            run.seconds[det.meta.id] = time.perf_counter() - t
    run.alerts, run.suppressed = (suppressions or Suppressions()).split(ctx.alerts)
    if record:
        record_alerts(ws, run.alerts)
    return run
