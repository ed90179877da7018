"""Re-screen the workspace: every party against the lists as they are now, every ownership
chain against the listed parties, every detector against the rules as they are on the day,
and turn what changed since the last run into alerts (CONTRACTS.md alert shape, scenario S9
for list and ownership changes; detector alerts keep their own scenario).

What changed is said in each alert's evidence: the list version that added, modified or
removed the entry, the rule that took effect or ended, or that the party is new. The first
run is the baseline: everything it finds is new.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from computewatch.alerts.model import Alert, Evidence
from computewatch.alerts.suppress import Suppressions
from computewatch.crashpoints import crash_point
from computewatch.rescreen.affiliates import Affiliate, find_affiliates
from computewatch.rescreen.alerts import AFFILIATE as LISTED_AFFILIATE
from computewatch.rescreen.alerts import (
    LISTED,
    UNKNOWN_ENTRY,
    EntryInfo,
    affiliate_alert,
    entry_history,
    file_name,
    list_match,
    match_alert,
    with_country,
)
from computewatch.rescreen.decided import changed_since_decision
from computewatch.rescreen.delta import DeltaPlan, plan_delta, screening_fingerprint
from computewatch.rescreen.matches import listed_graph_entities, screen_some
from computewatch.rescreen.parties import Party, PartyTable
from computewatch.rescreen.policy_state import policy_changes, policy_snapshot
from computewatch.rescreen.state import (
    Current,
    Delta,
    Previous,
    StoredMatch,
    latest_list_version,
    list_changes_since,
    load_basis,
    load_previous,
    parties_without_probes,
    save_run,
)
from computewatch.screening.screener import Screener
from computewatch.settings import EngineSettings, GraphSettings, ScreeningSettings, Settings
from computewatch.workspace import Workspace

MATCH = "rescreen-list-match"
DELISTED = "rescreen-list-delisted"
AFFILIATE = "rescreen-affiliate"
NO_LONGER_AFFILIATE = "rescreen-affiliate-ended"
REPORTED_HERE = (LISTED, LISTED_AFFILIATE)  # the listed_parties detector's findings


@dataclass
class RescreenReport:
    run_id: int
    as_of: date
    first: bool
    list_changes: list[str]  # one sentence per list version since the last run
    policy_changes: list[str]
    parties: int
    matches: int
    alerts: list[Alert] = field(default_factory=list)
    detectors_run: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    suppressed: list[Alert] = field(default_factory=list)  # held by false-positive decisions: not alerted
    mode: str = "full"  # 'full' sweep or 'delta' (only the parties a list update touches)
    mode_reason: str = ""
    screened: int = 0  # parties screened in this run

    def count(self, detector: str) -> int:
        return sum(1 for a in self.alerts if a.detector == detector)

    @property
    def detector_alerts(self) -> int:
        return sum(1 for a in self.alerts if not a.detector.startswith("rescreen-"))

    def summary(self) -> dict[str, object]:
        return {
            "run_id": self.run_id, "as_of": self.as_of.isoformat(), "first_run": self.first,
            "list_changes": self.list_changes, "policy_changes": self.policy_changes, "parties": self.parties,
            "matches": self.matches, "new_matches": self.count(MATCH), "lost_matches": self.count(DELISTED),
            "new_affiliates": self.count(AFFILIATE), "ended_affiliates": self.count(NO_LONGER_AFFILIATE),
            "detectors_run": self.detectors_run, "new_detector_alerts": self.detector_alerts,
            "alerts": len(self.alerts), "suppressed": len(self.suppressed),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
            "screening": {"mode": self.mode, "why": self.mode_reason, "parties_screened": self.screened},
        }  # fmt: skip


def rescreen(
    ws: Workspace,
    as_of: date,
    settings: Settings | None = None,
    run_detectors: bool | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    keep_outbox: bool = False,
    suppressions: Suppressions | None = None,
    full: bool = False,
    engine: str = "local",
) -> RescreenReport:
    """run_detectors: None = when lists or rules changed since the last run (or on the first run).

    full: screen every party against the whole list, even when only a few entries changed
    (by default only the parties a list update can touch are screened again: rescreen/delta.py;
    the alerts are the same). engine: where parties are screened, 'local' or 'spark'.

    keep_outbox: save the alerts with the run, for the caller to open their cases and then
    `mark_delivered` (so a crash in between loses no case).
    settings: the configured Settings (the CLI and the API pass theirs); None: every default.
    suppressions: the false-positive decisions of the case store (cases.suppressions.decisions_in): the
    matches they hold are not alerted, those decided on data that changed since are alerted again."""
    t = time.perf_counter()
    table = PartyTable(ws)
    try:
        return _rescreen(ws, table, t, as_of, settings, run_detectors, progress, keep_outbox, suppressions, full, engine)
    finally:
        table.drop()


def _rescreen(
    ws: Workspace, table: PartyTable, started: float, as_of: date, settings: Settings | None, run_detectors: bool | None,
    progress: Callable[[str, int, int], None] | None, keep_outbox: bool, suppressions: Suppressions | None,
    full: bool, engine: str,
) -> RescreenReport:  # fmt: skip
    screening, graph = (settings.screening, settings.graph) if settings else (ScreeningSettings(), GraphSettings())
    clock: dict[str, float] = {}
    prev = load_previous(ws)
    version = latest_list_version(ws)
    changed_entries = list_changes_since(ws, prev.list_version)
    policy = policy_snapshot(as_of)
    report = RescreenReport(0, as_of, prev.first, _version_sentences(ws, prev.list_version),
                            policy_changes(prev.policy, policy), 0, 0)  # fmt: skip
    report.parties = len(table)
    joined = table.not_in("rescreen_parties", "party_key")  # parties the last run did not screen
    clock["gather"] = time.perf_counter() - started

    t = time.perf_counter()
    spark_master = (settings.engine if settings else EngineSettings()).spark_master
    sweep = _screen(ws, prev, table, joined, screening, progress, full, engine, spark_master)
    parties, matches = sweep.parties, sweep.matches
    report.matches = len(matches)
    report.mode, report.mode_reason, report.screened = sweep.mode, sweep.reason, sweep.screened
    clock["screen"] = time.perf_counter() - t
    cause = _Causes(prev, changed_entries, report.policy_changes, joined)
    history = entry_history(ws, {m.entity_id for m in matches})
    report.alerts += _match_alerts(prev, parties, matches, cause, as_of, version, history)
    decisions = suppressions or Suppressions()
    report.alerts += changed_since_decision(prev, parties, matches, history, decisions, as_of, MATCH, version)

    t = time.perf_counter()
    affiliates = {a.entity_id: a for a in find_affiliates(ws, listed_graph_entities(parties, matches), as_of, graph)}
    report.alerts += _affiliate_alerts(prev, affiliates, cause, as_of)
    clock["ownership"] = time.perf_counter() - t

    detections = None
    if run_detectors is None:
        run_detectors = prev.first or bool(changed_entries) or bool(report.policy_changes)
    if run_detectors:
        t = time.perf_counter()
        from computewatch.detectors.runner import run_detectors as run_all

        detected = run_all(ws, as_of, settings=settings, suppressions=decisions)
        found = detected.alerts
        report.suppressed += detected.suppressed
        detections = [(a.detector, a.subjects[0] if a.subjects else "", a.id) for a in found]
        report.alerts += _new_detector_alerts(prev, found, cause)
        report.detectors_run = True
        clock["detectors"] = time.perf_counter() - t

    report.alerts, quiet = decisions.split(report.alerts)
    report.suppressed += quiet
    report.seconds = clock
    current = Current(as_of, version, policy, report.parties, matches,
                      {a.entity_id: (a.name, a.restricted_pct, a.binds) for a in affiliates.values()},
                      detections, len(report.alerts), fingerprint=sweep.fingerprint, probes=sweep.probes,
                      delta=sweep.delta)  # fmt: skip
    current.summary = report.summary()
    if keep_outbox and report.alerts:
        current.outbox = [a.to_json() for a in report.alerts]
    crash_point("rescreen-computed")
    report.run_id = save_run(ws, current, set(parties))
    return report


@dataclass
class _Sweep:
    parties: dict[str, Party]  # every party (full sweep), or those screened again or matched (delta)
    matches: list[StoredMatch]
    probes: dict[str, bytes] | None
    fingerprint: str
    mode: str
    reason: str
    screened: int
    delta: Delta | None = None  # what a delta re-screen changed (None: a full sweep)


def _screen(
    ws: Workspace, prev: Previous, table: PartyTable, joined: set[str], settings: ScreeningSettings,
    progress: Callable[[str, int, int], None] | None, full: bool, engine: str, spark_master: str,
) -> _Sweep:  # fmt: skip
    """Every party's matches now: the parties a list update touches screened again (delta), or all of them."""
    fingerprint = screening_fingerprint(settings)
    entities = ws.list_entities()
    if not entities or not len(table):
        return _Sweep(table.load(), [], {}, fingerprint, "full", "no lists or no parties", 0)
    screener = Screener(entities, settings, home=ws.home)
    basis = None if full or prev.first else load_basis(ws)
    plan: DeltaPlan | str
    if full:
        plan = "--full"
    elif prev.first:
        plan = "first re-screening"
    elif basis is None:
        plan = "the last run left no basis for a delta"
    elif basis != fingerprint:
        plan = "the screening settings or code changed since the last run"
    else:
        plan = plan_delta(ws, screener.index)
    if isinstance(plan, str):
        parties = table.load()
        matches, probes = screen_some(screener, parties, list(parties), progress, engine, spark_master=spark_master)
        return _Sweep(parties, _in_party_order(parties, matches), probes, fingerprint, "full", plan, len(parties))
    gone = {e.id for e in plan.gone}
    again = plan.parties | joined | parties_without_probes(ws) | {k for k, eid in prev.matches if eid in gone}
    # only the parties screened again or matched before are needed as objects (those still in the workspace)
    parties = table.load(again | {k for k, _ in prev.matches})
    keys = [k for k in parties if k in again]
    fresh, probes = screen_some(screener, parties, keys, progress, engine, spark_master=spark_master)
    kept = [m for (k, _), m in prev.matches.items() if k in parties and k not in again]
    entries = sorted({(e.datasets[0], e.id) for e in plan.changed + plan.gone})
    delta = Delta(set(keys), table.gone_from("rescreen_parties", "party_key"), joined, entries)
    return _Sweep(parties, _in_party_order(parties, fresh + kept), probes, fingerprint, "delta", plan.describe(),
                  len(keys), delta)  # fmt: skip


def _in_party_order(parties: dict[str, Party], matches: list[StoredMatch]) -> list[StoredMatch]:
    """Matches in party order, each party's best first: the same order whichever way they were found."""
    position = {k: i for i, k in enumerate(parties)}
    return sorted(matches, key=lambda m: (position[m.party_key], -m.score, m.entity_id))


def _version_sentences(ws: Workspace, since: int) -> list[str]:
    rows = ws.con.execute(
        """SELECT version_id, dataset, file, added, removed, modified FROM list_versions
           WHERE version_id > ? ORDER BY version_id""",
        [since],
    ).fetchall()
    return [
        f"{ds} version {v} from {file_name(f)}: +{a} added, -{r} removed, ~{m} modified"
        for v, ds, f, a, r, m in rows
    ]


@dataclass
class _Causes:
    """Why something is new: a list change, a rule change, a new party, or the first run."""

    prev: Previous
    entries: dict[str, tuple[int, str, str]]
    policy: list[str]
    joined: set[str]  # parties the last run did not screen

    def of_entry(self, entity_id: str, party_key: str | None = None) -> str:
        if self.prev.first:
            return "first re-screening of this workspace"
        if entity_id in self.entries:
            v, ds, change = self.entries[entity_id]
            return f"{ds} version {v} {change} this entry"
        if party_key is not None and party_key in self.joined:
            return "party not screened before (newly ingested)"
        return self.of_rules()

    def of_ownership(self) -> str:
        if self.entries and not self.prev.first:
            return "list entries added, modified or removed since the last run"
        return self.of_rules()

    def of_rules(self) -> str:
        if self.prev.first:
            return "first re-screening of this workspace"
        if self.policy:
            return "rules changed: " + "; ".join(self.policy)
        return "input or settings changed since the last run"


def _since(prev: Previous) -> str:
    return (
        f"run {prev.run_id} ({prev.at:%Y-%m-%d %H:%M} UTC, as of {prev.as_of})"
        if prev.run_id
        else "never"
    )


def _match_alerts(
    prev: Previous, parties: dict[str, Party], matches: list[StoredMatch], cause: _Causes, as_of: date,
    version: int, history: dict[str, EntryInfo],
) -> list[Alert]:  # fmt: skip
    alerts = []
    now = {(m.party_key, m.entity_id): m for m in matches}
    for key in sorted(set(now) - set(prev.matches)):
        m, party = now[key], parties[key[0]]
        why = cause.of_entry(m.entity_id, key[0])
        alert = match_alert(party, m, history.get(m.entity_id, UNKNOWN_ENTRY), as_of)
        alert.detector, alert.period = MATCH, f"{m.entity_id}@{version}"
        alert.summary = alert.summary.replace(" matches listed ", " now matches listed ", 1) + f": {why}"
        alert.evidence.append(Evidence(f"what changed: {why}; last re-screening: {_since(prev)}", "rescreen"))
        alerts.append(alert)
    for key in sorted(set(prev.matches) - set(now)):
        old = prev.matches[key]
        if key[0] not in parties:
            continue  # the party left the workspace: not a list change
        party = parties[key[0]]
        gone = cause.entries.get(old.entity_id)
        why = f"{gone[1]} version {gone[0]} {gone[2]} this entry" if gone else cause.of_rules()
        alerts.append(Alert(
            detector=DELISTED, scenario="S9", severity="low", score=old.score,
            subjects=[party.subject, old.entity_id], as_of=as_of.isoformat(),
            summary=f"{party.name}{with_country(party.country)} no longer matches listed '{old.caption}' ({old.dataset}): {why}",
            evidence=[
                Evidence(f"matched '{old.caption}' (list entry {old.entity_id}) at {old.score:.2f} in {_since(prev)}", old.dataset),
                Evidence(f"appears as {party.where()} ({party.count} records)", "workspace"),
                Evidence(f"what changed: {why}; open cases on this party may be reviewed", "rescreen"),
            ],
            period=f"{old.entity_id}@{version}", list_matches=[list_match(party, old, UNKNOWN_ENTRY)],
        ))  # fmt: skip
    return alerts


def _affiliate_alerts(prev: Previous, now: dict[str, Affiliate], cause: _Causes, as_of: date) -> list[Alert]:
    alerts = []
    for eid in sorted(now):
        a = now[eid]
        before = prev.affiliates.get(eid)
        if before is not None and before[1] == a.binds:
            continue
        if before is None:
            what = f"now owned {a.restricted_pct:.0f}% by listed parties ({cause.of_ownership()})"
        else:
            what = f"the Affiliates rule now {'binds' if a.binds else 'does not bind'} ({a.rule})"
        alert = affiliate_alert(a, as_of)
        alert.detector, alert.period = AFFILIATE, f"{as_of.isoformat()}:{a.binds}"
        alert.summary = alert.summary.rsplit(": owned ", 1)[0] + f": {what}"
        alert.evidence.append(Evidence(f"what changed: {what}; last re-screening: {_since(prev)}", "rescreen"))
        alerts.append(alert)
    for eid in sorted(set(prev.affiliates) - set(now)):
        pct, _ = prev.affiliates[eid]
        alerts.append(Alert(
            detector=NO_LONGER_AFFILIATE, scenario="S9", severity="low", score=0.3, subjects=[eid], as_of=as_of.isoformat(),
            summary=f"{eid} is no longer owned 50% or more by listed parties (was {pct:.0f}%)",
            evidence=[Evidence(f"what changed: {cause.of_ownership()}; last re-screening: {_since(prev)}", "rescreen")],
            period=as_of.isoformat(),
        ))  # fmt: skip
    return alerts


def _new_detector_alerts(prev: Previous, found: list[Alert], cause: _Causes) -> list[Alert]:
    new = []
    for alert in found:
        if alert.detector in REPORTED_HERE:
            continue  # list matches and affiliates: this module says what changed about them
        if (alert.detector, alert.subjects[0] if alert.subjects else "") in prev.detections:
            continue
        if not prev.first:
            why = (
                cause.of_rules()
                if cause.policy
                else ("list changes" if cause.entries else "new input")
            )
            alert.evidence.append(
                Evidence(f"new since the last re-screening ({_since(prev)}): {why}", "rescreen")
            )
        new.append(alert)
    return new
