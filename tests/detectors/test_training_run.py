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


# ---- usage as a data centre writes it: per server or node, and windows that cut rows -------------


def test_a_run_written_one_row_per_server_per_day_is_one_cluster(s5_ws) -> None:  # type: ignore[no-untyped-def]
    alert = by_detector(alerts_for(s5_ws), DETECTOR)["lease-rimba-300"]
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "2,400 accelerators in use at once" in facts  # 300 rows of 8, not 8, and not 4,800 (day rows meet end to start)
    assert "300 concurrent usage rows" in facts
    assert "ent-rimba" in alert.subjects and "Shenzhen Lanqiao" in facts


def test_many_servers_one_after_another_or_a_small_cluster_is_not_a_large_cluster(s5_ws) -> None:  # type: ignore[no-untyped-def]
    found = by_detector(alerts_for(s5_ws), DETECTOR)
    assert "lease-cempaka-25" not in found  # 5.6e24 operations, but never more than 200 accelerators at once
    assert by_detector(alerts_for(s5_ws, settings=DetectorSettings(training_run=TrainingRunThresholds(min_cluster_accelerators=200))),
                       DETECTOR)["lease-cempaka-25"]  # fmt: skip


def test_usage_that_began_before_the_window_counts_for_its_part_inside(s5_ws) -> None:  # type: ignore[no-untyped-def]
    month = DetectorSettings(window_days=30)  # 2026-10-02 to 2026-11-01; the Batu rows run 2026-08-01 to 2026-12-31
    alert = by_detector(alerts_for(s5_ws, settings=month), DETECTOR)["lease-batu-300"]
    assert any("1,785,600 GPU-hours" in e.fact for e in alert.evidence)  # 2,400 x 31 days x 24 h


def test_usage_running_past_the_as_of_day_counts_only_up_to_it(s5_ws) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    assert "lease-batu-300" not in by_detector(alerts_for(s5_ws, date(2026, 8, 3)), DETECTOR)  # 3 days in, not 152
    alert = by_detector(alerts_for(s5_ws, date(2026, 8, 20)), DETECTOR)["lease-batu-300"]
    assert any("1,152,000 GPU-hours" in e.fact for e in alert.evidence)  # 2,400 x 20 days x 24 h
