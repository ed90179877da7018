"""The shape every list adapter produces: a FollowTheMoney entity plus the untouched source fields."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from computewatch.workspace.lists import ListEntity


@dataclass
class ListRecord:
    entity: dict[str, Any]  # FollowTheMoney entity: {"id", "schema", "properties", ...}
    source_fields: dict[str, Any]  # every field of the source row, as read
    line: int  # where it started in the file

    @property
    def id(self) -> str:
        return str(self.entity["id"])

    def merge(self, other: ListRecord) -> None:
        """Fold in another row for the same entity (the CSL repeats an entry per country)."""
        props = self.entity.setdefault("properties", {})
        for key, values in other.entity.get("properties", {}).items():
            current = props.setdefault(key, [])
            current.extend(v for v in values if v not in current)
        self.source_fields.setdefault("_more_rows", []).append(other.source_fields)

    def content_hash(self) -> str:
        payload = orjson.dumps([self.entity, self.source_fields], option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(payload).hexdigest()

    def to_list_entity(self, dataset: str) -> ListEntity:
        props = self.entity.get("properties", {})
        names = list(props.get("name", [])) + list(props.get("alias", [])) + list(props.get("previousName", []))
        names += list(props.get("weakAlias", []))
        caption = str(self.entity.get("caption") or (names[0] if names else self.id))
        countries = sorted({str(c).lower() for key in ("country", "nationality", "jurisdiction", "mainCountry") for c in props.get(key, [])})
        programs = props.get("program", [])
        return ListEntity(
            id=self.id,
            schema=str(self.entity.get("schema", "LegalEntity")),
            caption=caption,
            names=tuple(dict.fromkeys(n for n in names if n)),
            countries=tuple(countries),
            datasets=tuple(self.entity.get("datasets") or [dataset]),
            source=str(programs[0]) if programs else dataset,
        )
