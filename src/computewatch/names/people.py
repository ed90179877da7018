"""People's names: titles, particles, patronymics, how common a part is, name variants.

A person's name is a bag of parts (given, middle or patronymic, family) that lists
write in any order. Two parts are the same name when they are spelt alike, when they
are spelling variants (`spelling.spelling_key`: Alexey / Aleksei), or when they are
forms of one given name in different languages (data/person_names.yaml: Oleksandr /
Aleksandr, Mohammed / Muhammad).

(rigour's person-name tagger, drawn from Wikidata, does the last job for far more
names, but loading it costs about 300 MB and many seconds in every process, and
every lookup of an unseen word a rigour call: it made screening 30% slower. The
table here covers the common names of the lists' languages at no cost.)
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
    dotted_titles: frozenset[str]  # titles only with their dot: 'Gen.', 'Col.'
    particles: frozenset[str]
    patronymic_endings: tuple[str, ...]
    common_family_names: frozenset[str]  # spelling keys
    korean_surnames: dict[str, tuple[str, ...]]
    name_groups: dict[str, frozenset[str]]  # spelling key -> groups of one given name


@lru_cache(maxsize=1)
def person_words() -> PersonWords:
    text = (resources.files("computewatch.names") / "data" / "person_names.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - the C SafeLoader, when libyaml is there
    common = {_key(str(n)) for names in data["common_family_names"].values() for n in names}
    return PersonWords(
        titles=frozenset(str(t) for t in data["titles"]),
        dotted_titles=frozenset(str(t) for t in data["dotted_titles"]),
        particles=frozenset(str(p) for p in data["particles"]),
        patronymic_endings=tuple(sorted((str(e) for e in data["patronymic_endings"]), key=len, reverse=True)),
        common_family_names=frozenset(common),
        korean_surnames={str(k): tuple(str(v) for v in vs) for k, vs in data["korean_surnames"].items()},
        # Korean family names are one name in each of their romanisations (Choi / Choe, Park / Bak)
        name_groups=_groups(data["given_name_groups"] + [[r for r in rs if len(r) >= 2] for rs in data["korean_surnames"].values()]),
    )


def _key(name: str) -> str:
    """A table's name as the token analysis makes of it (folded, plural-like endings cut), keyed by spelling."""
    from computewatch.names.latin import latin_token

    tokens = latin_token(name.lower())
    return spelling_key(tokens[0] if tokens else name)


def _groups(groups: list[list[str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for gi, names in enumerate(groups):
        for name in names:
            found.setdefault(_key(str(name)), set()).add(f"given-name-{gi}")
    return {k: frozenset(v) for k, v in found.items()}


def is_title(token: str) -> bool:
    return token in person_words().titles


def is_title_word(word: str) -> bool:
    """A word as written that is a title: 'Mr', 'Dr.', 'Sheikh', or a rank with its dot ('Gen.')."""
    bare = word.strip(".,").casefold()
    return is_title(bare) or (word.endswith(".") and bare in person_words().dotted_titles)


def is_patronymic(token: str) -> bool:
    """'petrovich', 'ivanovna', 'ogly': a father's name as a middle part."""
    return len(token) >= 6 and token.endswith(person_words().patronymic_endings)


def is_common_name(token: str) -> bool:
    """Family names that very many people share (Wang, Li, Ivanov, Mohammed, Kim)."""
    return spelling_key(token) in person_words().common_family_names


def name_groups(token: str) -> frozenset[str]:
    """The given-name groups a name part belongs to ('oleksandr' and 'alexander' share one); empty if none."""
    return person_words().name_groups.get(spelling_key(token), frozenset())


def is_known_name(token: str) -> bool:
    """A given name of the table or a common family name."""
    return bool(name_groups(token)) or is_common_name(token)


def korean_surname(syllables: str) -> tuple[str, ...] | None:
    """Romanisations of a Korean family name in Hangul (김 -> kim, gim), or None."""
    return person_words().korean_surnames.get(syllables)
