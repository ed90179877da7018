"""A training run by a party of concern: sustained high utilisation of a large cluster
(GPU-hours x dense peak x utilisation, in operations) by an account or lessee controlled from,
or headquartered in, a country of concern."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from computewatch.alerts.evidence import row_source, span_source
from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.context import DetectionContext, day_of
from computewatch.detectors.steps import USAGE_BY_CUSTOMER, peak_concurrency_sql

METADATA = DetectorMeta(
    id="ops-training-run",
    title="Large training run by a party controlled from, or headquartered in, a country of concern",
    scenario="S5",
    severity="high",
    references=(
        "15 CFR 744.23(a)(3): entities headquartered in, or whose ultimate parent is headquartered in, D:5 or Macau",
        "Executive Order 14110 (2023) reporting threshold of 1e26 operations, and 10^24-10^25 thresholds in later proposals",
        "Wall Street Journal, 2025-06: training on 300 rented NVIDIA servers in Malaysia",
    ),
    thresholds="training_run",
    description="Usage of one customer (linked accounts) or lease reaches the operations threshold on a cluster of at least "
    "min_cluster_accelerators in use at once (concurrent usage rows, per server or node, summed), at a sustained utilisation, and the party is of concern through the ownership graph.",
)
SEVERITY = ("medium", "high", "critical")


def _usage(ctx: DetectionContext) -> dict[str, list[dict[str, Any]]]:
    """The window's usage summed per customer, accelerator and file (from the monthly step)."""
    rows = ctx.engine.query(
        f"""SELECT customer_id, account_id, accelerator, sum(gpu_hours) AS gpu_hours, sum(busy_gpu_hours) AS busy_gpu_hours,
            sum(unmeasured_gpu_hours) AS unmeasured_gpu_hours, max(max_accelerators) AS max_accelerators,
            min(first_start) AS first_start, max(last_end) AS last_end, src_file,
            min(first_line) AS first_line, max(last_line) AS last_line, sum(n_rows) AS n_rows
        FROM {USAGE_BY_CUSTOMER}
        GROUP BY customer_id, account_id, accelerator, src_file
        ORDER BY customer_id, account_id, accelerator, src_file"""
    )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row["customer_id"]].append(row)
    return out


def _peaks(ctx: DetectionContext, customers: list[str]) -> dict[str, dict[str, Any]]:
    """Most accelerators in use at once per customer (concurrent rows summed), for these customers only:
    the sweep reads their raw usage rows, so it runs after the cheap totals have ruled the others out."""
    if not customers:
        return {}
    accounts = [a for c in customers for a in ctx.customers.members(c)]
    return {r["customer_id"]: r for r in ctx.engine.query(peak_concurrency_sql(ctx, accounts))}


def _parties(ctx: DetectionContext, customer: str) -> tuple[list[str], list[Evidence], list[str]]:
    """(countries of concern, evidence, extra subjects) for the accounts or lease behind the customer."""
    countries: list[str] = []
    evidence: list[Evidence] = []
    extra: list[str] = []
    for member in ctx.customers.members(customer):
        lease, account = ctx.leases.get(member), ctx.accounts.get(member)
        if lease:
            eid = ctx.parties.resolve(lease.get("lessee_entity_id"), lease["lessee_name"])
            party, source = ctx.parties.control(eid), row_source("leases", [lease])
            fallback = None
        elif account:
            eid = ctx.parties.resolve(account.get("holder_entity_id"), None)
            party, source = ctx.parties.control(eid), row_source("accounts", [account])
            fallback = account["country"]
        else:
            continue
        if party and party.of_concern:
            countries += party.concern_countries
            evidence += [Evidence(reason, f"entities (ownership graph); {source}") for reason in party.reasons]
            extra.append(party.entity_id)
        elif party is None and fallback and ctx.policy.concern(fallback, ctx.as_of):
            countries.append(fallback)
            evidence.append(Evidence(f"account holder {account['holder_name']} is registered in {fallback}", source))  # type: ignore[index]
    return list(dict.fromkeys(countries)), evidence, extra


def detect(ctx: DetectionContext) -> list[Alert]:
    th = ctx.settings.training_run
    runs = []
    for customer, rows in sorted(_usage(ctx).items()):
        hours = sum(r["gpu_hours"] for r in rows)
        if not hours:
            continue
        util = sum(r["busy_gpu_hours"] for r in rows) / hours
        first, last = min(r["first_start"] for r in rows), max(r["last_end"] for r in rows)
        days = (last - first).total_seconds() / 86400
        if util < th.min_utilisation or days < th.min_days:
            continue
        by_chip: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_chip[r["accelerator"]].append(r)
        computes = {chip: ctx.policy.compute(chip, sum(r["gpu_hours"] for r in rs), sum(r["busy_gpu_hours"] for r in rs) / sum(r["gpu_hours"] for r in rs))
                    for chip, rs in sorted(by_chip.items()) if sum(r["gpu_hours"] for r in rs)}  # fmt: skip
        ops = sum(c.operations for c in computes.values())
        if ops >= th.operations[0]:
            runs.append((customer, rows, util, first, last, days, by_chip, computes, ops))
    peaks = _peaks(ctx, [run[0] for run in runs])
    alerts = []
    for customer, rows, util, first, last, days, by_chip, computes, ops in runs:
        peak = peaks.get(customer)
        if peak is None or peak["peak"] < th.min_cluster_accelerators:
            continue
        countries, party_evidence, extra = _parties(ctx, customer)
        if not countries:
            continue
        level = sum(1 for t in th.operations if ops >= t) - 1
        evidence = [Evidence(
            f"{c.explain()} ({c.gpu_hours / max(1.0, days * 24):,.0f} accelerators busy on average)",
            span_source("usage", by_chip[chip])) for chip, c in computes.items()]  # fmt: skip
        evidence.append(Evidence(
            f"total {ops:.3g} operations from {day_of(first)} to {day_of(last)} ({days:.0f} days), mean utilisation {util:.0%}, "
            "thresholds " + ", ".join(f"{t:.0e}" for t in th.operations), span_source("usage", rows)))  # fmt: skip
        evidence.append(Evidence(_cluster_text(peak, th.min_cluster_accelerators), span_source("usage", rows)))
        unmeasured = sum(r["unmeasured_gpu_hours"] for r in rows)
        if unmeasured:
            evidence.append(Evidence(f"{unmeasured:,.0f} GPU-hours had no utilisation figure; counted at {th.assumed_utilisation:.0%}", "usage"))
        evidence += _split_evidence(ctx, customer, rows, th.operations[0])
        evidence += party_evidence
        alerts.append(Alert(
            detector=METADATA.id, scenario=METADATA.scenario, severity=SEVERITY[min(level, 2)],
            score=min(1.0, 0.6 + 0.1 * level + 0.1 * min(1.0, util)),
            subjects=list(dict.fromkeys(ctx.subjects(customer) + extra)), as_of=ctx.as_of.isoformat(),
            summary=f"training run of {ops:.2g} operations by {ctx.describe_customer(customer)}, run from {', '.join(countries)}",
            evidence=evidence,
        ))  # fmt: skip
    return alerts


def _cluster_text(peak: dict[str, Any], minimum: int) -> str:
    rows = int(peak["rows_at_peak"])
    parts = f" (the sum of {rows} concurrent usage rows: per server, node or job)" if rows > 1 else " (in one usage row)"
    return (f"cluster: {int(peak['peak']):,} accelerators in use at once from {peak['peak_at']:%Y-%m-%d %H:%M}{parts}; "
            f"a large cluster is {minimum:,} or more")


def _split_evidence(ctx: DetectionContext, customer: str, rows: list[dict[str, Any]], threshold: float) -> list[Evidence]:
    members = ctx.customers.members(customer)
    if len(members) < 2:
        return []
    per: dict[str, float] = defaultdict(float)
    for r in rows:
        util = r["busy_gpu_hours"] / r["gpu_hours"] if r["gpu_hours"] else 0.0
        per[r["account_id"]] += ctx.policy.compute(r["accelerator"], r["gpu_hours"], util).operations
    parts = ", ".join(f"{a}: {per.get(a, 0.0):.2g}" for a in members)
    below = all(v < threshold for v in per.values())
    return [Evidence(
        f"usage is split across linked accounts ({parts} operations)"
        + (f"; no single account reaches {threshold:.0e}" if below else ""),
        "usage; accounts (linked, see ops-account-linkage)")]  # fmt: skip
