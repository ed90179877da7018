"""What the shipments themselves say of a consignee: its earlier shipments (first time? long and
consistent? a spike?), and other consignees at the same address or phone number."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from datetime import date

import duckdb

from computewatch.sources.entities import normalise_address, normalise_phone

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


def shared_contacts(con: duckdb.DuckDBPyConnection, where: str, max_listed: int) -> dict[str, list[str]]:
    """Consignee key -> 'shares the address ... with Other Co (SG)' for every address or phone that
    other consignees in the shipments also give."""
    rows = con.execute(
        f"""SELECT DISTINCT {CONSIGNEE_KEY} AS ckey, consignee, consignee_country, consignee_address, consignee_phone
            FROM shipments WHERE {where} AND (consignee_address IS NOT NULL OR consignee_phone IS NOT NULL)"""
    ).fetchall()
    holders: dict[tuple[str, str], dict[str, str]] = {}
    for ckey, name, country, address, phone in rows:
        for kind, value in (("address", normalise_address(address or "")), ("phone", normalise_phone(phone or ""))):
            if value:
                holders.setdefault((kind, value), {})[ckey] = f"{name} ({country})"
    out: dict[str, list[str]] = {}
    for (kind, value), who in sorted(holders.items()):
        if len(who) < 2:
            continue
        for ckey in who:
            others = [label for k, label in sorted(who.items()) if k != ckey]
            more = len(others) - max_listed
            text = ", ".join(others[:max_listed]) + (f" and {more} more" if more > 0 else "")
            out.setdefault(ckey, []).append(f"shares the {kind} '{value}' with {len(others)} other consignee(s) in the shipments: {text}")
    return out
