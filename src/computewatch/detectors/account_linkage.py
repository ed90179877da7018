"""Accounts sharing payment fingerprints, phones, email domains, IPs or devices are one customer:
the other detectors already judge the customer as a whole; this one says which accounts were
joined, on what evidence, whenever the joined customer is the subject of another alert."""

from __future__ import annotations

from computewatch.alerts.model import Alert, DetectorMeta, Evidence, severity_rank
from computewatch.detectors.context import DetectionContext

METADATA = DetectorMeta(
    id="ops-account-linkage",
    title="Usage split across linked accounts of one customer",
    scenario="S1",
    severity="medium",
    references=(
        "BIS, Know Your Customer guidance and red flags (Supplement No. 3 to 15 CFR Part 732)",
        "U.S. Department of Commerce, Taking Additional Steps To Address the National Emergency With Respect to "
        "Significant Malicious Cyber-Enabled Activities (IaaS KYC proposed rule, 89 FR 5698, 2024-01-29)",
    ),
    thresholds="linkage",
    description="Runs after the other detectors; fires for a group of linked accounts when another alert concerns the group.",
)


def detect(ctx: DetectionContext) -> list[Alert]:
    alerts = []
    for customer, members in sorted(ctx.customers.groups.items()):
        if len(members) < 2:
            continue
        related = [a for a in ctx.alerts if a.detector != METADATA.id and set(a.subjects) & set(members)]
        if not related:
            continue
        evidence = [Evidence(f"account {a} held by {ctx.holder(a)}", "accounts") for a in members]
        for shared in ctx.customers.shared.get(customer, []):
            evidence.append(Evidence(f"{shared.kind.replace('_', ' ')} {shared.value} shared by {', '.join(shared.accounts)}", shared.source))
        for other in related:
            evidence.append(Evidence(f"the linked customer is the subject of {other.detector}: {other.summary}", f"alert {other.id}"))
        worst = max(related, key=lambda a: severity_rank(a.severity))
        alerts.append(Alert(
            detector=METADATA.id, scenario=worst.scenario, severity=worst.severity if severity_rank(worst.severity) < 3 else "high",
            score=min(1.0, 0.5 + 0.1 * len(ctx.customers.shared.get(customer, []))),
            subjects=list(members), as_of=ctx.as_of.isoformat(),
            summary=f"{len(members)} accounts ({', '.join(members)}) are one customer: "
                    + ", ".join(sorted({s.kind.replace('_', ' ') for s in ctx.customers.shared.get(customer, [])})) + " shared",
            evidence=evidence,
        ))  # fmt: skip
    return alerts
