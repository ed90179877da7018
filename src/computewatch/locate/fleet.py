"""The fleet over time: probe rounds kept in the workspace (ops_probes), judged round by round.

Table work goes through the engine (DuckDB or Spark, the same SQL): rounds (a chip's
probes with one claim and no gap longer than `round_gap_s`), replayed nonces across
the whole history, each chip's last answer. Geometry runs in Python on the few
rounds that matter: each chip's latest round, the rounds of the last `lookback_days`,
and the round just before them (to see a move).

    examine_fleet(engine, until, since, locate_settings, thresholds) -> Fleet
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from computewatch.engine import Engine, Row
from computewatch.engine.sql import literal
from computewatch.locate.batch import DiskBatch, decide
from computewatch.locate.countries import country_atlas
from computewatch.locate.geometry import EARTH_RADIUS_KM, km_to_angle, unit_vectors
from computewatch.locate.probes import Probe
from computewatch.locate.region import Region, feasible_region
from computewatch.locate.screening import Exclusion, exclusions
from computewatch.locate.verdict import Disk, Verdict
from computewatch.locate.verify import CountryMode, verify_groups
from computewatch.settings import LocateSettings

ROUNDS = "cw_probe_rounds"
REPLAYS = "cw_probe_replays"
ORDER = "ts, landmark_id, src_file, src_line"
COLUMNS = ("chip_id, claimed_country, claimed_lat, claimed_lon, site, landmark_id, landmark_lat, landmark_lon, rtt_ms, ts, "
           "nonce, signature_valid, signature, public_key, chip_ts, file_signed, file_nonced, src_file, src_line")  # fmt: skip


@dataclass
class Round:
    """One round of one chip: the probes of a measurement campaign, with one claim."""

    chip_id: str
    number: int
    probes: list[Probe]
    rows: list[Row]  # the workspace rows, aligned with probes (src_file, src_line, site...)
    recent: bool  # within the lookback (or the chip's latest round)
    verdict: Verdict | None = None

    @property
    def start(self) -> datetime:
        return min(p.ts for p in self.probes)

    @property
    def end(self) -> datetime:
        return max(p.ts for p in self.probes)

    @property
    def site(self) -> str | None:
        return next((str(r["site"]) for r in reversed(self.rows) if r.get("site")), None)

    def agreeing_disks(self, min_probes: int) -> list[Disk] | None:
        """The disks that say where the chip is: all of them, or the largest agreeing group; None if nothing is settled."""
        v = self.verdict
        if v is None or len(v.disks) < min_probes:
            return None
        if v.status != "impossible":
            return v.disks
        if v.rival_groups or (v.agreeing or 0) < min_probes:
            return None
        return [d for d in v.disks if d not in v.suspects]


def verdict_of(r: Round | None) -> str:
    """What the round says of the chip's claim, settled by the agreeing landmarks when some lie:
    consistent, inconsistent, impossible (nothing settled), unverified; none without a round."""
    v = r.verdict if r else None
    if v is None:
        return "none"
    if v.status == "impossible" and v.claim_fits_agreeing is not None:
        return "consistent" if v.claim_fits_agreeing else "inconsistent"
    return v.status


@dataclass
class Move:
    chip_id: str
    before: Round
    after: Round
    gap_km: float  # about how far apart the two rounds' regions are
    before_countries: list[str]
    after_countries: list[str]


@dataclass
class ChipHistory:
    chip_id: str
    last_ts: datetime  # the chip's last probe before `until`, over the whole history
    last_row: Row  # that probe's row (the claim, for chips with no round in the window)
    rounds: list[Round] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    def silent_hours(self, until: datetime) -> float:
        """Hours from the chip's last probe to `until` (naive UTC)."""
        return (until - self.last_ts.replace(tzinfo=None)).total_seconds() / 3600


@dataclass
class Fleet:
    until: datetime
    chips: dict[str, ChipHistory]
    moves: list[Move]

    def suspects(self) -> dict[str, dict[str, list[tuple[Round, Disk]]]]:
        """landmark id -> chip id -> the recent rounds in which that landmark disagreed with the others."""
        out: dict[str, dict[str, list[tuple[Round, Disk]]]] = {}
        for chip in self.chips.values():
            for r in chip.rounds:
                if r.recent and r.verdict is not None:
                    for d in r.verdict.suspects:
                        out.setdefault(d.landmark_id, {}).setdefault(chip.chip_id, []).append((r, d))
        return out


def rounds_sql(since: datetime, until: datetime, gap_s: int) -> str:
    w = f"OVER (PARTITION BY chip_id ORDER BY {ORDER})"
    new_round = f"""CASE WHEN prev_ts IS NULL OR ts > prev_ts + INTERVAL '{int(gap_s)}' SECOND
        OR claimed_country IS DISTINCT FROM prev_country OR claimed_lat IS DISTINCT FROM prev_lat
        OR claimed_lon IS DISTINCT FROM prev_lon THEN 1 ELSE 0 END"""
    return f"""SELECT *, sum({new_round}) OVER (PARTITION BY chip_id ORDER BY {ORDER}
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS round_no
    FROM (SELECT {COLUMNS}, lag(ts) {w} AS prev_ts, lag(claimed_country) {w} AS prev_country,
                 lag(claimed_lat) {w} AS prev_lat, lag(claimed_lon) {w} AS prev_lon
          FROM ops_probes WHERE ts >= {literal(since)} AND ts < {literal(until)}) p"""


def replays_sql(until: datetime) -> str:
    """Every answer whose nonce was answered before (by any chip, at any landmark), with that first use."""
    w = f"OVER (PARTITION BY nonce ORDER BY {ORDER})"
    return f"""SELECT chip_id, landmark_id, ts, src_file, src_line, first_chip, first_landmark, first_ts, first_file, first_line
    FROM (SELECT chip_id, landmark_id, ts, src_file, src_line, row_number() {w} AS use_no,
                 first_value(chip_id) {w} AS first_chip, first_value(landmark_id) {w} AS first_landmark,
                 first_value(ts) {w} AS first_ts, first_value(src_file) {w} AS first_file, first_value(src_line) {w} AS first_line
          FROM ops_probes WHERE nonce IS NOT NULL AND nonce <> '' AND ts < {literal(until)}) u
    WHERE use_no > 1"""


def selected_rounds_sql(cutoff: datetime) -> str:
    """The rows of each chip's rounds that matter: the latest, those ending after cutoff, and the one before them."""
    return f"""WITH rounds AS (SELECT chip_id, round_no, max(ts) AS round_end FROM {ROUNDS} GROUP BY chip_id, round_no),
    chips AS (SELECT chip_id, max(round_no) AS last_round,
                     min(CASE WHEN round_end >= {literal(cutoff)} THEN round_no END) AS first_recent
              FROM rounds GROUP BY chip_id)
    SELECT {", ".join("r." + c.strip() for c in COLUMNS.split(","))}, r.round_no, CASE WHEN r.round_no >= least(coalesce(c.first_recent, c.last_round), c.last_round) THEN TRUE ELSE FALSE END AS recent,
           x.first_chip, x.first_landmark, x.first_ts, x.first_file, x.first_line
    FROM {ROUNDS} r JOIN chips c ON r.chip_id = c.chip_id
    LEFT JOIN {REPLAYS} x ON r.chip_id = x.chip_id AND r.landmark_id = x.landmark_id AND r.ts = x.ts
        AND r.src_file = x.src_file AND r.src_line = x.src_line
    WHERE r.round_no >= least(coalesce(c.first_recent, c.last_round), c.last_round) - 1
    ORDER BY r.chip_id, r.round_no, r.{ORDER.replace(', ', ', r.')}"""


def last_answers_sql(until: datetime) -> str:
    return f"""SELECT {COLUMNS} FROM (
        SELECT *, row_number() OVER (PARTITION BY chip_id ORDER BY ts DESC, landmark_id DESC, src_file DESC, src_line DESC) AS n
        FROM ops_probes WHERE ts < {literal(until)}) p
    WHERE n = 1 ORDER BY chip_id"""


def _aware(ts: Any) -> datetime | None:
    return None if ts is None else ts.replace(tzinfo=UTC)


def _probe(line: int, r: Row) -> Probe:
    return Probe(
        line, r["chip_id"], r["claimed_country"], r["claimed_lat"], r["claimed_lon"], r["landmark_id"], r["landmark_lat"],
        r["landmark_lon"], r["rtt_ms"], _aware(r["ts"]), r["nonce"] or None, r["signature_valid"],  # type: ignore[arg-type]
        bytes.fromhex(r["signature"]) if r["signature"] else None, r["public_key"], _aware(r["chip_ts"]), r["site"],
    )  # fmt: skip


def _replay(r: Row) -> Exclusion:
    first = f"{r['first_file']} line {r['first_line']}"
    who = "this chip" if r["first_chip"] == r["chip_id"] else f"chip {r['first_chip']}"
    return Exclusion(int(r["src_line"]), r["landmark_id"], f"replayed nonce: first answered by {who} to landmark {r['first_landmark']} "
                     f"at {_aware(r['first_ts']).isoformat()} (probes: {first})", "replayed")  # type: ignore[union-attr]  # fmt: skip


def examine_fleet(
    engine: Engine, until: datetime, since: datetime, settings: LocateSettings, round_gap_s: int, lookback: timedelta,
    min_move_km: float,
) -> Fleet:  # fmt: skip
    """Every chip with a probe before `until` (naive UTC); rounds from `since` on are judged."""
    engine.materialise(ROUNDS, rounds_sql(since, until, round_gap_s))
    engine.materialise(REPLAYS, replays_sql(until))
    chips = {
        r["chip_id"]: ChipHistory(r["chip_id"], _aware(r["ts"]), r)  # type: ignore[arg-type]
        for r in engine.query(last_answers_sql(until))
    }
    rows = engine.query(selected_rounds_sql(until - lookback))
    rounds: list[Round] = []
    # keyed by Probe.line, the row's position here (unique); each Exclusion shows the row's line in its file
    excluded: dict[int, Exclusion] = {}
    for line, row in enumerate(rows):
        if not rounds or rounds[-1].chip_id != row["chip_id"] or rounds[-1].number != row["round_no"]:
            rounds.append(Round(row["chip_id"], int(row["round_no"]), [], [], bool(row["recent"])))
        rounds[-1].probes.append(_probe(line, row))
        rounds[-1].rows.append(row)
        if row["first_chip"] is not None:
            excluded[line] = _replay(row)
    for r in rounds:
        signed = any(x["file_signed"] for x in r.rows)
        nonced = any(x["file_nonced"] for x in r.rows)
        lines = {p.line: int(x["src_line"]) for p, x in zip(r.probes, r.rows, strict=True)}
        for line, e in exclusions(r.probes, settings, signed_input=signed, nonced_input=nonced).items():
            excluded.setdefault(line, replace(e, line=lines[line]))
        chips[r.chip_id].rounds.append(r)
    latest = [c.rounds[-1] for c in chips.values() if c.rounds]
    _judge(latest, excluded, settings, "inconsistent")
    _judge([r for c in chips.values() for r in c.rounds[:-1]], excluded, settings, "none")
    return Fleet(until, chips, find_moves(list(chips.values()), settings, min_move_km))


def _judge(rounds: list[Round], excluded: dict[int, Exclusion], settings: LocateSettings, countries: CountryMode) -> None:
    unsigned = [not any(x["file_signed"] for x in r.rows) and not settings.require_signatures for r in rounds]
    for flag in (True, False):  # the "taken as measured" note is per round
        chosen = [r for r, u in zip(rounds, unsigned, strict=True) if u == flag]
        verdicts = verify_groups([r.probes for r in chosen], excluded, settings, countries=countries, taken_as_measured=flag)
        for r, v in zip(chosen, verdicts, strict=True):
            r.verdict = v


def find_moves(chips: list[ChipHistory], settings: LocateSettings, min_move_km: float) -> list[Move]:
    """Consecutive rounds (the later one recent) whose regions have no point in common: the chip was moved."""
    pairs = []
    for chip in chips:
        for before, after in zip(chip.rounds, chip.rounds[1:], strict=False):
            a, b = before.agreeing_disks(settings.min_valid_probes), after.agreeing_disks(settings.min_valid_probes)
            if after.recent and a and b:
                pairs.append((before, after, a, b))
    if not pairs:
        return []
    k = max(len(a) + len(b) for _, _, a, b in pairs)
    lat, lon, radius = np.zeros((len(pairs), k)), np.zeros((len(pairs), k)), np.zeros((len(pairs), k))
    valid = np.zeros((len(pairs), k), bool)
    for i, (_, _, a, b) in enumerate(pairs):
        disks = a + b
        lat[i, : len(disks)] = [d.lat for d in disks]
        lon[i, : len(disks)] = [d.lon for d in disks]
        radius[i, : len(disks)] = km_to_angle(np.array([d.radius_km for d in disks]))
        valid[i, : len(disks)] = True
    centres = unit_vectors(lat, lon)
    together = decide(DiskBatch(centres, radius, valid, centres[:, 0]), settings.tolerance_km)
    moves = []
    for (before, after, a, b), disjoint in zip(pairs, together.region_empty.tolist(), strict=True):
        if not disjoint:
            continue
        region_a, region_b = _region(a, settings), _region(b, settings)
        if region_a.empty or region_b.empty:
            continue
        gap = float(np.arccos(np.clip((region_a.points @ region_b.points.T).max(), -1, 1)) * EARTH_RADIUS_KM)
        if gap >= min_move_km:
            atlas = country_atlas()
            moves.append(Move(after.chip_id, before, after, gap, region_a.countries(atlas), region_b.countries(atlas)))
    return moves


def _region(disks: list[Disk], settings: LocateSettings) -> Region:
    centres = unit_vectors(np.array([d.lat for d in disks]), np.array([d.lon for d in disks]))
    return feasible_region(centres, km_to_angle(np.array([d.radius_km for d in disks])), settings.tolerance_km)
