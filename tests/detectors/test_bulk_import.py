"""S5: tens of drives carried in by hand for a lessee soon after its lease starts."""

from __future__ import annotations

from datetime import date

from ops_helpers import alerts_for, by_detector

from computewatch.alerts.model import Alert

DETECTOR = "ops-bulk-import"


def test_sixty_drives_of_four_point_eight_petabytes_soon_after_the_lease_fire(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["lease-kirana-300"]
    assert alert.scenario == "S5" and alert.severity == "high"
    assert "60 devices (4.8 PB)" in alert.summary and "soon after its lease started" in alert.summary
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "4 carrier(s) of nationality CN brought 60 devices (a country of concern)" in facts
    assert "the first delivery came 11 days after the lease started" in facts
    assert "network ingress for the lessee in the window: 1 TB, against 4.8 PB arriving by hand" in facts
    assert any(e.source == "media: media.csv lines 2-5 (4 rows)" for e in alert.evidence)
    assert "ent-kirana" in alert.subjects


def test_a_delivery_of_four_drives_does_not_fire(ops_alerts: list[Alert]) -> None:
    found = by_detector(ops_alerts, DETECTOR)
    assert "lease-perak-200" not in found and "lease-kinta-150" not in found


def test_deliveries_after_the_as_of_date_are_not_seen(ops_ws) -> None:  # type: ignore[no-untyped-def]
    assert "lease-kirana-300" not in by_detector(alerts_for(ops_ws, as_of=date(2026, 5, 11)), DETECTOR)
    assert "lease-kirana-300" in by_detector(alerts_for(ops_ws, as_of=date(2026, 5, 12)), DETECTOR)


# ---- media that no lease and no lessee claims -----------------------------------------------------


def test_unrelated_unattributed_deliveries_are_not_added_up_under_nobody(s5_ws) -> None:  # type: ignore[no-untyped-def]
    alerts = [a for a in alerts_for(s5_ws) if a.detector == DETECTOR]
    assert all(a.subjects and a.subjects[0] for a in alerts)
    assert not any("carried in for  " in a.summary or a.summary.rstrip().endswith("for") for a in alerts)
    # five deliveries of 5 drives at sites in MY, SG, TH, ID and VN by five different people: 25 drives, but no finding
    assert not any(sites in " ".join(e.fact for e in a.evidence) for a in alerts for sites in ("ID, MY", "SG, TH"))


def test_one_courier_bringing_thirty_drives_that_no_lease_claims_is_a_finding(s5_ws) -> None:  # type: ignore[no-untyped-def]
    alerts = [a for a in alerts_for(s5_ws) if a.detector == DETECTOR]
    assert len(alerts) == 1
    alert = alerts[0]
    assert "30 devices (2.4 PB)" in alert.summary and "no lease or lessee recorded" in alert.summary
    assert "Gao Peng" in alert.summary and alert.subjects[0].startswith("unattributed-media:")
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "1 carrier(s) of nationality CN brought 30 devices (a country of concern)" in facts
