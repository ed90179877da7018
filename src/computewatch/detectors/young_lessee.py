"""A lease of many GPU servers to an entity incorporated recently, or to a successor entity,
controlled from a country of concern (S5, S6)."""

from __future__ import annotations

from computewatch.alerts.evidence import row_source
from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.context import DetectionContext, day_of

METADATA = DetectorMeta(
    id="ops-young-lessee",
    title="Large GPU lease to a young or successor entity controlled from a country of concern",
    scenario="S5",
    severity="high",
    references=(
        "Wall Street Journal, 2025-06: 300 NVIDIA servers rented in Malaysia by a company re-registered from Singapore",
        "BIS, red flags: a customer with little or no business background (Supplement No. 3 to 15 CFR Part 732)",
        "15 CFR 744.23(a)(3): headquarters or ultimate parent in D:5 or Macau",
    ),
    thresholds="young_lessee",
    description="A lease of at least min_servers GPU servers with 3A090/4A090 accelerators, to a lessee incorporated at most "
    "young_days before signing, or to a successor entity, which the ownership graph shows is run from a country of concern.",
)


def detect(ctx: DetectionContext) -> list[Alert]:
    th = ctx.settings.young_lessee
    alerts = []
    for lease_id, lease in sorted(ctx.leases.items()):
        signed = day_of(lease["signed_at"])
        ended = lease.get("end") and lease["end"] < ctx.window_start
        if lease["servers"] < th.min_servers or ended:
            continue
        band = ctx.policy.band(lease["accelerator"], signed)
        if band is None:
            continue
        eid = ctx.parties.resolve(lease.get("lessee_entity_id"), lease["lessee_name"], lease["site_country"])
        party = ctx.parties.control(eid)
        if party is None or not party.of_concern:
            continue
        age = (signed - party.incorporated).days if party.incorporated else None
        young = age is not None and age <= th.young_days
        if not (young or party.successor_of):
            continue
        accelerators = lease["servers"] * lease["accelerators_per_server"]
        evidence = [Evidence(
            f"lease {lease_id}: {lease['servers']} servers x {lease['accelerators_per_server']} {lease['accelerator']} "
            f"({accelerators} accelerators, {band} on {signed}) at {lease.get('site') or 'a site'} in {lease['site_country']}, "
            f"signed {signed} by {lease['lessee_name']}", row_source("leases", [lease]))]  # fmt: skip
        if young:
            evidence.append(Evidence(f"{party.name} was incorporated on {party.incorporated}, {age} days before signing",
                                     "entities (ownership graph): incorporationDate"))  # fmt: skip
        evidence += [Evidence(text, "entities (ownership graph): ContractAward, Succession, shared links") for text in party.successor_of]
        evidence += [Evidence(reason, "entities (ownership graph)") for reason in party.reasons]
        what = " and ".join(x for x, on in (("young", young), ("successor", bool(party.successor_of))) if on)
        alerts.append(Alert(
            detector=METADATA.id, scenario=METADATA.scenario, severity=METADATA.severity,
            score=min(1.0, 0.6 + 0.1 * young + 0.1 * bool(party.successor_of) + 0.1 * (lease["servers"] >= 2 * th.min_servers)),
            subjects=[lease_id, party.entity_id], as_of=ctx.as_of.isoformat(),
            summary=f"lease of {lease['servers']} GPU servers ({accelerators} {lease['accelerator']}) to {party.name}, a {what} "
                    f"entity run from {', '.join(party.concern_countries)}",
            evidence=evidence,
        ))  # fmt: skip
    return alerts
