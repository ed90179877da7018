"""Market price bands (data/items.yaml) for what a shipment carries, and what a unit value looks like."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from computewatch.policy import catalogue
from computewatch.shipments.items import ItemReading
from computewatch.shipments.reference import reference


@dataclass(frozen=True)
class Band:
    what: str  # 'H100-SXM', 'server with 8 x H100-SXM', 'graphics cards'
    low: float
    high: float
    source: str

    def text(self) -> str:
        return _band_text(self)

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@lru_cache(maxsize=4096)
def _band_text(band: Band) -> str:
    return f"{band.what}: USD {band.low:,.0f}-{band.high:,.0f} per unit"


@lru_cache(maxsize=4096)
def item_band(reading: ItemReading) -> Band | None:
    """The market band of one unit of what the description names, or None when it names no priced item."""
    ref = reference()
    if reading.systems and reading.systems[0] in ref.prices:
        s = ref.prices[reading.systems[0]]
        return Band(s.item, s.band_usd[0], s.band_usd[1], s.source)
    for chip in reading.chips:
        p = ref.prices.get(chip)
        if p is None:
            continue
        if reading.is_server:
            lo, hi = ref.items.server_markup
            n = reading.per_unit
            return Band(f"server with {n} x {chip}", p.band_usd[0] * n * lo, p.band_usd[1] * n * hi,
                        f"{p.source}; x {n} per server x {lo:g}-{hi:g} ({ref.items.server_markup_source})")  # fmt: skip
        return Band(p.item, p.band_usd[0], p.band_usd[1], p.source)
    return None


@lru_cache(maxsize=4096)
def class_bands(reading: ItemReading) -> tuple[Band, ...]:
    """Bands of the generic classes the description claims (graphics cards, computer parts...)."""
    by_id = {c.id: c for c in reference().items.classes}
    return tuple(Band(by_id[c].title, by_id[c].band_usd[0], by_id[c].band_usd[1], by_id[c].source) for c in reading.classes)


@lru_cache(maxsize=1)
def datacenter_bands() -> tuple[tuple[str, Band], ...]:
    """(catalogue name, band) of every priced datacenter item, systems included."""
    cat = catalogue()
    out = []
    for name, p in reference().prices.items():
        acc = cat.accelerators.get(name)
        if acc is not None and acc.datacenter:
            out.append((name, Band(name, p.band_usd[0], p.band_usd[1], p.source)))
    return tuple(out)


def priced_like(value: float, controlled: Callable[[str], bool]) -> list[Band]:
    """Datacenter items (that `controlled` accepts) whose band holds the unit value."""
    return [band for name, band in datacenter_bands() if controlled(name) and band.contains(value)]
