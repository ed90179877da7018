"""People's names: titles, particles, patronymics, how common a part is, name variants.

A person's name is a bag of parts (given, middle or patronymic, family) that lists
write in any order. Two parts are the same name when they are spelt alike, when they
are spelling variants (`spelling.spelling_key`), or when rigour's person-name data
(drawn from Wikidata) files them under the same name: Алексей, Alexey and Aleksei;
محمد, Mohammed and Muhammad.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from computewatch.names.spelling import spelling_key


@dataclass(frozen=True)
class PersonWords:
    titles: frozenset[str]
    particles: frozenset[str]
    patronymic_endings: tuple[str, ...]
    common_family_names: frozenset[str]  # spelling keys
    korean_surnames: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def person_words() -> PersonWords:
    text = (resources.files("computewatch.names") / "data" / "person_names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    common = {spelling_key(str(n)) for names in data["common_family_names"].values() for n in names}
    return PersonWords(
        titles=frozenset(str(t) for t in data["titles"]),
        particles=frozenset(str(p) for p in data["particles"]),
        patronymic_endings=tuple(sorted((str(e) for e in data["patronymic_endings"]), key=len, reverse=True)),
        common_family_names=frozenset(common),
        korean_surnames={str(k): tuple(str(v) for v in vs) for k, vs in data["korean_surnames"].items()},
    )


def is_title(token: str) -> bool:
    return token in person_words().titles


def is_patronymic(token: str) -> bool:
    """'petrovich', 'ivanovna', 'ogly': a father's name as a middle part."""
    return len(token) >= 6 and token.endswith(person_words().patronymic_endings)


def is_common_name(token: str) -> bool:
    """Family names that very many people share (Wang, Li, Ivanov, Mohammed, Kim)."""
    return spelling_key(token) in person_words().common_family_names


@lru_cache(maxsize=131072)
def name_symbols(token: str) -> frozenset[str]:
    """rigour's person-name identifiers for one name part ('alexey' -> {'Q29014670', ...}); empty if unknown."""
    if len(token) < 2 or not token.isalpha():
        return frozenset()
    from rigour.names import NameTypeTag, analyze_names

    found: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [token], consolidate=False, phonetics=False, numerics=False, rewrite=False):
        for span in name.spans:
            if span.symbol.category.value == "NAME" and len(span.parts) == 1:
                found.add(span.symbol.id)
    return frozenset(found)


def korean_surname(syllables: str) -> tuple[str, ...] | None:
    """Romanisations of a Korean family name in Hangul (김 -> kim, gim), or None."""
    return person_words().korean_surnames.get(syllables)
