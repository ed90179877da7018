"""Score every shipment: evaluate the red flags, combine their weights, name every flag with its
evidence and its source.

score = 1 - (1 - w1)(1 - w2)... over the flags that fired. A consignee with a long,
consistent history lowers the flags marked mitigable; a shipment naming no 3A090/4A090
item (and not misdescribed) is scaled down. Shipments of nothing of interest score 0.
Rows are read in consignee and date order, so each shipment is judged against the
consignee's earlier shipments only.

A million shipments are scored in chunks of whole consignees, on every CPU: see batch.py.
`ShipmentScore.json_line()` is the output line, built from cached pieces (flag titles,
sources, item readings repeat) and equal to `orjson.dumps(to_json()) + b"\n"`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import orjson

from computewatch.errors import ComputewatchError
from computewatch.screening.screener import Screener
from computewatch.settings.shipments import ShipmentThresholds
from computewatch.shipments.facts import COLUMNS, Facts, Shipment
from computewatch.shipments.flags import (
    FLAGS,
    Checks,
    check_flags,
    consistent_history,
    countries_of,
    idle_flags,
)
from computewatch.shipments.history import CONSIGNEE_KEY, History, SharedContacts
from computewatch.shipments.items import ItemReading, recognise
from computewatch.shipments.parties import PartyChecks
from computewatch.shipments.policy_view import PolicyView, epoch
from computewatch.shipments.prices import item_band
from computewatch.shipments.reference import reference
from computewatch.sources.shipments import ensure_shipments_table
from computewatch.workspace import Workspace

ALWAYS_FULL = ("listed_party", "description_mismatch")  # never scaled down for an uncontrolled item
_FIRST_DAY = date(1, 1, 1).toordinal()  # rows carry their day as days since 0001-01-01 (an integer travels cheaply)
FETCH = 10_000


def severity_of(score: float) -> str:
    for bound, name in ((0.9, "critical"), (0.7, "high"), (0.5, "medium"), (0.25, "low")):
        if score >= bound:
            return name
    return "informational"


_SEVERITIES: dict[float, str] = {}


def _severity(score: float) -> str:
    found = _SEVERITIES.get(score)
    if found is None:
        found = severity_of(score)
        if len(_SEVERITIES) < 200_000:
            _SEVERITIES[score] = found
    return found


_ROUNDED: dict[float, float] = {}


def round3(x: float) -> float:
    """round(x, 3), remembered: scores and weights take few distinct values, and round() is slow."""
    if not x:
        return x  # 0.0 and -0.0 compare equal as keys, and round() keeps the sign
    r = _ROUNDED.get(x)
    if r is None:
        r = round(x, 3)
        if len(_ROUNDED) < 200_000:
            _ROUNDED[x] = r
    return r


@dataclass(slots=True)
class FlagHit:
    id: str
    title: str
    weight: float  # as in the data file
    applied: float  # after mitigation and scaling
    evidence: list[str]
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "weight": self.weight, "applied_weight": round(self.applied, 3),
                "evidence": self.evidence, "source": self.source}  # fmt: skip

    def write_json(self, buf: bytearray) -> None:
        """Append orjson.dumps(self.to_json()) to buf, from cached pieces: only the evidence is serialised each time."""
        applied = round3(self.applied)
        head = _HIT_HEADS.get((self.id, self.title, self.weight, applied))
        if head is None:
            head = orjson.dumps({"id": self.id, "title": self.title, "weight": self.weight, "applied_weight": applied})[:-1] + b',"evidence":'
            _remember(_HIT_HEADS, (self.id, self.title, self.weight, applied), head)
        tail = _HIT_TAILS.get(self.source)
        if tail is None:
            tail = b',"source":' + orjson.dumps(self.source) + b"}"
            _remember(_HIT_TAILS, self.source, tail)
        buf += head
        buf += orjson.dumps(self.evidence)
        buf += tail


_HIT_HEADS: dict[tuple[str, str, float, float], bytes] = {}
_HIT_TAILS: dict[str, bytes] = {}
_CACHE_MAX = 10_000


def _remember(cache: dict[Any, bytes], key: Any, value: bytes) -> None:
    if len(cache) < _CACHE_MAX:
        cache[key] = value


@dataclass(slots=True)
class ShipmentScore:
    shipment_id: str
    date: date
    consignee: str
    consignee_key: str
    consignee_country: str
    destination_country: str
    score: float
    alert: bool
    flags: list[FlagHit]
    # the items as recognised and classified (`items`): a dict, or the scorer's cached parts of it (_ItemParts)
    item_data: dict[str, Any] | tuple[Any, ...]
    mitigations: list[str]
    source: str
    value_usd: float | None = None
    accelerators: int | None = None
    of_interest: bool = False
    notes: list[str] = field(default_factory=list)  # seen but not counted: 'consignee ... listed later, on DATE'

    @property
    def items(self) -> dict[str, Any]:
        data = self.item_data
        if type(data) is tuple:  # the scorer's parts: made into the dict when first asked for
            data = self.item_data = _item_dict(data)
        return data  # type: ignore[return-value]

    @items.setter
    def items(self, value: dict[str, Any]) -> None:
        self.item_data = value

    @property
    def severity(self) -> str:
        return _severity(self.score)

    def json_line(self) -> bytes:
        """The output line: orjson.dumps(self.to_json()) + b"\n"."""
        buf = bytearray()
        self.write_json(buf)
        return bytes(buf)

    def write_json(self, buf: bytearray) -> None:
        """Append json_line() to buf, the repeating parts serialised once (orjson writes a dict as
        {"key":value,...}, without spaces, so pieces of dicts join into one)."""
        buf += orjson.dumps({
            "shipment_id": self.shipment_id, "date": self.date.isoformat(), "consignee": self.consignee, "consignee_key": self.consignee_key,
            "consignee_country": self.consignee_country, "destination_country": self.destination_country,
            "score": round3(self.score), "severity": self.severity, "alert": self.alert,
        })[:-1]  # fmt: skip
        if self.flags:
            sep = b',"flags":['
            for hit in self.flags:
                buf += sep
                hit.write_json(buf)
                sep = b","
            buf += b'],"items":'
        else:
            buf += b',"flags":[],"items":'
        data = self.item_data
        if type(data) is not tuple:
            buf += orjson.dumps(data)
        elif len(data) == 2:
            buf += data[1]
        else:
            buf += data[1]
            buf += orjson.dumps(data[2])
            buf += data[4]
        if self.mitigations:
            buf += b',"mitigations":'
            buf += orjson.dumps(self.mitigations)
            buf += b","
        else:
            buf += b',"mitigations":[],'
        if self.notes:
            buf += b'"notes":'
            buf += orjson.dumps(self.notes)
            buf += b","
        else:
            buf += b'"notes":[],'
        buf += orjson.dumps({"value_usd": self.value_usd, "accelerators": self.accelerators, "of_interest": self.of_interest,
                             "source": self.source})[1:]  # fmt: skip
        buf += b"\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "shipment_id": self.shipment_id, "date": self.date.isoformat(), "consignee": self.consignee,
            "consignee_key": self.consignee_key, "consignee_country": self.consignee_country,
            "destination_country": self.destination_country, "score": round(self.score, 3), "severity": self.severity,
            "alert": self.alert, "flags": [h.to_json() for h in self.flags], "items": self.items,
            "mitigations": self.mitigations, "notes": self.notes, "value_usd": self.value_usd, "accelerators": self.accelerators,
            "of_interest": self.of_interest, "source": self.source,
        }  # fmt: skip


# _ItemParts: (head, JSON) for a shipment of nothing of interest; else (head, JSON of the head up to
# "unit_value_usd":, unit value, tail, JSON of the tail): head and tail are cached per reading and
# per classification, shared by many shipments.
_LISTS = ("chips", "systems", "classes", "hs_codes")


def _item_dict(parts: tuple[Any, ...]) -> dict[str, Any]:
    if len(parts) == 2:
        return dict(parts[0])
    items = {**parts[0], "unit_value_usd": parts[2], **parts[3]}
    for key in _LISTS:
        items[key] = list(items[key])
    return items


@dataclass
class ScoringRun:
    as_of: date
    scores: list[ShipmentScore] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def alerts(self) -> list[ShipmentScore]:
        return [s for s in self.scores if s.alert]

    def by_id(self, shipment_id: str) -> ShipmentScore:
        return next(s for s in self.scores if s.shipment_id == shipment_id)


def dated_up_to(as_of: date) -> str:
    """The SQL condition of the shipments a run as of the day scores: dated on or before it."""
    end = datetime.combine(as_of + timedelta(days=1), dtime())
    return f"\"date\" < TIMESTAMP '{end.isoformat(sep=' ')}'"


class ShipmentScorer:
    """Everything one run needs, built once: data files, policy cache, party checks, shared contacts."""

    def __init__(self, ws: Workspace, screener: Screener | None, as_of: date, th: ShipmentThresholds | None = None,
                 listed_since: dict[str, date] | None = None):  # fmt: skip
        """`listed_since`: list entry id -> listing day for a screener built from files (default: the workspace's lists)."""
        self.ws, self.as_of = ws, as_of
        self.th = th or ShipmentThresholds()
        self.ref = reference()
        problems = check_flags(self.ref)
        if problems:
            raise ComputewatchError("\n".join(problems))
        ensure_shipments_table(ws.con)
        self.where = dated_up_to(as_of)
        self.checks = Checks(
            self.ref, self.th, PolicyView(self.th.concern_groups, self.th.concern_countries),
            PartyChecks(ws, screener, self.th.screening_threshold, self.th.max_shared_listed, listed_since),
            SharedContacts(ws.con, self.where, self.th.max_shared_listed, self.th.max_shared_contact_group),
        )
        # (reading, countries, policy epoch) -> (controlled items, classification, items tail, its JSON)
        self._classified: dict[tuple[Any, ...], tuple[list[tuple[str, str]], list[dict[str, Any]], dict[str, Any], bytes]] = {}
        self._readings: dict[ItemReading, tuple[dict[str, Any], bytes]] = {}  # -> items head of a reading, its JSON
        self._days: dict[int, date] = {}
        hm, idle = self.th.history_mitigation, idle_flags(self.checks)
        self._flags = [
            (flag_id, fn, spec.title, spec.weight, spec.weight * 1.0, spec.weight * (hm if spec.mitigable else 1.0), self.ref.source_text(flag_id))
            for flag_id, fn in FLAGS.items() if flag_id not in idle
            for spec in (self.ref.flags[flag_id],)
        ]  # fmt: skip
        self._scaled_note = f"no 3A090/4A090 item recognised: flags weigh x {self.th.uncontrolled_factor:g}"
        self._corroborating = frozenset(i for i, spec in self.ref.flags.items() if spec.corroborating)
        names = ", ".join(sorted(self._corroborating))
        self._alone_note = (f"only red flags on the declared price fired ({names}): they say what may be shipped, not where it "
                            "goes, and weigh only alongside a red flag on the route or the parties")  # fmt: skip
        self._alert_score, self._uncontrolled = self.th.alert_score, self.th.uncontrolled_factor

    def query(self) -> str:
        """Every row in scoring order (consignee key, date, shipment id): the consignee key, the COLUMNS but
        `date`, then the day as days since 0001-01-01 (an integer comes out of DuckDB and travels cheaply)."""
        cols = ", ".join(f'"{c}"' for c in COLUMNS if c != "date")
        return (f"SELECT {CONSIGNEE_KEY} AS ckey, {cols}, CAST(\"date\" AS DATE) - DATE '0001-01-01' AS day_number "
                f"FROM shipments WHERE {self.where} ORDER BY ckey, shipments.\"date\", shipment_id")  # fmt: skip

    def count(self) -> int:
        return int(self.ws.con.execute(f"SELECT count(*) FROM shipments WHERE {self.where}").fetchone()[0])  # type: ignore[index]

    def shipment(self, row: tuple[Any, ...]) -> Shipment:
        """A Shipment from a row of query() (its consignee key first)."""
        day = self._days.get(row[-1])
        if day is None:
            day = self._days[row[-1]] = date.fromordinal(row[-1] + _FIRST_DAY)
        return Shipment._make((row[1], day, *row[2:-1]))

    def rows(self) -> Iterator[tuple[str, Shipment]]:
        cur = self.ws.con.cursor()
        try:
            cur.execute(self.query())
            while batch := cur.fetchmany(FETCH):
                for row in batch:
                    yield row[0], self.shipment(row)
        finally:
            cur.close()

    def __iter__(self) -> Iterator[ShipmentScore]:
        history, current = History(), None
        for ckey, row in self.rows():
            if ckey != current:
                history, current = History(), ckey
            scored = self.score(ckey, row, history)
            yield scored
            if scored.of_interest:  # history: earlier shipments of advanced computing items
                history.add(row.date, row.value_usd)

    def score(self, ckey: str, row: Shipment, history: History) -> ShipmentScore:
        reading = recognise(row.description, row.hs_code or "")
        head = self._readings.get(reading)
        if head is None:
            head = self._readings[reading] = self._items_head(reading)
        if not reading.of_interest:
            return ShipmentScore(row.shipment_id, row.date, row.consignee, ckey, row.consignee_country, row.destination_country,
                                 0.0, False, [], head, [], row.where, row.value_usd, None, False)  # fmt: skip
        f = Facts(row, ckey, reading, history)
        day = row.date
        key = (reading, row.consignee_country, row.destination_country, row.end_user_country, epoch(day))
        known = self._classified.get(key)
        if known is None:
            policy = self.checks.policy
            f.controlled = [(i, e) for i in (*reading.systems, *reading.chips) if (e := policy.eccn(i, day))]
            known = self._classified[key] = self._classification(f)
        f.controlled, f.classification = known[0], known[1]
        unit = f.unit_value
        items = (head[0], head[1], None if unit is None else round(unit, 2), known[2], known[3])
        mitigations = []
        mitigation = consistent_history(f, self.th)
        if mitigation:
            mitigations.append(mitigation)
        if row.licence_number:
            mitigations.append(f"licence {row.licence_number} declared")
        scale = 1.0 if f.controlled else self._uncontrolled
        checks, hits = self.checks, []
        for flag_id, fn, title, weight, applied, mitigated, source in self._flags:
            evidence = fn(f, checks)
            if evidence:
                hits.append(FlagHit(flag_id, title, weight, mitigated if mitigation else applied, evidence, source))
                if flag_id in ALWAYS_FULL:
                    scale = 1.0
        corroborating = self._corroborating
        alone = False
        if hits:
            alone = True
            for hit in hits:
                if hit.id not in corroborating:
                    alone = False
                    break
        keep = 1.0
        for hit in hits:
            hit.applied *= 0.0 if alone else 1.0 if hit.id in ALWAYS_FULL else scale
            keep *= 1.0 - hit.applied
        if alone:
            mitigations.append(self._alone_note)
        if scale < 1.0 and hits and not alone:
            mitigations.append(self._scaled_note)
        score = 1.0 - keep
        return ShipmentScore(row.shipment_id, day, row.consignee, ckey, row.consignee_country, row.destination_country, score,
                             score >= self._alert_score, hits, items, mitigations, row.where, row.value_usd, f.accelerators,
                             True, f.notes)  # fmt: skip

    def prepare_workers(self) -> None:
        """Read from the graph, before forking, every party the flags will ask about, so that forked workers
        need no DuckDB: the consignee of every shipment of interest, and its end user when one is named.

        What is read is the party's whole record (PartyChecks.graph_record); each shipment's answer is that
        record as of the shipment's day, worked out in the worker."""
        parties = self.checks.parties
        if not parties.graph_available:
            return
        con = self.ws.con
        pairs = con.execute(f"SELECT DISTINCT description, coalesce(hs_code, '') FROM shipments WHERE {self.where}").fetchall()
        interesting = {(d, h) for d, h in pairs if recognise(d, h).of_interest}
        asked = con.execute(f"""
            SELECT DISTINCT coalesce(consignee_entity_id, '') AS eid, consignee AS name, consignee_country AS country,
                   description, coalesce(hs_code, '') AS hs
            FROM shipments WHERE {self.where}
            UNION
            SELECT DISTINCT '', end_user, coalesce(end_user_country, ''), description, coalesce(hs_code, '')
            FROM shipments WHERE {self.where} AND end_user IS NOT NULL AND end_user <> ''
        """).fetchall()  # fmt: skip
        for eid, name, country in sorted({(e, n, c) for e, n, c, d, h in asked if (d, h) in interesting}):
            parties.graph_record(eid, name, country)

    def _items_head(self, reading: ItemReading) -> tuple[dict[str, Any], bytes]:
        """The items of a reading up to unit_value_usd, and their JSON: whole when not of interest, else open."""
        described = reading.describe()
        if not reading.of_interest:
            return {"recognised": described}, orjson.dumps({"recognised": described})
        head = {"recognised": described, "chips": list(reading.chips), "systems": list(reading.systems),
                "classes": list(reading.classes), "hs_codes": list(reading.hs_codes), "per_unit": reading.per_unit}  # fmt: skip
        return head, orjson.dumps(head)[:-1] + b',"unit_value_usd":'

    def _classification(self, f: Facts) -> tuple[list[tuple[str, str]], list[dict[str, Any]], dict[str, Any], bytes]:
        r, policy = f.row, self.checks.policy
        countries = countries_of(r)
        classified = []
        for item, eccn in f.controlled:
            for country in countries:
                rules = policy.licence_rules(item, country, r.date)
                classified.append({"item": item, "eccn": eccn, "country": country, "licence_required": bool(rules), "rules": rules})
        band = item_band(f.reading)
        tail = {"market_band": band.text() if band else None, "classification": classified}
        return f.controlled, classified, tail, b"," + orjson.dumps(tail)[1:]


def score_shipments(
    ws: Workspace, screener: Screener | None, as_of: date | None = None, thresholds: ShipmentThresholds | None = None
) -> ScoringRun:
    """Score every shipment dated on or before as_of (default today); all scores in memory."""
    as_of = as_of or date.today()
    started = time.perf_counter()
    run = ScoringRun(as_of, list(ShipmentScorer(ws, screener, as_of, thresholds)))
    run.seconds = time.perf_counter() - started
    return run
