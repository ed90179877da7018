"""The fleet on the map page: every chip's last verdict from the workspace's probe rounds (the same
judgement as the chip-location detector), filtered by site, country and verdict, each linking to its case."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from computewatch.api.deps import Context
from computewatch.cases.models import OPEN_STATUSES, Case, CaseEntity
from computewatch.errors import NotFound
from computewatch.locate.fleet import ChipHistory, Fleet, examine_fleet, verdict_of
from computewatch.locate.fleet_map import Pin, fleet_map, region_centre
from computewatch.web.render import render
from computewatch.web.session import User

router = APIRouter(prefix="/ui", include_in_schema=False)
VERDICTS = ("consistent", "inconsistent", "impossible", "unverified", "silent", "moved")
_CACHE: dict[tuple[Any, ...], Fleet] = {}  # the last few fleets, by workspace, day and what was loaded
_CACHE_LOCK = threading.Lock()


@dataclass
class ChipRow:
    chip_id: str
    site: str
    country: str
    verdict: str  # verdict_of the latest round ("none" without a round in the window)
    flags: list[str] = field(default_factory=list)  # silent, moved, suspect landmarks, replayed...
    feasible: list[str] = field(default_factory=list)
    last_round: str = ""
    case_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    where: tuple[float, float] | None = None

    @property
    def silent(self) -> bool:
        return any(f.startswith("silent") for f in self.flags)

    @property
    def moved(self) -> bool:
        return any(f.startswith("moved") for f in self.flags)

    @property
    def href(self) -> str:
        return f"/ui/cases/{self.case_id}" if self.case_id else f"/ui/locate/chips/{self.chip_id}"

    def matches(self, site: str, country: str, verdict: str) -> bool:
        if (site and self.site != site) or (country and self.country != country):
            return False
        return not verdict or verdict == self.verdict or any(f.startswith(verdict) for f in self.flags)


def _until(as_of: date) -> datetime:
    return datetime.combine(as_of + timedelta(days=1), time())


def load_fleet(ctx: Any, as_of: date) -> Fleet | None:
    """The fleet as of the end of a day, or None when no probes were ingested; cached until probes are loaded again."""
    from computewatch.engine import open_engine

    th = ctx.settings.detectors.chip_location
    until = _until(as_of)
    with ctx.open_workspace() as ws:
        tables = {r[0] for r in ws.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "ops_probes" not in tables:
            return None
        stamp = ws.con.execute(  # changes with every load, also when a load only replaces measurements
            "SELECT (SELECT count(*) FROM ops_probes), count(*), max(loaded_at) FROM ops_loads WHERE kind = 'probes'"
        ).fetchone()
        key = (str(ctx.workspace), as_of, stamp, ctx.settings.locate.model_dump_json(), th.model_dump_json())
        with _CACHE_LOCK:
            if key in _CACHE:
                return _CACHE[key]
        if not stamp or not stamp[0]:
            return None
        with open_engine("duckdb", ws.con) as engine:
            fleet = examine_fleet(engine, until, until - timedelta(days=ctx.settings.detectors.window_days), ctx.settings.locate,
                                  th.round_gap_s, timedelta(days=th.lookback_days), th.min_move_km)  # fmt: skip
    with _CACHE_LOCK:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = fleet
    return fleet


def _row(chip: ChipHistory, fleet: Fleet, silent_after: float) -> ChipRow:
    latest = chip.latest
    v = latest.verdict if latest else None
    last = chip.last_row
    row = ChipRow(chip.chip_id, (latest.site if latest else None) or last.get("site") or "", last["claimed_country"], verdict_of(latest))
    if v is not None:
        row.country = v.claimed_country
        row.feasible = v.feasible_countries
        row.last_round = f"{latest.end:%Y-%m-%d %H:%M}" if latest else ""
        row.lat, row.lon = v.claimed_lat, v.claimed_lon
        if row.verdict == "inconsistent":
            row.where = region_centre(v.region)
        if row.lat is None:
            row.lat, row.lon = row.where or (None, None)
        if v.suspects:
            row.flags.append("suspect landmarks: " + ", ".join(d.landmark_id for d in v.suspects))
        kinds = sorted({e.kind for e in v.excluded if e.kind != "stale"})
        row.flags += [k.replace("_", " ") for k in kinds]
    elif last.get("claimed_lat") is not None:
        row.lat, row.lon = last["claimed_lat"], last["claimed_lon"]
    moves = [m for m in fleet.moves if m.chip_id == chip.chip_id]
    if moves:
        row.flags.insert(0, f"moved about {moves[-1].gap_km:,.0f} km")
    hours = chip.silent_hours(fleet.until)
    if hours > silent_after:
        row.flags.insert(0, f"silent for {hours:,.0f} h")
    return row


def _cases_of(ctx: Any, chip_ids: list[str]) -> dict[str, int]:
    """Each chip's case: the newest open one, else the newest."""
    if not chip_ids:
        return {}
    found: dict[str, tuple[bool, int]] = {}
    with ctx.db.session() as session:
        query = (select(CaseEntity.entity_id, Case.id, Case.status).join(Case, Case.id == CaseEntity.case_id)
                 .where(CaseEntity.entity_id.in_(chip_ids), CaseEntity.role == "subject"))  # fmt: skip
        for entity_id, case_id, status in session.execute(query):
            rank = (status in OPEN_STATUSES, case_id)
            if entity_id not in found or rank > found[entity_id]:
                found[entity_id] = rank
    return {k: v[1] for k, v in found.items()}


def fleet_view(ctx: Any, as_of: date | None, site: str = "", country: str = "", verdict: str = "") -> dict[str, Any]:
    """What the map page shows of the fleet: rows (filtered), the map, the filter choices."""
    day = as_of or date.today()
    fleet = load_fleet(ctx, day)
    view: dict[str, Any] = {"as_of": day, "site": site, "country": country, "verdict": verdict, "total": 0, "rows": [],
                            "map": None, "sites": [], "countries": [], "verdicts": VERDICTS}  # fmt: skip
    if fleet is None:
        return view
    silent_after = ctx.settings.detectors.chip_location.silent_after_hours
    rows = [_row(c, fleet, silent_after) for _, c in sorted(fleet.chips.items())]
    cases = _cases_of(ctx, [r.chip_id for r in rows])
    for r in rows:
        r.case_id = cases.get(r.chip_id)
    chosen = [r for r in rows if r.matches(site, country, verdict)]
    pins = [
        Pin(r.chip_id, r.lat, r.lon, r.verdict, f"{r.chip_id} ({r.site or 'no site'}, {r.country}): {r.verdict}"
            + (f"; {'; '.join(r.flags)}" if r.flags else ""), r.href, r.where, r.silent, r.moved)
        for r in chosen if r.lat is not None and r.lon is not None
    ]  # fmt: skip
    newest = max(c.last_ts for c in fleet.chips.values()).date()
    view.update(total=len(rows), rows=chosen, map=fleet_map(pins), sites=sorted({r.site for r in rows if r.site}),
                countries=sorted({r.country for r in rows}), newest=newest if newest < day else None)  # fmt: skip
    return view


@router.get("/locate/chips/{chip_id}")
def chip_page(request: Request, chip_id: str, user: User, ctx: Context, as_of: date | None = None) -> Response:
    from computewatch.locate.map import render_map
    from computewatch.web.tools import svg_image

    day = as_of or date.today()
    fleet = load_fleet(ctx, day)
    chip = fleet.chips.get(chip_id) if fleet else None
    if chip is None or fleet is None:
        raise NotFound("chip", chip_id)
    row = _row(chip, fleet, ctx.settings.detectors.chip_location.silent_after_hours)
    row.case_id = _cases_of(ctx, [chip_id]).get(chip_id)
    latest = chip.latest
    image = svg_image(render_map(latest.verdict)) if latest and latest.verdict else None
    return render(request, "locate_chip.html", user=user, row=row, as_of=day, image=image,
                  reasons=latest.verdict.reasons if latest and latest.verdict else [],
                  rounds=[(r, verdict_of(r)) for r in reversed(chip.rounds)])  # fmt: skip
