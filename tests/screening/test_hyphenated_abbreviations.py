"""A hyphenated word with an abbreviated part ('Hi-Tech', 'Aero-Hydrodynamic') meets the
word written joined ('Hitech', 'Aerohydrodynamic') and spaced, both ways round; the
joined form does not make names that share only it the same. Fictional names."""

from __future__ import annotations

import pytest
from fictional import fictional_entity, matched_ids

from computewatch.names.analyze import analyze_name
from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener


def _entity(eid: str, name: str) -> ListEntity:
    return fictional_entity(eid, name, "Company")


LISTED = [
    _entity("brightlake", "Shenzhen Brightlake Hi-Tech Co., Ltd."),
    _entity("tsarev", "Central Aerohydrodynamic Institute of Tsarevo"),
    _entity("dunmore", "Dunmore Infotech Ltd"),
    _entity("kestrel", "Kestrel Bio-Tech Limited"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(LISTED)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Shenzhen Brightlake Hitech Co., Ltd.", "brightlake"),  # the list hyphenates, the query joins
        ("Shenzhen Brightlake Hi Tech Co Ltd", "brightlake"),
        ("Central Aero-Hydrodynamic Institute of Tsarevo", "tsarev"),  # the query hyphenates an abbreviation
        ("Dunmore Info-Tech Limited", "dunmore"),
        ("Kestrel Biotech Ltd", "kestrel"),
    ],
)
def test_hyphenated_and_joined_meet(screener: Screener, query: str, expected: str) -> None:
    assert expected in matched_ids(screener, query)


def test_sharing_only_the_hyphenated_word_is_no_match(screener: Screener) -> None:
    assert not matched_ids(screener, "Juniper Hi-Tech Co., Ltd.")
    assert not matched_ids(screener, "Glenrock Biotech Limited")


def test_the_explanation_names_the_joined_reading(screener: Screener) -> None:
    form = analyze_name("Dunmore Info-Tech Limited")
    assert form.translations() == ["info-tech -> 'information technology | infotech' (hyphenated, also written joined)"]
    match = next(m for m in screener.screen(Query("Dunmore Info-Tech Limited")) if m.entity.id == "dunmore")
    assert "infotech" in match.explanation
