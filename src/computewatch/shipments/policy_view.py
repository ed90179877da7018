"""Questions shipment screening asks the policy module, cached by policy epoch.

Rules and country groups only change on the dates their records name, so the
answer for a day is the answer for the last change on or before it. Caching by
that date keeps a million shipments to a few hundred classifications.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache
from typing import Any

from computewatch.policy import Classification, UnknownChip, classify_accelerator, groups_of
from computewatch.policy.countries import country_groups
from computewatch.policy.rules import load_rules


def _dates(value: Any) -> list[date]:
    if isinstance(value, date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, list | tuple):
        return [d for v in value for d in _dates(v)]
    return []


@lru_cache(maxsize=1)
def change_dates() -> tuple[date, ...]:
    """Every day on which a rule or a country group changes (effective, compliance, rescinded, since, until...)."""
    days: set[date] = set()
    for rule in load_rules().rules.values():
        days.update(_dates(rule.model_dump()))
    groups = country_groups()
    for g in groups.groups.values():
        days.update(_dates([m.model_dump() for m in g.members]))
    days.update(t.since for t in groups.treated_as)
    return tuple(sorted(days))


@lru_cache(maxsize=65_536)
def epoch(day: date) -> date:
    """The last policy change on or before the day (the day itself before any change); cached, days repeat."""
    dates = change_dates()
    i = bisect_right(dates, day)
    return dates[i - 1] if i else day


class PolicyView:
    def __init__(self, concern_groups: list[str], concern_countries: list[str]):
        self.concern_groups = set(concern_groups)
        self.concern_countries = {c.upper() for c in concern_countries}
        self._classified: dict[tuple[str, str, date], Classification | None] = {}
        self._concern: dict[tuple[str, date], bool] = {}
        self._concern_on: dict[tuple[str, date], bool] = {}  # by the day itself: one look-up per shipment
        self._rules: dict[tuple[str, str, date], list[str]] = {}  # by policy epoch, as classifications are
        self._eccn: dict[tuple[str, date], str | None] = {}

    def classification(self, item: str, country: str, day: date) -> Classification | None:
        key = (item, country, epoch(day))
        if key not in self._classified:
            try:
                self._classified[key] = classify_accelerator(item, country or None, key[2])
            except UnknownChip:
                self._classified[key] = None
        return self._classified[key]

    def eccn(self, item: str, day: date) -> str | None:
        key = (item, epoch(day))
        try:
            return self._eccn[key]
        except KeyError:
            found = self.classification(item, "US", day)
            eccn = self._eccn[key] = found.eccn if found else None
            return eccn

    def controlled(self, item: str, day: date) -> bool:
        return self.eccn(item, day) is not None

    def licence_rules(self, item: str, country: str, day: date) -> list[str]:
        """'id (source)' of each licence rule that requires a licence for the item to the country; empty if none."""
        key = (item, country, epoch(day))
        try:
            return self._rules[key]
        except KeyError:
            found = self.classification(item, country, day)
            ok = found is not None and found.license_required
            rules = self._rules[key] = [f"{r.id} ({r.source})" for r in found.rules if r.role == "licence"] if ok and found else []
            return rules

    def concern(self, country: str | None, day: date) -> bool:
        if not country:
            return False
        found = self._concern_on.get((country, day))
        if found is None:
            found = self._concern_on[(country, day)] = self._concern_at(country, day)
        return found

    def _concern_at(self, country: str, day: date) -> bool:
        key = (country.upper(), epoch(day))
        try:
            return self._concern[key]
        except KeyError:
            code = key[0]
            found = self._concern[key] = code in self.concern_countries or bool(groups_of(code, key[1]) & self.concern_groups)
            return found
