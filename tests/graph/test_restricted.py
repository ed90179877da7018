"""Listed parties, aggregated restricted ownership (50% rule), the Affiliates rule as of a date, and
the D:5/Macau headquarters test."""

from __future__ import annotations

from datetime import date

import pytest
from graph_helpers import codes, report

from computewatch.graph.report import owners_report
from computewatch.graph.restricted import ListScreen
from computewatch.graph.store import GraphStore
from computewatch.screening.model import ListEntity
from computewatch.screening.screener import Screener


def flag(rep: dict, code: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in rep["flags"] if f["code"] == code)


def test_listed_parties_together_owning_half_make_an_affiliate(structures: GraphStore) -> None:
    rep = report(structures, "rs-a", "2025-10-15")
    assert rep["restricted_ownership_pct"] == 55.0  # 30% (topic) + 25% (Entity List since 2025-01-01)
    f = flag(rep, "affiliate_of_listed")
    assert f["rule"]["status"] == "in force" and f["rule"]["binds"] and f["severity"] == "high"
    assert len(f["paths"]) == 2
    listed = {o["entity_id"]: o["listed"] for o in rep["owners"]}
    assert listed == {"rs-l1": True, "rs-l2": True, "rs-x": False}


def test_a_listing_counts_only_from_its_date(structures: GraphStore) -> None:
    rep = report(structures, "rs-a", "2024-06-01")
    assert rep["restricted_ownership_pct"] == 30.0
    assert "affiliate_of_listed" not in codes(rep)
    assert "listed_owner" in codes(rep)  # still shown as evidence


def test_majority_owned_subsidiaries_of_listed_parties_count_in_full(structures: GraphStore) -> None:
    rep = report(structures, "rs-b", "2025-06-01")
    # M is 50% owned by L1, so M's 30% counts in full: 25% + 30% = 55% (look-through: 25% + 15% = 40%)
    assert rep["restricted_ownership_pct"] == 55.0
    assert rep["restricted_lookthrough_pct"] == 40.0
    texts = [p["text"] for p in flag(rep, "affiliate_of_listed")["paths"]]
    assert "Bluewater Components Ltd (AE) <- 30% Midmarsh Holdings Ltd (AE) <- 50% Listed One Trading Ltd (IR, topic sanction)" in texts


def test_a_minority_stake_upstream_does_not_make_an_affiliate(structures: GraphStore) -> None:
    rep = report(structures, "rs-c", "2025-06-01")
    assert rep["restricted_ownership_pct"] == 0.0
    assert rep["restricted_lookthrough_pct"] == 40.0
    assert "affiliate_of_listed" not in codes(rep) and "listed_owner" in codes(rep)


@pytest.mark.parametrize(
    ("day", "status", "binds"),
    [("2025-09-28", "not yet issued", False), ("2025-10-15", "in force", True),
     ("2025-12-01", "suspended", False), ("2026-11-25", "in force", True)],
)  # fmt: skip
def test_the_affiliates_rule_binds_only_when_in_force(s6: GraphStore, day: str, status: str, binds: bool) -> None:
    rep = report(s6, "s6-kestrel-my", day)
    assert rep["restricted_ownership_pct"] == 100.0  # Harbourline is 60% owned by a listed party
    assert rep["affiliates_rule"]["status"] == status and rep["affiliates_rule"]["binds"] is binds
    f = flag(rep, "affiliate_of_listed")
    assert f["severity"] == ("high" if binds else "medium")
    assert ("shown as risk evidence" in f["text"]) is not binds


def test_before_the_listing_there_is_no_restricted_owner(s6: GraphStore) -> None:
    rep = report(s6, "s6-kestrel-sg", "2024-12-01")  # Tianrui listed on 2024-12-02
    assert rep["restricted_ownership_pct"] == 0.0
    assert not any(o["listed"] for o in rep["owners"])
    assert report(s6, "s6-kestrel-sg", "2024-12-02")["restricted_ownership_pct"] == 100.0


def test_the_path_names_the_list_and_date(s6: GraphStore) -> None:
    rep = report(s6, "s6-kestrel-my")
    tianrui = next(o for o in rep["owners"] if o["entity_id"] == "s6-tianrui")
    assert tianrui["path_text"] == [
        "Kestrel Compute Sdn. Bhd. (MY) <- 100% Harbourline Holdings Limited (HK) <- 60% "
        "Tianrui Zhisuan Technology Co., Ltd. (CN, Entity List since 2024-12-02)"
    ]


def test_listed_through_screening_against_a_loaded_list(structures: GraphStore) -> None:
    listed = ListEntity("el-1", "Company", "Cindervale Technology Company Limited", ("Cindervale Technology Company Limited",), ("cn",), ("us_trade_csl",),
                        "Entity List (EL) - Bureau of Industry and Security")  # fmt: skip
    screen = ListScreen(Screener([listed]), {"el-1": date(2024, 12, 2)})
    rep = owners_report(structures, "ch-a", date(2025, 1, 1), screen, successors=False)
    c = next(o for o in rep["owners"] if o["entity_id"] == "ch-c")
    assert c["listed"] and c["listings"] == ["Entity List since 2024-12-02"]
    assert rep["restricted_ownership_pct"] == 100.0  # B is 60% owned by C
    before = owners_report(structures, "ch-a", date(2024, 12, 1), screen, successors=False)
    assert not any(o["listed"] for o in before["owners"])
    other = owners_report(structures, "di-a", date(2025, 1, 1), screen, successors=False)
    assert not any(o["listed"] for o in other["owners"])  # different names do not match


def test_headquarters_or_ultimate_parent_in_d5_or_macau(structures: GraphStore) -> None:
    assert "headquarters_d5_or_macau" in codes(report(structures, "ch-c"))  # CN
    assert "headquarters_d5_or_macau" in codes(report(structures, "un-b"))  # Macau
    rep = report(structures, "ch-a")
    assert "ultimate_parent_d5_or_macau" in codes(rep)  # MY <- SG <- CN parent (the person above does not count)
    assert rep["ultimate_parent"]["nodes"][-1]["id"] == "ch-c"
    assert "ultimate_parent_d5_or_macau" in codes(report(structures, "pa-a"))  # stated parent in Macau
    clean = codes(report(structures, "di-a"))
    assert "headquarters_d5_or_macau" not in clean and "ultimate_parent_d5_or_macau" not in clean


def test_the_d5_test_follows_dated_country_groups(structures: GraphStore) -> None:
    assert "headquarters_d5_or_macau" in codes(report(structures, "kh-a", "2026-01-15"))
    assert "headquarters_d5_or_macau" not in codes(report(structures, "kh-a", "2026-03-01"))  # Cambodia left D:5
