"""What the shipments themselves say of a consignee: its earlier shipments (first time? long and
consistent? a spike?), and other consignees at the same address or phone number by then."""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field
from datetime import date

import duckdb

from computewatch.contacts import phone_key
from computewatch.sources.entities import normalise_address

# One consignee: its graph id when given, else its name with case, punctuation and spacing folded.
CONSIGNEE_KEY = (
    "coalesce(nullif(trim(consignee_entity_id), ''), "
    "trim(regexp_replace(lower(trim(consignee)), '[\\s.,;:()\\-/&]+', ' ', 'g')))"
)


@dataclass
class History:
    """A consignee's shipments before the one being scored (in date order)."""

    first: date | None = None
    count: int = 0
    values: list[float] = field(default_factory=list)  # sorted

    def median(self) -> float | None:
        n = len(self.values)
        if not n:
            return None
        mid = n // 2
        return self.values[mid] if n % 2 else (self.values[mid - 1] + self.values[mid]) / 2

    def long(self, min_shipments: int, min_days: int, day: date) -> bool:
        return self.count >= min_shipments and self.first is not None and (day - self.first).days >= min_days

    def add(self, day: date, value: float | None) -> None:
        self.first = self.first or day
        self.count += 1
        if value is not None:
            insort(self.values, value)


@dataclass
class _Holder:
    since: date  # the day of the holder's first shipment giving the value
    ckey: str
    label: str  # 'Other Co (SG)'


class SharedContacts:
    """Consignees in the shipments that give the same address or phone, as known on each shipment's day.

    A shipment is judged on its own address and phone against the other consignees that had given the
    same value on or before its day (no look-ahead: a consignee that appears later does not count). A
    value given by more than `max_group` consignees by then (a business park, a forwarder's hub, a
    registered agent) says nothing about any one of them and is left out, like the account linkage's
    max_accounts_per_value.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, where: str, max_listed: int, max_group: int):
        self.max_listed, self.max_group = max_listed, max_group
        rows = con.execute(
            f"""SELECT {CONSIGNEE_KEY} AS ckey, consignee, consignee_country, consignee_address, consignee_phone,
                       CAST(min("date") AS DATE) AS first
                FROM shipments WHERE {where} AND (consignee_address IS NOT NULL OR consignee_phone IS NOT NULL)
                GROUP BY ALL ORDER BY ALL"""
        ).fetchall()
        first: dict[tuple[str, str], dict[str, _Holder]] = {}
        for ckey, name, country, address, phone, day in rows:
            for kind, value in (("address", normalise_address(address or "")), ("phone", phone_key(phone or "", country))):
                if value:
                    known = first.setdefault((kind, value), {})
                    if ckey not in known or day < known[ckey].since:
                        known[ckey] = _Holder(day, ckey, f"{name} ({country})")
        # only values that two consignees ever give can be shared; holders in the order they appeared
        self._holders = {k: sorted(v.values(), key=lambda h: (h.since, h.ckey)) for k, v in first.items() if len(v) > 1}
        self._days = {k: [h.since for h in v] for k, v in self._holders.items()}
        self._texts: dict[tuple[tuple[str, str], int, str], str | None] = {}
        # (consignee, address, phone, country) as a row gives them -> the shareable values among them
        self._mine: dict[tuple[str, str | None, str | None, str], list[tuple[tuple[str, str], list[date]]]] = {}

    def __bool__(self) -> bool:
        return bool(self._holders)

    def on(self, ckey: str, address: str | None, phone: str | None, country: str, day: date) -> list[str]:
        """'shares the address ... with 2 other consignee(s) in the shipments: A (SG), B (SG)' for the values
        this shipment gives that other consignees had given by its day."""
        if not self._holders:
            return []
        mine = self._mine.get((ckey, address, phone, country))
        if mine is None:
            mine = self._mine[(ckey, address, phone, country)] = [
                (key, self._days[key]) for key in (("address", normalise_address(address or "")), ("phone", phone_key(phone or "", country)))
                if key[1] and key in self._days
            ]  # fmt: skip
        if not mine:
            return []
        found = []
        for key, days in mine:
            known = bisect_right(days, day)
            text_key = (key, known, ckey)
            text = self._texts.get(text_key, "")
            if text == "":
                text = self._texts[text_key] = self._text(key[0], key[1], self._holders[key][:known], ckey)
            if text:
                found.append(text)
        return found

    def _text(self, kind: str, value: str, holders: list[_Holder], ckey: str) -> str | None:
        """The others in the order they first gave the value (earliest first)."""
        if len(holders) > self.max_group:
            return None
        others = [h.label for h in holders if h.ckey != ckey]
        if not others:
            return None
        more = len(others) - self.max_listed
        listed = ", ".join(others[: self.max_listed]) + (f" and {more} more" if more > 0 else "")
        return f"shares the {kind} '{value}' with {len(others)} other consignee(s) in the shipments by then: {listed}"
