"""S1: accounts serving end users where their controlled compute needs a licence."""

from __future__ import annotations

from ops_helpers import by_detector

from computewatch.alerts.model import Alert

DETECTOR = "ops-reseller"


def test_hub_account_with_end_users_in_china_running_a100_fires(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["acc-brightwater"]
    assert alert.scenario == "S1" and alert.severity == "high"
    assert "end users in CN" in alert.summary
    facts = " | ".join(e.fact for e in alert.evidence)
    assert "8 end users, 3 API keys" in facts and "in CN" in facts
    assert "A100 (3A090.a) to CN" in facts and "licence required" in facts
    sources = [e.source for e in alert.evidence]
    assert "accounts: accounts.csv line 2" in sources
    assert any(s.startswith("access: access.csv lines 2-25") for s in sources)
    assert any(s.startswith("usage: usage.csv lines 2-7") for s in sources)


def test_hub_holder_paying_from_china_fires(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["acc-lotus"]
    assert any("pays (billing country) from CN" in e.fact for e in alert.evidence)


def test_university_with_many_students_on_its_own_account_in_its_own_country_does_not_fire(ops_alerts: list[Alert]) -> None:
    assert "acc-seri-uni" not in by_detector(ops_alerts, DETECTOR)


def test_a_traveller_logging_in_twice_from_china_does_not_fire(ops_alerts: list[Alert]) -> None:
    assert "acc-fernhill" not in by_detector(ops_alerts, DETECTOR)


def test_end_users_in_china_on_uncontrolled_gpus_do_not_fire(ops_alerts: list[Alert]) -> None:
    assert "acc-pinecrest" not in by_detector(ops_alerts, DETECTOR)


def test_holder_in_its_own_country_of_concern_is_not_a_reseller(ops_alerts: list[Alert]) -> None:
    found = by_detector(ops_alerts, DETECTOR)
    assert not {"acc-hexa-a", "acc-hexa-b", "acc-qingshan"} & set(found)
