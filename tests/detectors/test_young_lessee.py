"""A large GPU lease to a young, or successor, entity run from a country of concern."""

from __future__ import annotations

from ops_helpers import by_detector

from computewatch.alerts.model import Alert

DETECTOR = "ops-young-lessee"


def test_lease_of_300_servers_to_a_company_incorporated_weeks_before_fires(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["lease-kirana-300"]
    assert alert.subjects == ["lease-kirana-300", "ent-kirana"]
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "incorporated on 2026-02-20, 40 days before signing" in facts
    assert "Beijing Yunhe Intelligence Technology Co., Ltd. (CN)" in facts
    assert alert.evidence[0].source == "leases: leases.csv line 2"


def test_lease_to_a_successor_of_a_china_owned_company_fires(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["lease-orchid-120"]
    assert "successor" in alert.summary
    assert any("took over Lease of 120 GPU servers" in e.fact for e in alert.evidence)


def test_a_normal_lease_to_an_old_well_known_local_company_does_not_fire(ops_alerts: list[Alert]) -> None:
    assert "lease-perak-200" not in by_detector(ops_alerts, DETECTOR)


def test_a_young_locally_owned_company_does_not_fire(ops_alerts: list[Alert]) -> None:
    assert "lease-kinta-150" not in by_detector(ops_alerts, DETECTOR)
