"""S2: API tokens resold to many end users in an unsupported region, far above declared use."""

from __future__ import annotations

from ops_helpers import alerts_for, by_detector

from computewatch.alerts.model import Alert
from computewatch.settings.detectors import DetectorSettings, TokenResaleThresholds

DETECTOR = "ops-token-resale"


def test_subscription_used_by_twelve_end_users_in_china_at_ten_times_declared_volume_fires(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["acc-summit"]
    assert alert.scenario == "S2" and alert.severity == "high"
    assert "12 end users in CN" in alert.summary
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "12 distinct end users" in facts and "40,000,032 of 40,000,032 tokens (100%)" in facts
    assert "the declared 2,000,000 tokens a month" in facts
    assert "median of 5 other subscriptions" in facts


def test_university_students_in_a_supported_country_do_not_fire(ops_alerts: list[Alert]) -> None:
    assert "acc-liongate-uni" not in by_detector(ops_alerts, DETECTOR)


def test_three_end_users_in_china_are_too_few(ops_alerts: list[Alert]) -> None:
    assert "acc-tamarind" not in by_detector(ops_alerts, DETECTOR)


def test_volume_within_declared_use_does_not_fire(ops_ws) -> None:  # type: ignore[no-untyped-def]
    # With a factor so high that 10x the declared use is not "far above", and no peers to compare with.
    settings = DetectorSettings(token_resale=TokenResaleThresholds(declared_factor=50, peer_factor=50))
    assert "acc-summit" not in by_detector(alerts_for(ops_ws, settings=settings), DETECTOR)
