"""S2: one subscription's API keys used by many distinct end users from a region the model service
is not offered in (or a country of concern), with volume far above the holder's declared use or its peers."""

from __future__ import annotations

from statistics import median
from typing import Any

from computewatch.alerts.evidence import row_source
from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.context import DetectionContext, day_of
from computewatch.detectors.linkage import CUSTOMERS_TABLE
from computewatch.engine.sql import in_list, literal

METADATA = DetectorMeta(
    id="ops-token-resale",
    title="Model-service tokens resold to end users in an unsupported or restricted region",
    scenario="S2",
    severity="high",
    references=(
        "Reuters, 2024-08-23: a university bought Azure OpenAI tokens through a local technology company",
        "OpenAI, Supported countries and territories (platform.openai.com/docs/supported-countries)",
        "BIS, Know Your Customer guidance and red flags (Supplement No. 3 to 15 CFR Part 732)",
    ),
    thresholds="token_resale",
    description="API keys of one subscription are used by many distinct end users from unsupported regions, "
    "with token volume far above the declared use or the median of the service's other subscriptions.",
)
DAYS_PER_MONTH = 30.44


def _unsupported(ctx: DetectionContext, window: str) -> list[str]:
    seen = ctx.engine.query(f"SELECT DISTINCT country FROM ops_access WHERE country IS NOT NULL AND {window} ORDER BY country")
    listed = set(ctx.settings.token_resale.unsupported_countries)
    return [r["country"] for r in seen if r["country"] in listed or ctx.policy.concern(r["country"], ctx.as_of)]


def _subscriptions(ctx: DetectionContext, window: str, regions: list[str]) -> list[dict[str, Any]]:
    inside = f"a.country IN {in_list(regions)}"
    return ctx.engine.query(
        f"""SELECT coalesce(c.customer_id, a.account_id) AS customer_id, coalesce(a.service, '') AS service,
            sum(a.tokens) AS tokens, sum(CASE WHEN {inside} THEN a.tokens ELSE 0 END) AS region_tokens,
            count(DISTINCT CASE WHEN {inside} THEN coalesce(a.end_user_id, a.ip) END) AS region_users,
            count(DISTINCT coalesce(a.end_user_id, a.ip)) AS users, count(DISTINCT a.api_key_id) AS api_keys,
            min(a.ts) AS first_seen, max(a.ts) AS last_seen
        FROM ops_access a LEFT JOIN {CUSTOMERS_TABLE} c ON a.account_id = c.account_id
        WHERE a.tokens IS NOT NULL AND {window}
        GROUP BY coalesce(c.customer_id, a.account_id), coalesce(a.service, '')
        ORDER BY customer_id, service"""
    )


def _monthly(row: dict[str, Any]) -> float:
    days = (row["last_seen"] - row["first_seen"]).total_seconds() / 86400
    return float(row["tokens"]) / max(1.0, days / DAYS_PER_MONTH)


def detect(ctx: DetectionContext) -> list[Alert]:
    th = ctx.settings.token_resale
    window = f"ts >= {literal(ctx.window_start)} AND ts < {literal(ctx.window_end)}"
    regions = _unsupported(ctx, window)
    if not regions:
        return []
    subs = _subscriptions(ctx, window, regions)
    by_service: dict[str, list[tuple[str, float]]] = {}
    for p in subs:
        if p["tokens"]:
            by_service.setdefault(p["service"], []).append((p["customer_id"], _monthly(p)))
    alerts = []
    for row in subs:
        share = row["region_tokens"] / row["tokens"] if row["tokens"] else 0.0
        if row["region_users"] < th.min_end_users or share < th.min_region_share:
            continue
        rate = _monthly(row)
        members = ctx.customers.members(row["customer_id"])
        declared = sum(float(ctx.accounts[a].get("declared_monthly_tokens") or 0) for a in members if a in ctx.accounts)
        peers = [rate_ for cust, rate_ in by_service.get(row["service"], []) if cust != row["customer_id"]]
        peer_median = median(peers) if len(peers) >= th.min_peers else None
        volume: list[str] = []
        if declared and rate > declared * th.declared_factor:
            volume.append(f"{rate / declared:.1f}x the declared {declared:,.0f} tokens a month")
        if peer_median and rate > peer_median * th.peer_factor:
            volume.append(f"{rate / peer_median:.1f}x the median of {len(peers)} other subscriptions of the service ({peer_median:,.0f} a month)")
        baseline = bool(declared) or peer_median is not None
        if baseline and not volume:
            continue
        alerts.append(_alert(ctx, row, regions, share, rate, volume, baseline))
    return alerts


def _alert(ctx: DetectionContext, row: dict[str, Any], regions: list[str], share: float, rate: float,
           volume: list[str], baseline: bool) -> Alert:  # fmt: skip
    customer, service = row["customer_id"], row["service"]
    members = ctx.customers.members(customer)
    geo = ctx.engine.query(
        f"""SELECT country, sum(tokens) AS tokens, count(DISTINCT coalesce(end_user_id, ip)) AS users
        FROM ops_access WHERE account_id IN {in_list(members)} AND coalesce(service, '') = {literal(service)}
        AND tokens IS NOT NULL AND country IN {in_list(regions)}
        AND ts >= {literal(ctx.window_start)} AND ts < {literal(ctx.window_end)}
        GROUP BY country ORDER BY tokens DESC, country"""
    )
    lines = ctx.engine.query(
        f"""SELECT src_file, src_line FROM ops_access WHERE account_id IN {in_list(members)}
        AND coalesce(service, '') = {literal(service)} AND country IN {in_list(regions)} AND tokens IS NOT NULL
        AND ts >= {literal(ctx.window_start)} AND ts < {literal(ctx.window_end)} ORDER BY src_file, src_line LIMIT 500"""
    )
    where = ", ".join(f"{g['country']} ({g['users']} end users, {g['tokens']:,.0f} tokens)" for g in geo)
    evidence = [Evidence(f"account {a} held by {ctx.holder(a)}", row_source("accounts", [ctx.accounts[a]])) for a in members if a in ctx.accounts]
    evidence.append(Evidence(
        f"service {service or '(unnamed)'}: {row['region_users']} distinct end users from unsupported or restricted regions used "
        f"{row['region_tokens']:,.0f} of {row['tokens']:,.0f} tokens ({share:.0%}) through {row['api_keys']} API keys, "
        f"{day_of(row['first_seen'])} to {day_of(row['last_seen'])}: {where}", row_source("access", lines)))  # fmt: skip
    if volume:
        evidence.append(Evidence(f"volume {rate:,.0f} tokens a month: " + "; ".join(volume), "access (token counts); accounts (declared_monthly_tokens)"))
    else:
        evidence.append(Evidence("no declared use and too few peers to compare the volume with", "accounts; access"))
    score = min(1.0, 0.55 + 0.25 * share + (0.2 if volume else 0.0))
    return Alert(
        detector=METADATA.id, scenario=METADATA.scenario, severity="high" if volume else "medium", score=score,
        subjects=ctx.subjects(customer), as_of=ctx.as_of.isoformat(),
        summary=f"token resale: {ctx.describe_customer(customer)} serves {row['region_users']} end users in "
                f"{', '.join(g['country'] for g in geo)} where {service or 'the service'} is not offered"
                + (f"; volume {volume[0]}" if volume else ""),
        evidence=evidence,
    )  # fmt: skip
