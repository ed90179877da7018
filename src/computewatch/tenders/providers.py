"""Cloud, model and accelerator providers named in notices, from `data/providers.yaml`.

The data file says who each provider is (country, kind, aliases, GPU instance
families, where its model service is not offered) with a source per entry; this
module loads it once and finds the providers a line of text names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from computewatch.errors import InputError, InputProblem

Kind = Literal["cloud", "model", "chip"]
KINDS = ("cloud", "model", "chip")
TREATED_AS = {"HK": "CN", "MO": "CN"}  # as in the EAR, for "is this provider foreign here?"


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    country: str
    kind: Kind
    aliases: tuple[str, ...]
    source: str
    gpu_instances: dict[str, str] = field(default_factory=dict, hash=False)
    not_offered_in: tuple[str, ...] = ()

    def foreign_to(self, destination: str) -> bool:
        return TREATED_AS.get(self.country, self.country) != TREATED_AS.get(destination, destination)

    def offered_in(self, destination: str) -> bool:
        return destination not in self.not_offered_in


@dataclass(frozen=True)
class ProviderMention:
    provider: Provider
    text: str
    start: int
    end: int
    instance_chip: str | None = None  # catalogue chip carried by a named GPU instance family


@dataclass(frozen=True)
class ProviderBook:
    providers: tuple[Provider, ...]
    context: dict[str, tuple[str, ...]]
    source: Path
    _alias_re: re.Pattern[str]
    _by_alias: dict[str, Provider]
    _instance_re: re.Pattern[str] | None
    _by_instance: dict[str, tuple[Provider, str]]
    _context_re: dict[str, re.Pattern[str]]

    def find(self, text: str) -> list[ProviderMention]:
        """Providers named in the text (longest alias wins), plus GPU instance families."""
        folded = fold(text)
        found = [
            ProviderMention(self._by_alias[_squash(m.group(0))], text[m.start() : m.end()], m.start(), m.end())
            for m in self._alias_re.finditer(folded)
        ]
        if self._instance_re is not None:
            for m in self._instance_re.finditer(folded):
                provider, chip = self._by_instance[_squash(m.group(0))]
                found.append(ProviderMention(provider, text[m.start() : m.end()], m.start(), m.end(), chip))
        return sorted(found, key=lambda p: p.start)

    def has(self, context: str, text: str) -> bool:
        """Whether a `context` word list (compute, instrument, tokens, gpu_hours, model_access, reference) occurs in the text."""
        return self._context_re[context].search(fold(text)) is not None


def fold(text: str) -> str:
    """NFKC + casefold; keeps offsets for the ASCII and Han text notices are made of."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if len(folded) == len(text) else "".join(_fold_char(c) for c in text)


def _fold_char(ch: str) -> str:
    f = unicodedata.normalize("NFKC", ch).casefold()
    return f if len(f) == 1 else ch


def _squash(text: str) -> str:
    return re.sub(r"[\s\-_.]+", "", text)


def _fast_regex(words: list[str]) -> re.Pattern[str]:
    """_word_regex, arranged so the regex engine rejects most positions at once: Han words
    in one alternation, ASCII words behind a lookahead on their first letters."""
    han = [w for w in words if not w[:1].isascii()]
    ascii_words = [w for w in words if w[:1].isascii()]
    parts = []
    if han:
        parts.append(_word_regex(han))
    if ascii_words:
        first = "".join(sorted({re.escape(fold(w)[0]) for w in ascii_words}))
        parts.append(rf"(?<![a-z0-9])(?=[{first}])(?:{_word_regex(ascii_words)})")
    return re.compile("|".join(parts) or r"(?!x)x")


def _word_regex(words: list[str]) -> str:
    """An alternation that keeps ASCII words whole and lets separators vary."""
    parts = []
    for w in sorted({fold(w) for w in words}, key=len, reverse=True):
        body = r"[\s\-_]*".join(re.escape(p) for p in re.split(r"[\s\-_]+", w) if p)
        head = r"(?<![a-z0-9])" if w[0].isascii() and w[0].isalnum() else ""
        tail = r"(?![a-z0-9])" if w[-1].isascii() and w[-1].isalnum() else ""
        parts.append(head + body + tail)
    return "|".join(parts)


def _instance_regex(names: list[str]) -> str:
    parts = []
    for n in sorted(names, key=len, reverse=True):
        parts.append(r"[\s\-_.]*".join(re.escape(p) for p in re.split(r"[\s\-_.]+", fold(n)) if p))
    first = "".join(sorted({re.escape(fold(n)[0]) for n in names}))
    # p4d.24xlarge: a digit may follow the family name, a letter may not
    return rf"(?<![a-z0-9])(?=[{first}])(?:{'|'.join(parts)})(?![a-z])"


def _problem(path: Path, where: str, reason: str) -> InputProblem:
    return InputProblem(str(path), None, where, reason)


def _parse(raw: Any, path: Path) -> ProviderBook:
    problems: list[InputProblem] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("providers"), list):
        raise InputError(path, None, "providers", "the file needs a 'providers' list")
    providers: list[Provider] = []
    seen: set[str] = set()
    by_alias: dict[str, Provider] = {}
    by_instance: dict[str, tuple[Provider, str]] = {}
    for i, entry in enumerate(raw["providers"]):
        where = f"providers[{i}]"
        missing = [k for k in ("id", "name", "country", "kind", "aliases", "source") if not entry.get(k)]
        if missing:
            problems.append(_problem(path, where, f"missing {', '.join(missing)}"))
            continue
        if entry["id"] in seen:
            problems.append(_problem(path, where, f"duplicate id {entry['id']!r}"))
        if entry["kind"] not in KINDS:
            problems.append(_problem(path, where, f"kind must be one of {', '.join(KINDS)}"))
        seen.add(entry["id"])
        p = Provider(
            id=entry["id"], name=entry["name"], country=str(entry["country"]).upper(), kind=entry["kind"],
            aliases=tuple(str(a) for a in entry["aliases"]), source=str(entry["source"]),
            gpu_instances={str(k): str(v) for k, v in (entry.get("gpu_instances") or {}).items()},
            not_offered_in=tuple(str(c).upper() for c in entry.get("not_offered_in") or ()),
        )
        providers.append(p)
        for alias in p.aliases:
            key = _squash(fold(alias))
            if key in by_alias and by_alias[key].id != p.id:
                problems.append(_problem(path, where, f"alias {alias!r} also belongs to {by_alias[key].id}"))
            by_alias[key] = p
        for family, chip in p.gpu_instances.items():
            by_instance[_squash(fold(family))] = (p, chip)
    if problems:
        raise InputError.many(problems)
    context = {k: tuple(str(w) for w in v) for k, v in (raw.get("context") or {}).items()}
    for needed in ("compute", "instrument", "tokens", "gpu_hours", "model_access", "reference"):
        context.setdefault(needed, ())
    return ProviderBook(
        providers=tuple(providers),
        context=context,
        source=path,
        _alias_re=_fast_regex([a for p in providers for a in p.aliases]),
        _by_alias=by_alias,
        _instance_re=re.compile(_instance_regex([f for p in providers for f in p.gpu_instances])) if by_instance else None,
        _by_instance=by_instance,
        _context_re={k: _fast_regex(list(v)) for k, v in context.items()},
    )


def default_providers_file() -> Path:
    return Path(__file__).with_name("data") / "providers.yaml"


@lru_cache(maxsize=4)
def provider_book(path: Path | None = None) -> ProviderBook:
    """The providers data file, loaded and checked once; every problem is reported with its entry."""
    path = path or default_providers_file()
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return _parse(raw, path)
