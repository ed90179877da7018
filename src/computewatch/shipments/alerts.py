"""The S7 alerts, in the CONTRACTS.md alert shape: one for a shipment, one for a consignee's roll-up.

Made where a shipment or a consignee is scored (batch.py, in the workers) and by the detector.
"""

from __future__ import annotations

from computewatch.alerts import Alert, Evidence
from computewatch.shipments.rollup import ConsigneeRollup
from computewatch.shipments.scoring import ShipmentScore, severity_of

DETECTOR = "shipment-diversion"
CONSIGNEE_DETECTOR = "shipment-diversion-consignee"


def shipment_alert(s: ShipmentScore, as_of: str) -> Alert:
    evidence = [Evidence(f"{h.title}: {text}", f"{h.source} | {s.source}") for h in s.flags for text in h.evidence]
    evidence += [Evidence(f"mitigating: {m}", s.source) for m in s.mitigations]
    evidence += [Evidence(f"not counted: {n}", s.source) for n in s.notes]
    names = ", ".join(h.id for h in s.flags)
    return Alert(
        detector=DETECTOR, scenario="S7", severity=severity_of(s.score), score=s.score,
        subjects=[s.shipment_id, s.consignee_key], as_of=as_of,
        summary=f"shipment {s.shipment_id} on {s.date} to {s.consignee} ({s.consignee_country}), destination "
                f"{s.destination_country}: diversion risk {s.score:.2f} ({len(s.flags)} red flags: {names})",
        evidence=evidence,
    )  # fmt: skip


def consignee_alert(c: ConsigneeRollup, as_of: str) -> Alert:
    evidence = [Evidence(f"{f['title']}: {f['count']} of {c.shipments} shipments ({', '.join(f['shipments'][:5])})", f["source"])
                for f in c.to_json()["flags"]]  # fmt: skip
    evidence.append(Evidence(f"{c.shipments} shipments from {c.first} to {c.last}, USD {c.value_usd:,.0f}, "
                             f"{c.accelerators} accelerators, to {', '.join(sorted(c.destinations))}", "shipments"))  # fmt: skip
    return Alert(
        detector=CONSIGNEE_DETECTOR, scenario="S7", severity=severity_of(c.score), score=c.score,
        subjects=[c.consignee_key], as_of=as_of,
        summary=f"consignee {c.consignee} ({c.country}): diversion risk {c.score:.2f} over {c.shipments} shipments "
                f"({c.alerts} above the alert threshold)",
        evidence=evidence,
    )  # fmt: skip
