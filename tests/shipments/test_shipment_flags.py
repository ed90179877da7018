"""Cases that must fire and cases that must not (issue 7, SCENARIOS.md S7)."""

from __future__ import annotations

from shipments_helpers import FIXTURES, flag_ids

from computewatch.shipments.scoring import ScoringRun


def test_well_known_distributor_with_consistent_history_never_alerts(scored: ScoringRun) -> None:
    dist = [s for s in scored.scores if s.shipment_id.startswith("DIST-")]
    assert len(dist) == 11
    assert not any(s.alert for s in dist)
    assert max(s.score for s in dist) < 0.2
    later = scored.by_id("DIST-11")
    assert any("long, consistent history" in m for m in later.mitigations)
    assert later.score < scored.by_id("DIST-02").score  # the history lowers the mitigable flag


def test_malaysian_data_centre_with_its_own_end_use_never_alerts(scored: ScoringRun) -> None:
    mydc = [s for s in scored.scores if s.shipment_id.startswith("MYDC-")]
    assert len(mydc) == 5 and not any(s.alert for s in mydc)
    assert flag_ids(scored, "MYDC-01") == {"first_time_consignee_large_volume"}
    assert all(flag_ids(scored, s.shipment_id) == set() for s in mydc[1:])
    assert mydc[0].accelerators == 32  # 4 servers x 8 H100


def test_freight_forwarder_in_a_hub_with_a_chinese_payer_alerts(scored: ScoringRun) -> None:
    s = scored.by_id("FWD-01")
    assert s.alert and s.score >= 0.9
    assert {"hub_consignee_concern_destination_or_payer", "freight_forwarder_consignee", "end_user_missing",
            "third_country_payer", "first_time_consignee_large_volume"} <= flag_ids(scored, "FWD-01")  # fmt: skip
    hub = next(h for h in s.flags if h.id == "hub_consignee_concern_destination_or_payer")
    assert "payer in CN" in hub.evidence[0]
    assert "BIS" in hub.source and "2025-05-13" in hub.source


def test_graphics_cards_at_the_price_of_h100_servers_alert(scored: ScoringRun) -> None:
    s = scored.by_id("GFX-01")
    assert s.alert
    mismatch = next(h for h in s.flags if h.id == "description_mismatch")
    assert "graphics cards" in mismatch.evidence[0] and "DGX-H100" in mismatch.evidence[0]
    assert "FATF" in mismatch.source


def test_real_graphics_cards_at_graphics_card_prices_do_not_alert(scored: ScoringRun) -> None:
    s = scored.by_id("GFX-02")
    assert not s.alert
    assert "description_mismatch" not in flag_ids(scored, "GFX-02")
    assert "value_off_market" not in flag_ids(scored, "GFX-02")


def test_residential_address_with_commercial_quantities_alerts(scored: ScoringRun) -> None:
    s = scored.by_id("RES-01")
    assert s.alert and "residential_address_commercial_quantity" in flag_ids(scored, "RES-01")
    evidence = next(h for h in s.flags if h.id == "residential_address_commercial_quantity").evidence[0]
    assert "condominium" in evidence.casefold()


def test_one_graphics_card_to_a_flat_is_not_commercial(scored: ScoringRun) -> None:
    assert flag_ids(scored, "RES-02") == set()


def test_industrial_estate_is_not_residential(scored: ScoringRun) -> None:
    # 'Taman Perindustrian' is an industrial estate, although 'taman' alone is residential
    assert "residential_address_commercial_quantity" not in flag_ids(scored, "GFX-02")


def test_listed_end_user_alerts_with_the_list_entry(scored: ScoringRun) -> None:
    s = scored.by_id("LIST-01")
    assert s.alert and s.severity == "critical"
    listed = next(h for h in s.flags if h.id == "listed_party")
    assert "Lumenbright Data Pte. Ltd." in listed.evidence[0] and "end user" in listed.evidence[0]


def test_onward_shipment_to_china_needs_a_licence_and_alerts(scored: ScoringRun) -> None:
    s = scored.by_id("HUB-01")
    assert s.alert
    licence = next(h for h in s.flags if h.id == "licence_required_at_destination")
    assert any("to CN: licence required" in e for e in licence.evidence)
    assert not any("to MY" in e for e in licence.evidence)  # no licence for Malaysia itself
    cls = {(c["item"], c["country"]): c["licence_required"] for c in s.items["classification"]}
    assert cls == {("DGX-H100", "MY"): False, ("DGX-H100", "CN"): True}


def test_undervalued_h100s_are_off_market(scored: ScoringRun) -> None:
    s = scored.by_id("LOW-01")
    assert s.alert and "value_off_market" in flag_ids(scored, "LOW-01")
    off = next(h for h in s.flags if h.id == "value_off_market")
    assert "USD 2,000 per unit" in off.evidence[0] and "H100-SXM" in off.evidence[0]


def test_consignees_sharing_an_address_and_phone_are_flagged_from_when_the_second_appears(scored: ScoringRun) -> None:
    hit = next(h for h in scored.by_id("SHR-02").flags if h.id == "shared_address_phone_or_directors")  # 2026-06-24
    assert any("Lotus Gate" in e and "address" in e for e in hit.evidence)  # Lotus Gate gave them on 2026-06-10
    assert any("Lotus Gate" in e and "phone '+6561234567'" in e for e in hit.evidence)
    assert not scored.by_id("SHR-02").alert  # weak alone
    # on 2026-06-10 no other consignee had given that address or phone: Jade Harbour appears two weeks later (no look-ahead)
    assert not any(h.id == "shared_address_phone_or_directors" for h in scored.by_id("SHR-01").flags)


def test_office_chairs_are_not_scored_whoever_buys_them(scored: ScoringRun) -> None:
    s = scored.by_id("MISC-01")
    assert s.score == 0 and not s.of_interest and s.flags == []


def test_first_time_counts_only_advanced_computing_shipments(scored: ScoringRun) -> None:
    # Swiftlane received office chairs before; its first server shipment is still a first
    assert "first_time_consignee_large_volume" in flag_ids(scored, "FWD-01")


def test_every_flag_names_evidence_and_a_source(scored: ScoringRun) -> None:
    hits = [h for s in scored.scores for h in s.flags]
    assert hits
    assert all(h.evidence and h.source and 0 < h.applied <= h.weight for h in hits)
    assert all(s.source.startswith("shipments: shipments.csv line ") for s in scored.scores)


def test_as_of_excludes_later_shipments(tmp_path, real_screener) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from computewatch.shipments.scoring import score_shipments
    from computewatch.sources.shipments import load_shipments
    from computewatch.workspace import Workspace

    with Workspace(tmp_path) as ws:
        load_shipments(ws, [FIXTURES / "shipments.csv"])
        run = score_shipments(ws, real_screener, date(2026, 7, 31))
    ids = {s.shipment_id for s in run.scores}
    assert "FWD-01" in ids and "GFX-01" not in ids and "LOW-01" not in ids
