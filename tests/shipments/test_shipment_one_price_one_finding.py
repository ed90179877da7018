"""One declared unit price is one finding (value_off_market or description_mismatch, never both), price
flags weigh only alongside a flag on the route or the parties, and a shared address or phone counts only
among the consignees that had given it by the shipment's day, up to a group size."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from shipments_helpers import flag_ids

from computewatch.settings.shipments import ShipmentThresholds
from computewatch.shipments.scoring import ScoringRun, score_shipments
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

AS_OF = date(2026, 11, 25)
HEADER = "shipment_id,date,shipper,consignee,consignee_country,destination_country,description,quantity,value_usd,end_user,payer_country,consignee_address,consignee_phone"
ROWS = [
    # domestic, named end user, paid at home: nothing about the route or the parties
    "P-4090,2026-03-02,Alder Systems Inc.,Wren Valley Computing Pte. Ltd.,SG,SG,GeForce RTX 4090 graphics cards,8,240000,Wren Valley Computing Pte. Ltd.,SG,,",
    "P-CHEAP,2026-03-03,Alder Systems Inc.,Wren Valley Computing Pte. Ltd.,SG,SG,graphics cards,100,300,Wren Valley Computing Pte. Ltd.,SG,,",
    "P-H100,2026-03-04,Alder Systems Inc.,Wren Valley Computing Pte. Ltd.,SG,SG,NVIDIA H100 SXM5 80GB,10,20000,Wren Valley Computing Pte. Ltd.,SG,,",
    # the same misdescribed price on a route to a country of concern through a hub
    "P-ROUTE,2026-03-05,Alder Systems Inc.,Copperfield Trade Ltd.,HK,CN,GeForce RTX 4090 graphics cards,10,300000,Copperfield Trade Ltd.,HK,,",
]
PARK = "8 Fictional Business Park, Singapore 609000"


def _run(tmp_path: Path, rows: list[str], th: ShipmentThresholds | None = None) -> ScoringRun:
    path = tmp_path / "shipments.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with Workspace(tmp_path / "ws") as ws:
        assert load_shipments(ws, [path]).problems == []
        return score_shipments(ws, None, AS_OF, th)


@pytest.fixture(scope="module")
def priced(tmp_path_factory) -> ScoringRun:  # type: ignore[no-untyped-def]
    return _run(tmp_path_factory.mktemp("prices"), ROWS)


def test_graphics_cards_at_the_price_of_h100_are_a_misdescription_not_also_off_market(priced: ScoringRun) -> None:
    flags = flag_ids(priced, "P-4090")
    assert "description_mismatch" in flags and "value_off_market" not in flags
    hit = next(h for h in priced.by_id("P-4090").flags if h.id == "description_mismatch")
    assert "USD 30,000 per unit" in hit.evidence[0] and "H100" in hit.evidence[0]


def test_graphics_cards_at_three_dollars_are_off_market_not_misdescribed(priced: ScoringRun) -> None:
    flags = flag_ids(priced, "P-CHEAP")
    assert "value_off_market" in flags and "description_mismatch" not in flags


def test_a_named_chip_far_below_its_market_is_off_market(priced: ScoringRun) -> None:
    assert "value_off_market" in flag_ids(priced, "P-H100")  # H100 at USD 2,000 each


def test_price_flags_alone_do_not_make_a_diversion_alert(priced: ScoringRun) -> None:
    alone = priced.by_id("P-4090")
    assert alone.flags and not alone.alert and alone.score == 0.0
    assert any("only red flags on the declared price fired" in m for m in alone.mitigations)
    routed = priced.by_id("P-ROUTE")  # the same price with a hub consignee and a destination of concern
    assert routed.alert and {"description_mismatch", "hub_consignee_concern_destination_or_payer"} <= flag_ids(priced, "P-ROUTE")
    assert next(h for h in routed.flags if h.id == "description_mismatch").applied > 0


def test_a_shared_address_counts_up_to_a_group_size_as_known_on_the_day(tmp_path: Path) -> None:
    day = date(2026, 1, 5)
    rows = [f"PK-{i:02d},{day + timedelta(days=i)},Alder Systems Inc.,Park Tenant {i} Pte. Ltd.,SG,SG,NVIDIA A100 40GB PCIe,4,44000,"
            f"Park Tenant {i} Pte. Ltd.,SG,\"{PARK}\",+65 6000 {1000 + i}" for i in range(1, 26)]  # fmt: skip
    run = _run(tmp_path, rows, ShipmentThresholds(max_shared_contact_group=20))
    shared = sorted(s.shipment_id for s in run.scores if "shared_address_phone_or_directors" in {h.id for h in s.flags})
    # the first tenant shares it with nobody yet; tenants 2-20 with those before them; from the 21st, the address is
    # given by more than 20 consignees (a business park): it links none of them
    assert shared == [f"PK-{i:02d}" for i in range(2, 21)]
    hit = next(h for h in run.by_id("PK-03").flags if h.id == "shared_address_phone_or_directors")
    assert "with 2 other consignee(s)" in hit.evidence[0] and "Park Tenant 4" not in hit.evidence[0]


def test_phones_written_with_and_without_the_country_code_are_one_phone(tmp_path: Path) -> None:
    rows = ["PH-1,2026-02-01,Alder Systems Inc.,Kite Hill Trading Pte. Ltd.,SG,SG,NVIDIA A100 40GB PCIe,4,44000,,SG,,+65 6000 1111",
            "PH-2,2026-02-09,Alder Systems Inc.,Marlow Reach Pte. Ltd.,SG,SG,NVIDIA A100 40GB PCIe,4,44000,,SG,,6000 1111",
            "PH-3,2026-02-10,Alder Systems Inc.,Orbit Lane Ltd.,HK,HK,NVIDIA A100 40GB PCIe,4,44000,,HK,,6000 1111"]  # fmt: skip
    run = _run(tmp_path, rows)
    hit = next(h for h in run.by_id("PH-2").flags if h.id == "shared_address_phone_or_directors")
    assert "phone '+6560001111'" in hit.evidence[0] and "Kite Hill Trading" in hit.evidence[0]
    assert "shared_address_phone_or_directors" not in flag_ids(run, "PH-3")  # 6000 1111 in Hong Kong is another number
