"""What screening reads (list entities, queries) and what it returns (matches)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from computewatch.workspace.lists import ListEntity  # the list store's shape of a list entry

__all__ = ["ListEntity", "Match", "Query"]


@dataclass(frozen=True)
class Query:
    name: str
    id: str = ""
    country: str = ""
    schema: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Match:
    entity: ListEntity
    score: float
    match: bool
    explanation: str
    features: dict[str, Any]

    def to_record(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema,
            "score": round(self.score, 4),
            "match": self.match,
            "datasets": list(self.entity.datasets),
            "source": self.entity.source,
            "countries": list(self.entity.countries),
            "explanation": self.explanation,
            "features": self.features,
        }
