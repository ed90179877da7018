"""Performance metrics of 3A090: total processing performance, densities.

``Specs`` is what classification needs to know about one item, whether it
comes from the catalogue or from a user's ``--tpp N --die-area MM2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ItemKind = Literal["ic", "system", "memory"]


class Specs(BaseModel):
    """The facts about an item that the rules test. Bandwidths in GB/s, area in mm2."""

    model_config = ConfigDict(frozen=True)

    name: str = "custom"
    kind: ItemKind = "ic"
    vendor: str | None = None
    tpp: float | None = Field(default=None, ge=0)
    tpp_precision: str | None = None
    die_area_mm2: float | None = Field(default=None, gt=0)
    memory_bandwidth_gbs: float | None = Field(default=None, ge=0)
    interconnect_gbs: float | None = Field(default=None, ge=0)
    datacenter: bool = True
    subject_to_ear: bool = True
    contains: str | None = None
    count: int = Field(default=1, ge=1)

    @property
    def performance_density(self) -> float | None:
        return performance_density(self.tpp, self.die_area_mm2)

    @property
    def memory_bandwidth_density(self) -> float | None:
        if self.kind != "memory":
            return None
        return density(self.memory_bandwidth_gbs, self.die_area_mm2)

    def facts(self) -> dict[str, Any]:
        """The named facts rule conditions refer to (see policy/conditions.py)."""
        return {
            "chip": self.contains or self.name,
            "item": self.name,
            "kind": self.kind,
            "vendor": self.vendor,
            "tpp": self.tpp,
            "performance_density": self.performance_density,
            "memory_bandwidth_gbs": self.memory_bandwidth_gbs,
            "memory_bandwidth_density": self.memory_bandwidth_density,
            "interconnect_gbs": self.interconnect_gbs,
            "datacenter": self.datacenter,
            "subject_to_ear": self.subject_to_ear,
        }


def total_processing_performance(
    dense_tops: Mapping[str, float], bit_lengths: Mapping[str, int]
) -> tuple[float, str] | None:
    """TPP = dense TOPS (a MAC counting 2) x bit length, at the precision giving the highest value.

    Returns (tpp, precision), or None when no rates are known.
    """
    best: tuple[float, str] | None = None
    for precision, tops in dense_tops.items():
        value = tops * bit_lengths[precision]
        if best is None or value > best[0]:
            best = (value, precision)
    return best


def density(value: float | None, area_mm2: float | None) -> float | None:
    if value is None or area_mm2 is None or area_mm2 <= 0:
        return None
    return value / area_mm2


def performance_density(tpp: float | None, die_area_mm2: float | None) -> float | None:
    """PD = TPP / applicable die area in mm2; None when either is unknown."""
    return density(tpp, die_area_mm2)
