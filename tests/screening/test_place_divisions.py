"""A word for a place's division after a place on one side only ('Shihezi Municipality'
against 石河子市, whose 市 Chinese names drop as an affix) counts as little as a one-sided
place; two different divisions (a city's bureau against a prefecture's) still count in full.
Real place names, fictional organisations."""

from __future__ import annotations

import pytest
from fictional import fictional_entity

from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener


def _entity(eid: str, name: str) -> ListEntity:
    return fictional_entity(eid, name, "Organization", "cn")


LISTED = [
    _entity("water", "Shihezi Municipality Water Supply Bureau"),
    _entity("grain", "Hami Prefecture Grain Reserve Bureau"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(LISTED)


def score(screener: Screener, query: str, eid: str) -> float:
    return max((m.score for m in screener.screen(Query(query)) if m.entity.id == eid), default=0.0)


@pytest.mark.parametrize(
    ("query", "eid"),
    [("Shihezi Water Supply Bureau", "water"), ("Hami Grain Reserve Bureau", "grain")],
)
def test_a_division_word_only_one_side_has_says_little(screener: Screener, query: str, eid: str) -> None:
    assert score(screener, query, eid) >= screener.settings.threshold


def test_two_different_divisions_still_differ(screener: Screener) -> None:
    with_division = score(screener, "Hami City Grain Reserve Bureau", "grain")
    without = score(screener, "Hami Grain Reserve Bureau", "grain")
    assert with_division < without
    assert with_division < screener.settings.threshold


def test_a_division_word_not_after_a_place_counts_in_full(screener: Screener) -> None:
    # 'Municipality' is the name's own word here, not the division of a place
    assert score(screener, "Water Supply Bureau", "water") < screener.settings.threshold
