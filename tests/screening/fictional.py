"""Helpers of the screening tests that list fictional entries and ask which of them a query matches."""

from __future__ import annotations

from computewatch.screening.model import ListEntity, Query
from computewatch.screening.screener import Screener


def fictional_entity(eid: str, name: str, schema: str = "LegalEntity", country: str = "") -> ListEntity:
    """A list entry with one name, in a 'fictional' dataset."""
    return ListEntity(eid, schema, name, (name,), (country,) if country else (), ("fictional",), "fictional")


def matched_ids(screener: Screener, query: str) -> set[str]:
    """The ids of the entries the query matches (at or above the threshold)."""
    return {m.entity.id for m in screener.screen(Query(query)) if m.match}
