"""The data behind shipment screening (data/red_flags.yaml, data/items.yaml), validated on load, once.

Every problem of a data file is collected and reported together, by file and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from computewatch.errors import InputError, InputProblem


class _Strict(BaseModel):
    """A reference-file record: unknown keys are mistakes, and nothing changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FlagSource(_Strict):
    key: str
    says: str


class FlagSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    weight: float = Field(gt=0, le=1)
    mitigable: bool
    # a corroborating flag weighs only alongside a flag that is not: alone it is shown, with weight 0
    corroborating: bool = False
    sources: list[FlagSource] = Field(min_length=1)


class WordList(_Strict):
    source: str
    words: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    commercial_words: list[str] = Field(default_factory=list)


class RedFlagFile(_Strict):
    sources: dict[str, str]
    flags: list[FlagSpec]
    transshipment_hubs: WordList
    freight_forwarder_words: WordList
    residential_words: WordList


class HsCode(_Strict):
    title: str
    kind: str


class HsCodes(_Strict):
    source: str
    codes: dict[str, HsCode]


class ItemClass(_Strict):
    id: str
    title: str
    words: list[str] = Field(min_length=1)
    band_usd: tuple[float, float]
    source: str


class PriceBand(_Strict):
    item: str
    band_usd: tuple[float, float]
    source: str


class ItemsFile(_Strict):
    hs_codes: HsCodes
    server_markup: tuple[float, float]
    server_markup_source: str
    classes: list[ItemClass]
    prices: list[PriceBand]


@dataclass(frozen=True, eq=False)
class Reference:
    flags: dict[str, FlagSpec]
    sources: dict[str, str]
    hubs: frozenset[str]
    hubs_source: str
    forwarder: WordList
    residential: WordList
    items: ItemsFile
    prices: dict[str, PriceBand]

    def source_text(self, flag_id: str) -> str:
        """'BIS, ... 2025-05-13: "first-time customers..."; 15 CFR Part 732, Supplement No. 3: "..."'."""
        return _source_text(self, flag_id)


@lru_cache(maxsize=256)
def _source_text(ref: Reference, flag_id: str) -> str:
    return "; ".join(f"{ref.sources[s.key]}: \"{s.says}\"" for s in ref.flags[flag_id].sources)


def data_file(name: str) -> Path:
    return Path(str(resources.files("computewatch.shipments").joinpath("data", name)))


def _read(path: Path, model: type[BaseModel], problems: list[InputProblem]) -> Any:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
        return model.model_validate(raw)
    except yaml.YAMLError as exc:
        problems.append(InputProblem(str(path), None, None, f"not valid YAML: {exc}"))
    except ValidationError as exc:
        for e in exc.errors():
            problems.append(InputProblem(str(path), None, ".".join(str(p) for p in e["loc"]), e["msg"]))
    return None


def _check(flags: RedFlagFile, items: ItemsFile, flags_path: Path, items_path: Path) -> list[InputProblem]:
    from computewatch.policy import catalogue

    problems = []
    ids = [f.id for f in flags.flags]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(InputProblem(str(flags_path), None, "flags", f"duplicate flag id {dup!r}"))
    for f in flags.flags:
        for s in f.sources:
            if s.key not in flags.sources:
                problems.append(InputProblem(str(flags_path), None, f"flags.{f.id}.sources", f"unknown source {s.key!r}"))
    known = catalogue().accelerators
    for p in items.prices:
        if p.item not in known:
            problems.append(InputProblem(str(items_path), None, "prices", f"{p.item!r} is not a catalogue name"))
        if not 0 < p.band_usd[0] <= p.band_usd[1]:
            problems.append(InputProblem(str(items_path), None, f"prices.{p.item}", "band must be 0 < low <= high"))
    for c in items.classes:
        if not 0 < c.band_usd[0] <= c.band_usd[1]:
            problems.append(InputProblem(str(items_path), None, f"classes.{c.id}", "band must be 0 < low <= high"))
    return problems


@lru_cache(maxsize=4)
def reference(flags_path: Path | None = None, items_path: Path | None = None) -> Reference:
    """Load and check both data files; raise InputError naming every problem."""
    flags_path = flags_path or data_file("red_flags.yaml")
    items_path = items_path or data_file("items.yaml")
    problems: list[InputProblem] = []
    flags: RedFlagFile | None = _read(flags_path, RedFlagFile, problems)
    items: ItemsFile | None = _read(items_path, ItemsFile, problems)
    if flags is not None and items is not None:
        problems += _check(flags, items, flags_path, items_path)
    if problems or flags is None or items is None:
        raise InputError.many(problems)
    return Reference(
        flags={f.id: f for f in flags.flags},
        sources=dict(flags.sources),
        hubs=frozenset(c.upper() for c in flags.transshipment_hubs.countries),
        hubs_source=flags.transshipment_hubs.source,
        forwarder=flags.freight_forwarder_words,
        residential=flags.residential_words,
        items=items,
        prices={p.item: p for p in items.prices},
    )
