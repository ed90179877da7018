"""What the graph holds: parties and other things (nodes), dated relationships (edges), listings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from computewatch.sources.dates import held_on

PARTY_SCHEMAS = frozenset({"Company", "Organization", "Person", "LegalEntity", "PublicBody"})


@dataclass(frozen=True)
class Node:
    id: str
    schema: str
    name: str
    country: str = ""  # headquarters country: mainCountry, else country, else jurisdiction
    countries: tuple[str, ...] = ()
    incorporation_date: date | None = None
    dissolution_date: date | None = None
    topics: tuple[str, ...] = ()
    properties: dict[str, list[str]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_person(self) -> bool:
        return self.schema == "Person"


@dataclass(frozen=True, order=True)
class Edge:
    id: str
    kind: str  # ownership, directorship, succession, holding, parent, link
    source: str  # the owner, director, predecessor, holder, parent
    target: str  # the asset, organisation, successor, contract, subsidiary
    percentage: float | None = None
    start: date | None = None
    end: date | None = None
    role: str = ""

    def held_on(self, on: date) -> bool:
        return held_on(self.start, self.end, on)

    @property
    def fraction(self) -> float | None:
        """Share of the target the source holds (0..1); None when not stated."""
        return None if self.percentage is None else self.percentage / 100.0


@dataclass(frozen=True)
class Listing:
    """One reason a party is restricted: a Sanction entity, a topic, or a screening match."""

    entity_id: str
    label: str  # 'Entity List', 'sanction', ...
    since: date | None
    until: date | None
    how: str  # 'sanction record', 'topic', 'screening'
    detail: str = ""

    def held_on(self, on: date) -> bool:
        return held_on(self.since, self.until, on)

    def describe(self) -> str:
        return f"{self.label} since {self.since.isoformat()}" if self.since else self.label
