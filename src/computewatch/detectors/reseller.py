"""S1: an account whose end users (sub-users, API keys, IPs) sit in a country where the compute it
runs needs a licence, while its holder is elsewhere; or a holder in a hub that pays from, or logs in
from, a country of concern."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from computewatch.alerts.evidence import row_source, span_source
from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.context import DetectionContext, day_of
from computewatch.detectors.linkage import CUSTOMERS_TABLE
from computewatch.detectors.steps import USAGE_BY_CUSTOMER
from computewatch.engine.sql import in_list, literal

METADATA = DetectorMeta(
    id="ops-reseller",
    title="Cloud account serving end users where its controlled compute needs a licence",
    scenario="S1",
    severity="high",
    references=(
        "Reuters, 2024-08-23: Chinese entities turn to Amazon cloud and its rivals to access high-end US chips, AI",
        "15 CFR 744.23 and ECCN 3A090 (Federal Register 88 FR 73458, 2023-10-25)",
        "BIS, Know Your Customer guidance and red flags (Supplement No. 3 to 15 CFR Part 732)",
    ),
    thresholds="reseller",
    description="Logins, API keys or sub-users of an account come from a country for which the accelerators it runs need a licence, "
    "and the holder is registered elsewhere; or a hub-registered holder pays from a country of concern.",
)


def _access(ctx: DetectionContext) -> list[dict[str, Any]]:
    return ctx.engine.query(
        f"""SELECT coalesce(c.customer_id, a.account_id) AS customer_id, a.country AS country,
            count(DISTINCT a.end_user_id) AS end_users, count(DISTINCT a.api_key_id) AS api_keys,
            count(DISTINCT a.ip) AS ips, count(*) AS events, min(a.ts) AS first_seen, max(a.ts) AS last_seen
        FROM ops_access a LEFT JOIN {CUSTOMERS_TABLE} c ON a.account_id = c.account_id
        WHERE a.ts >= {literal(ctx.window_start)} AND a.ts < {literal(ctx.window_end)}
        GROUP BY coalesce(c.customer_id, a.account_id), a.country
        ORDER BY customer_id, country"""
    )


def _access_spans(ctx: DetectionContext) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Where each customer's access events per country are: (customer, country) -> spans by file."""
    rows = ctx.engine.query(
        f"""SELECT coalesce(c.customer_id, a.account_id) AS customer_id, a.country AS country, a.src_file AS src_file,
            min(a.src_line) AS first_line, max(a.src_line) AS last_line, count(*) AS n_rows
        FROM ops_access a LEFT JOIN {CUSTOMERS_TABLE} c ON a.account_id = c.account_id
        WHERE a.ts >= {literal(ctx.window_start)} AND a.ts < {literal(ctx.window_end)} AND a.country IS NOT NULL
        GROUP BY coalesce(c.customer_id, a.account_id), a.country, a.src_file
        ORDER BY customer_id, country, src_file"""
    )
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[(row["customer_id"], row["country"])].append(row)
    return out


def _usage(ctx: DetectionContext, customers: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = ctx.engine.query(
        f"""SELECT customer_id, accelerator, first_start, last_end, gpu_hours, src_file, first_line, last_line, n_rows
        FROM {USAGE_BY_CUSTOMER} WHERE customer_id IN {in_list(customers)}
        ORDER BY customer_id, accelerator, first_start, src_file"""
    )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row["customer_id"]].append(row)
    return out


def _controlled(ctx: DetectionContext, usage: list[dict[str, Any]], country: str) -> dict[str, list[dict[str, Any]]]:
    """chip -> usage rows (monthly) for which the chip needs a licence to `country` at the usage date."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in usage:
        if ctx.policy.licence_required(row["accelerator"], country, day_of(row["first_start"])):
            out[row["accelerator"]].append(row)
    return out


def _usage_facts(ctx: DetectionContext, controlled: dict[str, list[dict[str, Any]]], country: str) -> list[Evidence]:
    facts = []
    for chip, rows in sorted(controlled.items()):
        first = min(day_of(r["first_start"]) for r in rows)
        last = max(day_of(r["last_end"]) for r in rows)
        hours = sum(r["gpu_hours"] for r in rows)
        facts.append(Evidence(f"ran {chip}: {hours:,.0f} GPU-hours from {first} to {last}", span_source("usage", rows)))
        facts.append(Evidence(ctx.policy.licence_text(chip, country, first), "policy rules (computewatch classify)"))
    return facts


def detect(ctx: DetectionContext) -> list[Alert]:
    th = ctx.settings.reseller
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _access(ctx):
        by_customer[row["customer_id"]].append(row)
    for account_id, account in ctx.accounts.items():
        if account.get("billing_country") and account["billing_country"] != account["country"]:
            by_customer.setdefault(ctx.customers.customer(account_id), [])
    candidates = sorted(c for c, rows in by_customer.items() if _candidate(ctx, c, rows, th))
    usage = _usage(ctx, candidates) if candidates else {}
    spans = _access_spans(ctx) if candidates else {}
    alerts = []
    for customer in candidates:
        rows = by_customer[customer]
        members = [ctx.accounts[a] for a in ctx.customers.members(customer) if a in ctx.accounts]
        if not members or not usage.get(customer):
            continue
        alert = _judge(ctx, customer, members, rows, usage[customer], th, spans)
        if alert:
            alerts.append(alert)
    return alerts


def _candidate(ctx: DetectionContext, customer: str, rows: list[dict[str, Any]], th: Any) -> bool:
    """Could the customer fire at all (before the policy is asked about its chips)?"""
    members = [ctx.accounts[a] for a in ctx.customers.members(customer) if a in ctx.accounts]
    if not members:
        return False
    holders = {m["country"] for m in members}
    total = sum(r["events"] for r in rows) or 1
    foreign = [r for r in rows if r["country"] and r["country"] not in holders and r["events"] / total >= th.min_foreign_share]
    if any(max(r["end_users"], r["api_keys"], r["ips"]) >= th.min_foreign_end_users for r in foreign):
        return True
    hub = [m for m in members if m["country"] in th.hub_countries]
    return any(
        (m.get("billing_country") and m["billing_country"] != m["country"] and ctx.policy.concern(m["billing_country"], ctx.as_of))
        or any(ctx.policy.concern(r["country"], ctx.as_of) for r in foreign)
        for m in hub
    )


def _judge(ctx: DetectionContext, customer: str, members: list[dict[str, Any]], rows: list[dict[str, Any]],
           usage: list[dict[str, Any]], th: Any, spans: dict[tuple[str, str], list[dict[str, Any]]]) -> Alert | None:  # fmt: skip
    holder_countries = {m["country"] for m in members}
    total = sum(r["events"] for r in rows) or 1
    evidence: list[Evidence] = []
    countries: list[str] = []
    score = 0.0
    for r in rows:
        cc = r["country"]
        parties = max(r["end_users"], r["api_keys"], r["ips"])
        share = r["events"] / total
        if not cc or cc in holder_countries or parties < th.min_foreign_end_users or share < th.min_foreign_share:
            continue
        controlled = _controlled(ctx, usage, cc)
        if not controlled:
            continue
        countries.append(cc)
        score = max(score, 0.6 + 0.3 * share)
        evidence.append(Evidence(
            f"{r['end_users']} end users, {r['api_keys']} API keys and {r['ips']} IP addresses in {cc} made {r['events']} of "
            f"{total} access events ({share:.0%}) from {day_of(r['first_seen'])} to {day_of(r['last_seen'])}",
            span_source("access", spans.get((customer, cc), []))))  # fmt: skip
        evidence += _usage_facts(ctx, controlled, cc)
    for m in members:
        hub = m["country"] in th.hub_countries
        paying = m.get("billing_country")
        concern_logins = [r["country"] for r in rows if r["country"] and r["country"] != m["country"]
                          and ctx.policy.concern(r["country"], ctx.as_of) and r["events"] / total >= th.min_foreign_share]  # fmt: skip
        for cc, how in [(paying, "pays (billing country)")] + [(c, "logs in") for c in concern_logins]:
            if not hub or not cc or cc == m["country"] or not ctx.policy.concern(cc, ctx.as_of) or cc in countries:
                continue
            controlled = _controlled(ctx, usage, cc)
            if not controlled:
                continue
            countries.append(cc)
            score = max(score, 0.7)
            evidence.append(Evidence(f"holder registered in {m['country']}, a transshipment hub, {how} from {cc}, a country of concern",
                                     row_source("accounts", [m])))  # fmt: skip
            evidence += _usage_facts(ctx, controlled, cc)
    if not countries:
        return None
    head = [Evidence(
        f"account {m['account_id']} held by {m['holder_name']} ({m['country']}), created {day_of(m['created_at'])}"
        + (", declared reseller" if m.get("declared_reseller") else ", not declared as a reseller")
        + (f", billing country {m['billing_country']}" if m.get("billing_country") else ""),
        row_source("accounts", [m])) for m in members]  # fmt: skip
    where = ", ".join(countries)
    return Alert(
        detector=METADATA.id, scenario=METADATA.scenario, severity=METADATA.severity, score=min(1.0, score),
        subjects=ctx.subjects(customer), as_of=ctx.as_of.isoformat(),
        summary=f"{ctx.describe_customer(customer)} appears to resell controlled compute to end users in {where} "
                f"(logins, API keys or payment from there); the declared holder is not the end user",
        evidence=head + evidence,
    )  # fmt: skip
