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
