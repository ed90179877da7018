"""S8 alerts: chips whose rounds contradict their declared site, answer replayed or unsigned
challenges, stop answering, or move; and landmarks that lie for several chips.

`METADATA` and `detect(ctx)` follow detectors/registry.py; the table work runs on the
detection engine (DuckDB or Spark, locate/fleet.py), the geometry in Python. Thresholds:
DetectorSettings.chip_location; distance bounds: Settings.locate (as for `locate verify`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from computewatch.alerts.evidence import row_source
from computewatch.alerts.model import SEVERITIES, Alert, DetectorMeta, Evidence
from computewatch.locate.fleet import ChipHistory, Fleet, Move, Round, examine_fleet
from computewatch.locate.verdict import Disk

METADATA = DetectorMeta(
    id="chip-location",
    title="Chip not where it is declared to be, moved, silent, or answering replayed or unsigned challenges",
    scenario="S8",
    severity="high",
    references=(
        "Chip Security Act, S.1705 (119th Congress, 2025): location verification of 3A090/4A090 chips after export",
        "Gueye, Ziviani, Crovella, Fdida, 'Constraint-Based Geolocation of Internet Hosts', IEEE/ACM ToN 14(6), 2006",
        "Gill, Ganjali, Wong, Lie, 'Dude, where's that IP? Circumventing measurement-based IP geolocation', USENIX Security 2010",
    ),
    thresholds="chip_location",
    description="Each chip's probes are grouped into rounds. The latest round must fit the declared site (or country); "
    "recent rounds must be signed, with fresh nonces; consecutive rounds must leave the chip a place in common; and a chip "
    "must have answered within silent_after_hours. When landmarks disagree, the largest group whose bounds agree decides, "
    "and a landmark that disagrees for suspect_min_chips chips is an alert of its own (chip-location-landmark).",
)
LANDMARK_DETECTOR = "chip-location-landmark"
SCORE = {"critical": 0.95, "high": 0.8, "medium": 0.6, "low": 0.4, "informational": 0.2}
EXCLUSION_FINDINGS = {  # exclusion kind -> (severity, what it means)
    "replayed": ("high", "answered with replayed nonces"),
    "bad_signature": ("high", "gave answers whose signature does not verify"),
    "unsigned": ("medium", "gave unsigned answers"),
    "no_key": ("medium", "signed with no known key"),
    "no_nonce": ("medium", "answered without a nonce"),
}


@dataclass
class Finding:
    severity: str
    phrase: str  # for the summary: "moved about 3,900 km between rounds"
    evidence: list[Evidence] = field(default_factory=list)


def round_source(r: Round, probes: Sequence[int] | None = None) -> str:
    """'probes: probes.csv lines 2-13' for a round, or for some of its probes (by Probe.line)."""
    chosen = r.rows if probes is None else [row for p, row in zip(r.probes, r.rows, strict=True) if p.line in probes]
    return row_source("probes", chosen)


def _when(r: Round) -> str:
    return f"round of {r.start:%Y-%m-%d %H:%M}-{r.end:%H:%M} UTC"


def _bounds(disks: Sequence[Disk]) -> str:
    return ", ".join(f"{d.landmark_id} {d.rtt_ms:g} ms <= {d.radius_km:,.0f} km" for d in disks)


def _claim(r: Round) -> str:
    v = r.verdict
    assert v is not None
    where = f"site {r.site} " if r.site else "site " if v.claimed_lat is not None else ""
    at = f"({v.claimed_lat:.4f}, {v.claimed_lon:.4f}) " if v.claimed_lat is not None else ""
    return f"declared {where}{at}in {v.claimed_country}".replace("  ", " ")


def _severity_where(countries: Sequence[str], claimed: str, ctx: Any, base: str = "high") -> str:
    """critical when every place the chip can be is a country of concern and the declared one is not."""
    if countries and not ctx.policy.concern(claimed, ctx.as_of) and all(ctx.policy.concern(c, ctx.as_of) for c in countries):
        return "critical"
    return base


def _latest_findings(r: Round, ctx: Any) -> list[Finding]:
    v = r.verdict
    if v is None:
        return []
    bounds = Evidence(f"{_when(r)}: {len(v.disks)} valid of {len(r.probes)} probes; bounds: {_bounds(v.disks)}", round_source(r))
    claim_broken = v.status == "inconsistent" or (v.status == "impossible" and v.claim_fits_agreeing is False)
    reasons = [Evidence(text, round_source(r)) for text in v.reasons if not text.startswith("input carries no signature")]
    if claim_broken:
        where = f"; it must be in {', '.join(v.feasible_countries)}" if v.feasible_countries else ""
        phrase = f"latest round contradicts its {_claim(r)}{where}"
        if v.status == "impossible":
            phrase += f" (by {v.agreeing} agreeing landmarks; suspect: {', '.join(d.landmark_id for d in v.suspects)})"
        return [Finding(_severity_where(v.feasible_countries, v.claimed_country, ctx), phrase, [bounds, *reasons])]
    if v.status == "impossible" and v.rival_groups:
        return [Finding("medium", "landmarks of its latest round disagree in equal groups: its place cannot be settled", [bounds, *reasons])]
    if v.status == "impossible" and v.claim_fits_agreeing is None:
        return [Finding("high", "latest round is physically impossible and no group of landmarks agrees (tampering)", [bounds, *reasons])]
    if v.status == "unverified":
        return [Finding("low", f"latest round could not be verified ({len(v.disks)} valid probes)", reasons)]
    return []


def _exclusion_findings(chip: ChipHistory) -> list[Finding]:
    """Replayed, unsigned or wrongly signed answers in the recent rounds, one finding per kind."""
    found: dict[str, Finding] = {}
    for r in chip.rounds:
        if not r.recent or r.verdict is None:
            continue
        for e in r.verdict.excluded:
            if e.kind not in EXCLUSION_FINDINGS:
                continue
            severity, what = EXCLUSION_FINDINGS[e.kind]
            rows = [x for x in r.rows if int(x["src_line"]) == e.line and x["landmark_id"] == e.landmark_id]
            found.setdefault(e.kind, Finding(severity, what)).evidence.append(
                Evidence(f"{_when(r)}, landmark {e.landmark_id}: {e.reason}", row_source("probes", rows))
            )
    for finding in found.values():
        finding.phrase += f" ({len(finding.evidence)} in recent rounds)"
        finding.evidence = finding.evidence[:20]
    return list(found.values())


def _declared(r: Round) -> tuple[object, ...]:
    v = r.verdict
    assert v is not None
    return v.claimed_country, v.claimed_lat, v.claimed_lon


def _move_finding(m: Move, ctx: Any) -> Finding:
    before, after = m.before, m.after
    assert before.verdict is not None and after.verdict is not None
    was = ", ".join(m.before_countries) or "?"
    now = ", ".join(m.after_countries) or "?"
    evidence = [
        Evidence(f"{_when(before)}: the chip was within {_bounds(before.agreeing_disks(0) or [])}; region in {was}", round_source(before)),
        Evidence(f"{_when(after)}: the chip was within {_bounds(after.agreeing_disks(0) or [])}; region in {now}", round_source(after)),
        Evidence(f"no place fits both rounds: their regions are about {m.gap_km:,.0f} km apart, so the chip was moved "
                 f"between {before.end:%Y-%m-%d %H:%M} and {after.start:%Y-%m-%d %H:%M} UTC", "probes (both rounds)"),
    ]  # fmt: skip
    if _declared(before) != _declared(after) and after.verdict.status == "consistent":
        # moved where the operator now declares it: worth knowing (a re-export may need a licence), rarely a lie
        phrase = f"moved about {m.gap_km:,.0f} km to its newly {_claim(after)} (region was in {was})"
        return Finding(_severity_where(m.after_countries, before.verdict.claimed_country, ctx, base="low"), phrase, evidence)
    phrase = f"moved about {m.gap_km:,.0f} km between rounds (region was in {was}; now in {now})"
    return Finding(_severity_where(m.after_countries, after.verdict.claimed_country, ctx), phrase, evidence)


def _silent_finding(chip: ChipHistory, fleet: Fleet, hours: float) -> Finding | None:
    silent = chip.silent_hours(fleet.until)
    if silent <= hours:
        return None
    fact = f"last probe answered at {chip.last_ts:%Y-%m-%d %H:%M} UTC, {silent:,.0f} hours before the end of the as-of day (allowed: {hours:g})"
    return Finding("medium", f"stopped answering ({silent / 24:,.1f} days without a round)",
                   [Evidence(fact, row_source("probes", [chip.last_row]))])  # fmt: skip


def chip_alert(chip: ChipHistory, findings: list[Finding], as_of: str) -> Alert:
    findings = sorted(findings, key=lambda f: -SEVERITIES.index(f.severity))
    severity = findings[0].severity
    latest = chip.latest
    row = chip.last_row
    site = (latest.site if latest else None) or row.get("site")
    head = f"chip {chip.chip_id}" + (f" (site {site}, {row['claimed_country']})" if site else f" ({row['claimed_country']})")
    return Alert(
        detector=METADATA.id, scenario=METADATA.scenario, severity=severity,
        score=min(1.0, SCORE[severity] + 0.02 * (len(findings) - 1)), subjects=[chip.chip_id], as_of=as_of,
        summary=f"{head}: " + "; ".join(f.phrase for f in findings),
        evidence=[e for f in findings for e in f.evidence],
    )  # fmt: skip


def landmark_alerts(fleet: Fleet, min_chips: int, as_of: str) -> list[Alert]:
    alerts = []
    for landmark, chips in sorted(fleet.suspects().items()):
        if len(chips) < min_chips:
            continue
        evidence = []
        for chip_id, seen in sorted(chips.items()):
            r, d = seen[-1]
            assert r.verdict is not None
            said = next((t for t in r.verdict.reasons if t.startswith(f"suspect landmark {landmark}:")), "")
            evidence.append(Evidence(f"chip {chip_id}, {_when(r)} ({len(seen)} round(s)): {said or f'RTT {d.rtt_ms:g} ms'}; "
                                     f"{r.verdict.agreeing} other landmarks agree with each other, not with it",
                                     round_source(r, [d.line])))  # fmt: skip
        alerts.append(Alert(
            detector=LANDMARK_DETECTOR, scenario=METADATA.scenario, severity="high",
            score=min(1.0, 0.7 + 0.05 * len(chips)), subjects=[landmark], as_of=as_of,
            summary=f"landmark {landmark} reports RTTs too short to be true for {len(chips)} chips "
                    f"({', '.join(sorted(chips)[:5])}{'...' if len(chips) > 5 else ''}): lying, colluding or broken",
            evidence=evidence,
        ))  # fmt: skip
    return alerts


def fleet_alerts(fleet: Fleet, ctx: Any) -> list[Alert]:
    th = ctx.settings.chip_location
    as_of = ctx.as_of.isoformat()
    moves: dict[str, list[Move]] = {}
    for m in fleet.moves:
        moves.setdefault(m.chip_id, []).append(m)
    alerts = []
    for chip_id, chip in sorted(fleet.chips.items()):
        findings = _latest_findings(chip.latest, ctx) if chip.latest else []
        findings += [_move_finding(m, ctx) for m in moves.get(chip_id, [])[-3:]]
        findings += _exclusion_findings(chip)
        silent = _silent_finding(chip, fleet, th.silent_after_hours)
        findings += [silent] if silent else []
        if findings:
            alerts.append(chip_alert(chip, findings, as_of))
    return alerts + landmark_alerts(fleet, th.suspect_min_chips, as_of)


def examine(ctx: Any) -> Fleet:
    th = ctx.settings.chip_location
    return examine_fleet(ctx.engine, ctx.window_end, ctx.window_start, ctx.locate, th.round_gap_s,
                         timedelta(days=th.lookback_days), th.min_move_km)  # fmt: skip


def detect(ctx: Any) -> list[Alert]:
    return fleet_alerts(examine(ctx), ctx)
