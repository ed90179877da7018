"""S5: tens of drives or petabytes carried in by hand for a lessee, especially soon after its lease
starts, far beyond what reached it over the network."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from computewatch.alerts.evidence import human_bytes, span_source
from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.context import DetectionContext, day_of
from computewatch.detectors.steps import USAGE_MONTHLY
from computewatch.engine.sql import in_list, literal

METADATA = DetectorMeta(
    id="ops-bulk-import",
    title="Bulk physical data import for a lessee of GPU servers",
    scenario="S5",
    severity="high",
    references=(
        "Wall Street Journal, 2025-06: Chinese engineers flew 4.8 PB of data on hard drives to Malaysia to train on rented servers",
        "BIS, Know Your Customer guidance and red flags (Supplement No. 3 to 15 CFR Part 732)",
    ),
    thresholds="bulk_import",
    description="Media-ingest records for one lessee within the window reach the device or byte threshold; deliveries soon "
    "after the lease starts, carriers from a country of concern and little network ingress raise the score.",
)


# A delivery that names no lease and no lessee belongs to nobody we know: it is grouped only with the
# same carrier's other unattributed deliveries in the same country (or stands alone when no carrier is
# recorded), never with every other unattributed delivery under an empty name.
_UNATTRIBUTED = """CASE WHEN nullif(trim(coalesce(lease_id, '')), '') IS NULL AND nullif(trim(coalesce(lessee_name, '')), '') IS NULL
    THEN coalesce(nullif(trim(carried_by), ''), concat('line ', CAST(src_line AS VARCHAR))) ELSE '' END"""


def _deliveries(ctx: DetectionContext) -> list[dict[str, Any]]:
    return ctx.engine.query(
        f"""SELECT coalesce(lease_id, '') AS lease_id, lower(trim(coalesce(lessee_name, ''))) AS lessee_key,
            max(lessee_name) AS lessee_name, site_country, coalesce(carrier_nationality, '') AS nationality,
            {_UNATTRIBUTED} AS unattributed,
            sum(devices) AS devices, sum(bytes) AS bytes, count(DISTINCT carried_by) AS carriers,
            min(ts) AS first_ts, max(ts) AS last_ts, src_file, min(src_line) AS first_line, max(src_line) AS last_line,
            count(*) AS n_rows
        FROM ops_media WHERE ts >= {literal(ctx.window_start)} AND ts < {literal(ctx.window_end)}
        GROUP BY coalesce(lease_id, ''), lower(trim(coalesce(lessee_name, ''))), site_country,
            coalesce(carrier_nationality, ''), {_UNATTRIBUTED}, src_file
        ORDER BY lease_id, lessee_key, site_country, nationality, unattributed, src_file"""
    )


def _group_key(ctx: DetectionContext, row: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The lease a delivery is for (by id, else by the lessee's name), else the lessee's name, else
    'unattributed-media:COUNTRY:CARRIER' for a delivery nobody claims."""
    lease = _lease_for(ctx, row["lease_id"], row["lessee_key"])
    if lease:
        return lease["lease_id"], lease
    if row["lease_id"] or row["lessee_key"]:
        return row["lease_id"] or row["lessee_key"], None
    return f"unattributed-media:{row['site_country']}:{row['unattributed']}", None


def _lease_for(ctx: DetectionContext, lease_id: str, lessee_key: str) -> dict[str, Any] | None:
    if lease_id and lease_id in ctx.leases:
        return ctx.leases[lease_id]
    named = [lease for lease in ctx.leases.values() if lessee_key and lease["lessee_name"].strip().lower() == lessee_key]
    return max(named, key=lambda lease: lease["start"]) if named else None


def _network_ingress(ctx: DetectionContext, lease: dict[str, Any] | None, lessee: str, names: dict[str, set[str]]) -> float:
    """bytes_in of the lease's own usage (account_id = lease_id) and of accounts held by the lessee."""
    accounts = set(names.get(lessee.strip().lower(), set()))
    if lease:
        accounts.add(lease["lease_id"])
        if lease.get("lessee_entity_id"):
            accounts |= names.get(f"entity:{lease['lessee_entity_id']}", set())
    rows = ctx.engine.query(f"SELECT sum(bytes_in) AS bytes_in FROM {USAGE_MONTHLY} WHERE account_id IN {in_list(sorted(accounts))}")
    return float(rows[0]["bytes_in"] or 0) if rows else 0.0


def _holders(ctx: DetectionContext) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for account_id, row in ctx.accounts.items():
        names[row["holder_name"].strip().lower()].add(account_id)
        if row.get("holder_entity_id"):
            names[f"entity:{row['holder_entity_id']}"].add(account_id)
    return names


def detect(ctx: DetectionContext) -> list[Alert]:
    th = ctx.settings.bulk_import
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    leases: dict[str, dict[str, Any] | None] = {}
    for row in _deliveries(ctx):
        key, lease = _group_key(ctx, row)
        groups[key].append(row)
        leases[key] = lease
    alerts = []
    names = _holders(ctx)
    for key, rows in sorted(groups.items()):
        devices, volume = sum(r["devices"] for r in rows), sum(r["bytes"] for r in rows)
        if devices < th.min_devices and volume < th.min_bytes:
            continue
        alerts.append(_alert(ctx, key, leases[key], rows, devices, volume, names))
    return alerts


def _alert(ctx: DetectionContext, key: str, lease: dict[str, Any] | None, rows: list[dict[str, Any]],
           devices: int, volume: float, names: dict[str, set[str]]) -> Alert:  # fmt: skip
    th = ctx.settings.bulk_import
    unattributed = key.startswith("unattributed-media:")
    lessee = lease["lessee_name"] if lease else next((r["lessee_name"] for r in rows if r["lessee_name"]), key)
    whom = f"for {lessee}"
    if unattributed:
        carrier = rows[0]["unattributed"]
        by = f"the delivery of {rows[0]['src_file']} {carrier}" if carrier.startswith("line ") else f"by {carrier}"
        whom = f"{by}, with no lease or lessee recorded,"
    first, last = min(day_of(r["first_ts"]) for r in rows), max(day_of(r["last_ts"]) for r in rows)
    sites = sorted({r["site_country"] for r in rows})
    evidence = [Evidence(
        f"{devices} devices, {human_bytes(volume)}, carried in {whom} at sites in {', '.join(sites)} "
        f"in {sum(r['n_rows'] for r in rows)} deliveries from {first} to {last}", span_source("media", rows))]  # fmt: skip
    score, reasons = 0.5, []
    by_nat: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_nat[r["nationality"]].append(r)
    for nat, nat_rows in sorted(by_nat.items()):
        carriers = sum(r["carriers"] for r in nat_rows)
        concern = bool(nat) and ctx.policy.concern(nat, ctx.as_of)
        evidence.append(Evidence(
            f"{carriers} carrier(s) of nationality {nat or 'not recorded'} brought {sum(r['devices'] for r in nat_rows)} devices"
            + (" (a country of concern)" if concern else ""), span_source("media", nat_rows)))  # fmt: skip
        if concern and "carriers" not in reasons:
            score += 0.15
            reasons.append("carriers")
    if lease:
        after = (first - day_of(lease["start"])).days
        lease_text = (f"lease {lease['lease_id']}: {lease['servers']} servers x {lease['accelerators_per_server']} "
                      f"{lease['accelerator']}, signed {day_of(lease['signed_at'])}, starting {day_of(lease['start'])}")  # fmt: skip
        if 0 <= after <= th.soon_after_lease_days:
            lease_text += f"; the first delivery came {after} days after the lease started"
            score += 0.15
            reasons.append("soon")
        evidence.append(Evidence(lease_text, f"leases: {lease['src_file']} line {lease['src_line']}"))
    ingress = 0.0 if unattributed else _network_ingress(ctx, lease, lessee, names)
    if not unattributed and volume > ingress * th.network_ratio:
        score += 0.15
        evidence.append(Evidence(
            f"network ingress for the lessee in the window: {human_bytes(ingress)}, against {human_bytes(volume)} arriving by hand",
            "usage (bytes_in of the lessee's accounts and lease)"))  # fmt: skip
    return Alert(
        detector=METADATA.id, scenario=METADATA.scenario, severity="high" if reasons else "medium",
        score=min(1.0, score), subjects=[key] + ([lease["lessee_entity_id"]] if lease and lease.get("lessee_entity_id") else []),
        as_of=ctx.as_of.isoformat(),
        summary=f"bulk physical data import: {devices} devices ({human_bytes(volume)}) carried in {whom} "
                f"from {first} to {last}" + (", soon after its lease started" if "soon" in reasons else ""),
        evidence=evidence,
    )  # fmt: skip
