"""The accelerator catalogue (data/accelerators.yaml): chips, systems, HBM, vendors, aliases."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from computewatch.errors import InputProblem, NotFound
from computewatch.policy.countries import is_country_code
from computewatch.policy.datafile import build_records, data_path, raise_if, read_yaml
from computewatch.policy.names import name_key
from computewatch.policy.performance import ItemKind, Specs, total_processing_performance

FIGURES = ("dense_tops", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_gbs", "contains")


class UnknownChip(NotFound):
    """A chip name not in the catalogue; a usage error at the command line (exit 2)."""

    exit_code = 2


class Contains(BaseModel):
    model_config = ConfigDict(extra="forbid")
    chip: str
    count: int = Field(ge=1)


class Accelerator(BaseModel):
    """One catalogue entry, as written in accelerators.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    vendor: str
    origin_country: str
    kind: ItemKind
    datacenter: bool
    subject_to_ear: bool = True
    aliases: list[str] = Field(default_factory=list)
    weak_aliases: list[str] = Field(default_factory=list)
    dense_tops: dict[str, float] = Field(default_factory=dict)
    die_area_mm2: float | None = Field(None, gt=0)
    memory_bandwidth_gbs: float | None = Field(None, ge=0)
    interconnect_gbs: float | None = Field(None, ge=0)
    contains: Contains | None = None
    estimated: list[str] = Field(default_factory=list)
    sources: dict[str, str]
    line: int | None = Field(None, exclude=True)

    def figures(self) -> list[str]:
        """Names of the figures this entry gives (each must have a source)."""
        return [f for f in FIGURES if getattr(self, f) not in (None, {}, [])]


class Vendor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    country: str
    aliases: list[str]
    line: int | None = Field(None, exclude=True)


@dataclass(frozen=True)
class Catalogue:
    accelerators: dict[str, Accelerator]
    vendors: dict[str, Vendor]
    bit_lengths: dict[str, int]
    training_precision: str
    text_context: tuple[str, ...]
    by_key: dict[str, str]  # name_key(name or alias) -> canonical name
    source: Path

    def get(self, name: str) -> Accelerator | None:
        canonical = self.by_key.get(name_key(name))
        return self.accelerators.get(canonical) if canonical else None

    def specs(self, acc: Accelerator) -> Specs:
        """The classification facts of an entry; a system takes those of the chip it contains."""
        if acc.contains is not None:
            inner = self.specs(self.accelerators[acc.contains.chip])
            return inner.model_copy(
                update={"name": acc.name, "kind": "system", "contains": inner.name, "count": acc.contains.count}
            )
        best = total_processing_performance(acc.dense_tops, self.bit_lengths)
        return Specs(
            name=acc.name,
            kind=acc.kind,
            vendor=acc.vendor,
            tpp=best[0] if best else None,
            tpp_precision=best[1] if best else None,
            die_area_mm2=acc.die_area_mm2,
            memory_bandwidth_gbs=acc.memory_bandwidth_gbs,
            interconnect_gbs=acc.interconnect_gbs,
            datacenter=acc.datacenter,
            subject_to_ear=acc.subject_to_ear,
        )

    def closest(self, name: str, limit: int = 5) -> list[str]:
        """Canonical names whose name or alias is closest to ``name``."""
        keys = list(self.by_key)
        hits = process.extract(name_key(name), keys, scorer=fuzz.WRatio, limit=limit * 4)
        out: list[str] = []
        for key, _score, _ in hits:
            canonical = self.by_key[key]
            if canonical not in out:
                out.append(canonical)
        return out[:limit]


def find_chip(name: str) -> Accelerator:
    """Catalogue entry for a name or alias (case, width and separators ignored).

    Raises UnknownChip, listing the closest catalogue names.
    """
    cat = catalogue()
    acc = cat.get(name)
    if acc is None:
        raise UnknownChip("chip", name, cat.closest(name))
    return acc


@lru_cache(maxsize=4)
def catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate the catalogue once (the bundled file unless a path is given)."""
    path = path or data_path("accelerators.yaml")
    raw = read_yaml(path)
    problems: list[InputProblem] = []
    if not isinstance(raw, dict):
        raise_if([InputProblem(str(path), None, None, "expected a mapping at top level")])
    bit_lengths = {str(k): int(v) for k, v in (raw.get("precisions") or {}).items()}
    vendors = build_records(path, raw.get("vendors"), Vendor, "name", "vendors", problems)
    accs = build_records(path, raw.get("accelerators"), Accelerator, "name", "accelerators", problems)
    cat = Catalogue(
        accelerators={a.name: a for a in accs},
        vendors={v.name: v for v in vendors},
        bit_lengths=bit_lengths,
        training_precision=str(raw.get("training_precision", "")),
        text_context=tuple(str(w) for w in raw.get("text_context") or ()),
        by_key={},
        source=path,
    )
    problems.extend(_check(cat, path))
    raise_if(problems)
    return cat


def _check(cat: Catalogue, path: Path) -> list[InputProblem]:
    problems: list[InputProblem] = []

    def problem(line: int | None, field: str, reason: str) -> None:
        problems.append(InputProblem(str(path), line, field, reason))

    if cat.training_precision not in cat.bit_lengths:
        problem(None, "training_precision", f"{cat.training_precision!r} is not one of the precisions")
    for v in cat.vendors.values():
        if not is_country_code(v.country):
            problem(v.line, f"{v.name}: country", f"{v.country!r} is not an ISO 3166-1 alpha-2 code")
    for acc in cat.accelerators.values():
        where = acc.name
        if acc.vendor not in cat.vendors:
            problem(acc.line, f"{where}: vendor", f"unknown vendor {acc.vendor!r}; add it under vendors")
        if not is_country_code(acc.origin_country):
            problem(acc.line, f"{where}: origin_country", f"{acc.origin_country!r} is not an ISO 3166-1 alpha-2 code")
        for precision in acc.dense_tops:
            if precision not in cat.bit_lengths:
                problem(acc.line, f"{where}: dense_tops.{precision}", "unknown precision; add it to precisions")
        for fig in acc.figures():
            if fig not in acc.sources:
                problem(acc.line, f"{where}: sources.{fig}", "every figure needs a source")
        for fig in acc.estimated:
            if fig not in FIGURES:
                problem(acc.line, f"{where}: estimated", f"{fig!r} is not a figure")
        if acc.kind == "system":
            if acc.contains is None:
                problem(acc.line, f"{where}: contains", "a system must name the chip it contains")
            elif acc.contains.chip not in cat.accelerators:
                problem(acc.line, f"{where}: contains.chip", f"unknown chip {acc.contains.chip!r}")
        elif acc.kind == "ic" and not acc.dense_tops:
            problem(acc.line, f"{where}: dense_tops", "an ic needs dense TOPS for at least one precision")
        elif acc.kind == "memory" and acc.memory_bandwidth_gbs is None:
            problem(acc.line, f"{where}: memory_bandwidth_gbs", "a memory item needs its bandwidth")
        for alias in [acc.name, *acc.aliases, *acc.weak_aliases]:
            key = name_key(alias)
            other = cat.by_key.get(key)
            if other is not None and other != acc.name:
                problem(acc.line, f"{where}: aliases", f"{alias!r} already names {other}")
            cat.by_key[key] = acc.name
    return problems


def vendor_of(name: str) -> Vendor | None:
    """Vendor for a vendor name or alias ('英伟达' -> NVIDIA)."""
    key = name_key(name)
    for vendor in catalogue().vendors.values():
        if key in {name_key(a) for a in [vendor.name, *vendor.aliases]}:
            return vendor
    return None


def describe(acc: Accelerator) -> dict[str, Any]:
    """A catalogue entry as plain data with its derived TPP and PD (for reports and --json)."""
    specs = catalogue().specs(acc)
    return {
        **acc.model_dump(exclude_none=True),
        "tpp": specs.tpp,
        "tpp_precision": specs.tpp_precision,
        "performance_density": specs.performance_density,
    }
