"""Ultimate owners: chains, diamonds, cycles, dates, unknown shares, and paths as explanations."""

from __future__ import annotations

from graph_helpers import owners, report

from computewatch.graph.store import GraphStore


def test_a_chain_multiplies_shares_along_the_path(structures: GraphStore) -> None:
    rep = report(structures, "ch-a")
    assert owners(rep) == {"ch-b": 100.0, "ch-c": 60.0, "ch-d": 30.0}
    d = next(o for o in rep["owners"] if o["entity_id"] == "ch-d")
    assert d["paths"] == [["ch-a", "ch-b", "ch-c", "ch-d"]]
    assert d["ultimate"] and not d["direct"]
    assert d["path_text"] == [
        "Alderbrook Lessee Sdn. Bhd. (MY) <- 100% Birchmoor Pte. Ltd. (SG) <- 60% Cindervale Technology Co., Ltd. (CN)"
        " <- 50% Dai Wenqing (CN)"
    ]
    b = next(o for o in rep["owners"] if o["entity_id"] == "ch-b")
    assert b["direct"] and not b["ultimate"]


def test_a_diamond_sums_shares_over_paths(structures: GraphStore) -> None:
    rep = report(structures, "di-a")
    assert owners(rep)["di-top"] == 50.0  # 50% x 40% + 50% x 60%
    top = next(o for o in rep["owners"] if o["entity_id"] == "di-top")
    assert sorted(top["paths"]) == [["di-a", "di-l", "di-top"], ["di-a", "di-r", "di-top"]]
    assert [p["effective_percentage"] for p in top["path_details"]] == [30.0, 20.0]  # best path first


def test_a_cycle_is_followed_once_round(structures: GraphStore) -> None:
    rep = report(structures, "cy-a")
    got = owners(rep)
    assert got["cy-b"] == 80.0
    assert got["cy-c"] == 40.0  # 80% x 50%; B's 30% of C leads back to B and is not counted again
    assert got["cy-p"] == 28.0  # 80% x 50% x 70%
    assert "cy-a" not in got
    assert not rep["truncated"]


def test_ownership_is_as_of_a_date(structures: GraphStore) -> None:
    assert owners(report(structures, "dt-a", "2024-06-30")) == {"dt-old": 100.0}
    assert owners(report(structures, "dt-a", "2024-07-01")) == {"dt-new": 100.0}
    assert owners(report(structures, "dt-a", "2019-12-31")) == {}


def test_a_stake_of_unknown_size_is_shown_without_a_percentage(structures: GraphStore) -> None:
    rep = report(structures, "un-a")
    (owner,) = rep["owners"]
    assert owner["entity_id"] == "un-b" and owner["effective_percentage"] is None
    assert owner["percentage_known"] is False
    assert owner["path_text"] == ["Unstated Share Ltd (SG) <- ?% Vague Owner Ltd (MO)"]


def test_tiny_indirect_shares_are_cut_and_long_chains_marked_truncated(structures: GraphStore) -> None:
    assert "ch-d" not in owners(report(structures, "ch-a", min_path_pct=31))
    rep = report(structures, "ch-a", max_depth=2)
    assert set(owners(rep)) == {"ch-b", "ch-c"} and rep["truncated"]


def test_control_runs_through_majority_stakes_and_directorships(s6: GraphStore) -> None:
    rep = report(s6, "s6-kestrel-my")
    how = {(c["entity_id"], c["how"]) for c in rep["controllers"]}
    assert how == {("s6-chen", "director"), ("s6-harbourline", "majority owner"), ("s6-tianrui", "majority owner")}
    assert ("s6-quarry", "majority owner") not in how  # 40% does not control
    assert rep["ultimate_parent"]["nodes"][-1]["id"] == "s6-tianrui"


def test_the_in_memory_ownership_index_gives_the_same_answers(structures: GraphStore) -> None:
    expected = {eid: report(structures, eid, "2024-07-01") for eid in ("ch-a", "di-a", "cy-a", "dt-a", "rs-b")}
    assert structures.preload_ownership() == 23  # 22 Ownership entities and one stated parent
    for eid, rep in expected.items():
        assert report(structures, eid, "2024-07-01") == rep
