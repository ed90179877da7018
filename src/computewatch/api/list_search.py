"""Finding list entities by text without scoring: names in sorted order, for prefixes (the reconciliation
service's suggestions as one types) and for plain substring search. Built once per screening index, on
first use, from the entities the index holds."""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from followthemoney import model

from computewatch.screening.model import ListEntity
from computewatch.screening.screener import Screener


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


class NameSearch:
    def __init__(self, entities: list[ListEntity]):
        pairs = sorted((fold(name), i) for i, e in enumerate(entities) for name in dict.fromkeys(e.names or (e.caption,)))
        self.keys = [k for k, _ in pairs]
        self.owners = [i for _, i in pairs]
        self.entities = entities

    def prefixed(self, text: str) -> Iterator[int]:
        """Entities with a name that starts with `text` (any case), in name order."""
        key = fold(text)
        seen: set[int] = set()
        for pos in range(bisect.bisect_left(self.keys, key), len(self.keys)):
            if not self.keys[pos].startswith(key):
                return
            if self.owners[pos] not in seen:
                seen.add(self.owners[pos])
                yield self.owners[pos]

    def containing(self, text: str) -> Iterator[int]:
        """Entities with a name that contains `text` (any case), in name order."""
        key = fold(text)
        seen: set[int] = set()
        for pos, name in enumerate(self.keys):
            if key in name and self.owners[pos] not in seen:
                seen.add(self.owners[pos])
                yield self.owners[pos]

    def in_order(self) -> Iterator[int]:
        seen: set[int] = set()
        for owner in self.owners:
            if owner not in seen:
                seen.add(owner)
                yield owner


_searches: weakref.WeakKeyDictionary[Screener, NameSearch] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def name_search(screener: Screener) -> NameSearch:
    with _lock:
        found = _searches.get(screener)
        if found is None:
            found = _searches[screener] = NameSearch(screener.index.entities)
        return found


@dataclass(frozen=True)
class EntityFilter:
    """Which entities a request wants: of a schema (or a descendant), in a dataset, in a country."""

    schema: str = "Thing"
    datasets: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()

    def __call__(self, entity: ListEntity) -> bool:
        if self.datasets and not self.datasets.intersection(entity.datasets):
            return False
        if self.countries and not self.countries.intersection(entity.countries):
            return False
        if self.schema != "Thing":
            own, wanted = model.get(entity.schema), model.get(self.schema)
            if own is None or wanted is None or not own.is_a(wanted):
                return False
        return True
