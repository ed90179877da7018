"""A training run (GPU-hours x dense peak x utilisation) by a party run from a country of concern."""

from __future__ import annotations

from ops_helpers import alerts_for, by_detector

from computewatch.alerts.model import Alert
from computewatch.settings.detectors import DetectorSettings, TrainingRunThresholds

DETECTOR = "ops-training-run"


def test_lessee_owned_from_china_training_on_2400_h100_fires_with_the_formula(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["lease-kirana-300"]
    assert alert.severity == "high"  # 1.9e25: above 1e25, below 1e26
    facts = [e.fact for e in alert.evidence]
    assert any("5,760,000 GPU-hours x 9.9e+14 ops/s dense fp16 peak (H100-SXM) x 92% utilisation = 1.89e+25 operations" in f for f in facts)
    assert any("<- 100% Beijing Yunhe Intelligence Technology Co., Ltd. (CN)" in f for f in facts)
    assert "ent-kirana" in alert.subjects


def test_usage_split_across_two_linked_accounts_is_added_up(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["acc-hexa-a"]
    assert alert.subjects[:2] == ["acc-hexa-a", "acc-hexa-b"]
    assert alert.severity == "medium"
    assert any("no single account reaches 1e+24" in e.fact for e in alert.evidence)


def test_each_half_alone_would_not_fire(ops_ws) -> None:  # type: ignore[no-untyped-def]
    from computewatch.settings.detectors import LinkageThresholds

    unlinked = DetectorSettings(linkage=LinkageThresholds(weights={"payment_fingerprint": 0.0}))
    assert "acc-hexa-a" not in by_detector(alerts_for(ops_ws, settings=unlinked), DETECTOR)


def test_a_university_training_at_home_does_not_fire(ops_alerts: list[Alert]) -> None:
    found = by_detector(ops_alerts, DETECTOR)
    assert "acc-seri-uni" not in found and "lease-perak-200" not in found


def test_a_small_cluster_does_not_fire(ops_alerts: list[Alert]) -> None:
    assert "acc-qingshan" not in by_detector(ops_alerts, DETECTOR)


def test_thresholds_come_from_settings(ops_ws) -> None:  # type: ignore[no-untyped-def]
    strict = DetectorSettings(training_run=TrainingRunThresholds(operations=[1e26, 1e27, 1e28]))
    assert not by_detector(alerts_for(ops_ws, settings=strict), DETECTOR)
    loose = DetectorSettings(training_run=TrainingRunThresholds(operations=[1e23, 1e24, 1e25]))
    assert by_detector(alerts_for(ops_ws, settings=loose), DETECTOR)["lease-kirana-300"].severity == "critical"
