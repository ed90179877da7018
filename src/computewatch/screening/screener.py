"""The screening engine: query in, scored and explained matches out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from mypy_extensions import mypyc_attr

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.screening.calibration import calibrate, name_kind, pair_kind
from computewatch.screening.explain import explain
from computewatch.screening.index import ScreeningIndex
from computewatch.screening.index_cache import cached_index
from computewatch.screening.model import ListEntity, Match, Query
from computewatch.screening.scoring import PairScore, score_names
from computewatch.settings import ScreeningSettings

CANDIDATES_PER_QUERY: Final = 8
RESULT_CACHE: Final = 65536

# Query schemas that can be the same thing as a list entity of a given schema.
_PERSONS = {"Person"}
_ORGS = {"Company", "Organization", "LegalEntity", "PublicBody"}


def parent_and_unit(form: NameForm) -> tuple[NameForm, NameForm] | None:
    """'<listed institution><its unit>' -> (the institution's name, the unit's name), or None."""
    if len(form.slots) < 3 or form.slots[0].how != "glossary:institution":
        return None
    parent = NameForm(form.original, form.slots[:1], (), ())
    unit = NameForm(form.original, form.slots[1:], form.legal_forms, form.notes)
    return parent, unit


def schemas_compatible(query_schema: str, entity_schema: str) -> bool:
    if not query_schema or entity_schema == "LegalEntity" or query_schema == "LegalEntity":
        return True
    if query_schema in _PERSONS:
        return entity_schema in _PERSONS
    if query_schema in _ORGS:
        return entity_schema in _ORGS
    return query_schema == entity_schema


@dataclass
class _Best:
    score: float  # calibrated name score
    name: str
    pair: PairScore
    kind: str  # 'person' or 'organization'
    note: str = ""  # how the names met, when not as a whole


@mypyc_attr(native_class=False)
class Screener:
    def __init__(self, entities: list[ListEntity], settings: ScreeningSettings | None = None, home: Path | None = None):
        """`home`: a workspace folder to keep the list entries' name analyses in, so that the next
        index built there analyses only the entries it has not seen (screening/index_cache.py)."""
        self.settings = settings or ScreeningSettings()
        self.index = cached_index(entities, home) if home else ScreeningIndex(entities)

    def compare(self, query_name: str, list_name: str, schema: str = "") -> tuple[float, str]:
        """(score on the common scale, kind) of one name against one other name, with this
        index's word weights: for labelled name pairs and for callers that hold both names."""
        form = analyze_name(query_name)
        listed = analyze_name(list_name)
        kind = pair_kind(name_kind(form, schema), name_kind(listed, schema))
        best = 0.0
        # both ways round: each side's renderings against the other side's every alternative
        for one, other in ((form, listed), (listed, form)):
            for tokens, families in self.index.renderings(other, kind == "person"):
                pair = score_names(one, tokens, self.index.weight, self.index.places, families, person=kind == "person")
                best = max(best, pair.score)
        return calibrate(best, kind), kind

    def screen(self, query: Query) -> list[Match]:
        """Scored, explained matches for one query, best first (cached: batches repeat names)."""
        return list(self._screen(query.name, query.country, query.schema))

    @lru_cache(maxsize=RESULT_CACHE)  # noqa: B019 - one screener lives as long as its index
    def _screen(self, name: str, country: str, schema: str) -> tuple[Match, ...]:
        return tuple(self._screen_uncached(Query(name, country=country, schema=schema)))

    def _best_per_entity(self, form: NameForm, query_kind: str) -> dict[int, _Best]:
        """The best-scoring name of each candidate entity, on the common (calibrated) scale."""
        best: dict[int, _Best] = {}
        for ni in self.index.candidates(form, CANDIDATES_PER_QUERY):
            indexed = self.index.names[ni]
            kind = pair_kind(query_kind, indexed.kind)
            pair = score_names(
                form, indexed.tokens, self.index.weigh, self.index.places, indexed.families,
                person=kind == "person", person_weights=self.index.person_weigh,
            )  # fmt: skip
            score = calibrate(pair.score, kind)
            current = best.get(indexed.entity)
            if current is None or score > current.score:
                best[indexed.entity] = _Best(score, indexed.text, pair, kind)
        return best

    def _screen_uncached(self, query: Query) -> list[Match]:
        form = analyze_name(query.name)
        if not form.slots:
            return []
        query_kind = name_kind(form, query.schema, look_up_names=False)
        best = self._best_per_entity(form, query_kind)
        # 中国工程物理研究院流体物理研究所: a unit named after its listed parent institution is
        # the parent's when both the parent's name and the unit's meet names of that entity.
        split = parent_and_unit(form)
        if split is not None:
            parent, unit = (self._best_per_entity(f, query_kind) for f in split)
            for ei, u in unit.items():
                p = parent.get(ei)
                if p is not None and min(p.score, u.score) > (best[ei].score if ei in best else 0.0):
                    note = f"the unit's name met '{u.name}'; its parent institution met '{p.name}'"
                    best[ei] = _Best(min(p.score, u.score), u.name, u.pair, u.kind, note)
        matches: list[Match] = []
        s = self.settings
        for ei, b in best.items():
            entity = self.index.entities[ei]
            if not schemas_compatible(query.schema, entity.schema):
                continue
            country_effect = 0.0
            q_country = query.country.strip().lower()
            if q_country and entity.countries:
                country_effect = s.country_bonus if q_country in entity.countries else -s.country_penalty
            score = min(1.0, max(0.0, b.score + country_effect))
            if score < s.min_score:
                continue
            text, features = explain(query, form, b.name, b.pair, country_effect, entity, score, s.threshold, b.kind, b.score)
            if b.note:
                text = text.replace(" Score ", f" Read as a unit of a listed institution: {b.note}. Score ", 1)
                features["unit_of_parent"] = b.note
            matches.append(Match(entity, score, score >= s.threshold, text, features))
        matches.sort(key=lambda m: (-m.score, m.entity.id))
        return matches[: s.max_results]
