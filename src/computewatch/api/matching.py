"""Translate yente-style match queries (FtM examples) to screening queries, and matches back to
yente's scored entities."""

from __future__ import annotations

from typing import Any

from followthemoney import model

from computewatch.api.errors import Unprocessable
from computewatch.api.schemas import EntityExample, FeatureDoc
from computewatch.screening.model import Match, Query
from computewatch.screening.screener import Screener

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "firstName", "lastName")
COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "mainCountry", "citizenship", "registrationCountry")

FEATURES = {
    "name_score": FeatureDoc(description="similarity of the best-aligned names (scripts, company forms, pinyin)"),
    "country_effect": FeatureDoc(description="added when the query's country is the listed party's, subtracted when none agree"),
    "aligned_words": FeatureDoc(description="name words of the query matched to words of the listed name", coefficient=0.0),
}


def _values(props: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in names:
        value = props.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        out.extend(str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip())
    return out


def example_queries(key: str, example: EntityExample) -> list[Query]:
    """One screening query per name of the example (first name + last name also count as one); none for blank names."""
    schema = model.get(example.schema_)
    if schema is None:  # the request model checks this already
        raise Unprocessable(f"query '{key}': unknown FollowTheMoney schema {example.schema_!r}")
    props = example.properties
    names = _values(props, NAME_PROPS[:4])
    given, family = _values(props, ("firstName",)), _values(props, ("lastName",))
    if given and family:
        names.append(f"{given[0]} {family[0]}")
    countries = _values(props, COUNTRY_PROPS)
    country = countries[0].lower() if countries else ""
    return [Query(name=n[:500], id=example.id or key, country=country, schema=schema.name) for n in dict.fromkeys(names)]


def name_count(examples: list[EntityExample]) -> int:
    """How many names a batch screens (what a request costs)."""
    return sum(len(_values(e.properties, NAME_PROPS)) for e in examples)


def match_example(screener: Screener, queries: list[Query], datasets: set[str] | None, exclude_schema: set[str],
                  exclude_dataset: set[str]) -> list[Match]:  # fmt: skip
    """Best match per listed entity over all the example's names, best first (matches are shared: never mutate)."""
    best: dict[str, Match] = {}
    for query in queries:
        for m in screener.screen(query):
            if datasets is not None and not datasets.intersection(m.entity.datasets):
                continue
            if m.entity.schema in exclude_schema or exclude_dataset.intersection(m.entity.datasets):
                continue
            if m.entity.id not in best or m.score > best[m.entity.id].score:
                best[m.entity.id] = m
    return sorted(best.values(), key=lambda m: (-m.score, m.entity.id))


def scored_entity(m: Match, threshold: float | None = None) -> dict[str, Any]:
    """One result of yente's ScoredEntityResponse shape, as plain data (serialised once, by orjson)."""
    entity = m.entity
    props: dict[str, list[str]] = {"name": [entity.names[0]] if entity.names else [entity.caption]}
    if len(entity.names) > 1:
        props["alias"] = list(entity.names[1:])
    if entity.countries:
        props["country"] = list(entity.countries)
    features = {"name_score": float(m.features.get("name_score", 0.0)), "country_effect": float(m.features.get("country_effect", 0.0)),
                "aligned_words": float(len(m.features.get("aligned", [])))}  # fmt: skip
    return {"id": entity.id, "caption": entity.caption, "schema": entity.schema, "properties": props,
            "datasets": list(entity.datasets), "referents": [], "target": True, "score": round(m.score, 4),
            "match": m.match if threshold is None else m.score >= threshold, "features": features,
            "explanation": m.explanation, "source": entity.source}  # fmt: skip


FEATURE_DOCS = {name: doc.model_dump() for name, doc in FEATURES.items()}
