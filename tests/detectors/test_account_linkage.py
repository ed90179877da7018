"""Accounts sharing payment, phones, domains, IPs or devices are one customer."""

from __future__ import annotations

from ops_helpers import by_detector

from computewatch.alerts.model import Alert

DETECTOR = "ops-account-linkage"


def test_accounts_sharing_a_payment_fingerprint_are_one_customer(ops_alerts: list[Alert]) -> None:
    alert = by_detector(ops_alerts, DETECTOR)["acc-hexa-a"]
    assert alert.subjects == ["acc-hexa-a", "acc-hexa-b"]
    assert any(e.fact == "payment fingerprint pf-7781 shared by acc-hexa-a, acc-hexa-b" and e.source == "accounts: accounts.csv lines 13-14"
               for e in alert.evidence)  # fmt: skip


def test_a_free_mail_domain_or_one_shared_wifi_address_links_nothing(ops_alerts: list[Alert], ops_ws) -> None:  # type: ignore[no-untyped-def]
    from ops_helpers import AS_OF

    from computewatch.detectors.linkage import link_accounts
    from computewatch.detectors.runner import build_context
    from computewatch.engine import open_engine
    from computewatch.settings.detectors import DetectorSettings

    with open_engine("duckdb", ops_ws.con) as engine:
        ctx = build_context(ops_ws, engine, AS_OF, DetectorSettings())
        customers = link_accounts(engine, ctx.accounts, ctx.window_start, ctx.window_end, DetectorSettings().linkage)
    assert customers.customer("acc-free-2") == "acc-free-2"  # gmail.com
    assert customers.customer("acc-fernhill") == "acc-fernhill"  # one IP shared with the university
    assert customers.groups == {"acc-hexa-a": ["acc-hexa-a", "acc-hexa-b"]}
    assert "acc-free-1" not in by_detector(ops_alerts, DETECTOR)
