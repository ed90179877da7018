"""What a shipment carries, read from its free-text description and HS code.

Catalogue chips and systems come from the policy module (`find_chips_in_text`:
word boundaries, aliases, longest match). HS subheadings of interest and the
generic item classes a description claims ("graphics cards", "GPU server",
"computer parts") come from data/items.yaml. A server naming a chip and a count
("8x H100", "8-GPU") carries that many accelerators per unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from computewatch.policy import catalogue, find_chips_in_text
from computewatch.shipments.reference import reference

DEFAULT_GPUS_PER_SERVER = 8  # a GPU server that names its chip but not how many: the usual HGX board
SERVER_CLASSES = ("gpu_server", "server")
_HS = re.compile(r"(?<!\d)(84\s?7\s?1|84\s?7\s?3|85\s?4\s?2)[\s.]?(\d\d)(?:[\s.]?\d{2,4}){0,2}(?!\d)")
_COUNT_BEFORE = re.compile(r"(\d{1,2})\s*(?:x|×|\*|pcs|units?|nos)?\s*(?:of\s+)?(?:nvidia\s+|amd\s+)?$")
_GPU_COUNT = re.compile(r"(?<![\d.])(\d{1,2})\s*[-\s]?(?:x\s*)?(?:gpus?|cards?|卡)(?![a-z])")


@dataclass(frozen=True, eq=False)
class ItemReading:
    """The items a description names, as recognised (one object per distinct description: compared by identity)."""

    chips: tuple[str, ...]  # catalogue chips (kind ic), canonical names, in order of mention
    systems: tuple[str, ...]  # catalogue systems (DGX-H100...)
    classes: tuple[str, ...]  # item classes the description claims (graphics_card, gpu_server...)
    hs_codes: tuple[str, ...]  # HS subheadings of interest ("8471.50")
    per_unit: int  # accelerators per unit of quantity
    mentions: tuple[str, ...]  # the text that named each chip or system, as written

    @cached_property
    def of_interest(self) -> bool:
        return bool(self.chips or self.systems or self.hs_codes or set(self.classes) & {"gpu_server", "accelerator_card", "graphics_card"})

    @cached_property
    def is_server(self) -> bool:
        return bool(self.systems) or bool(set(self.classes) & set(SERVER_CLASSES)) or "8471.50" in self.hs_codes

    @property
    def priced_item(self) -> str | None:
        """The catalogue item one unit of quantity is: a system, else the first chip named."""
        if self.systems:
            return self.systems[0]
        return self.chips[0] if self.chips else None

    def describe(self) -> str:
        return _describe(self)


@lru_cache(maxsize=4096)
def _describe(reading: ItemReading) -> str:
    parts = []
    if reading.systems:
        parts.append(", ".join(reading.systems))
    if reading.chips:
        what = ", ".join(reading.chips)
        parts.append(f"servers with {reading.per_unit} x {what}" if reading.is_server and not reading.systems else what)
    if reading.classes and not parts:
        titles = {c.id: c.title for c in reference().items.classes}
        parts.append(", ".join(titles.get(c, c) for c in reading.classes))
    if reading.hs_codes:
        parts.append("HS " + ", ".join(reading.hs_codes))
    return "; ".join(parts) or "no advanced computing item"


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def word_pattern(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """ASCII words must stand alone (no letter or digit touching); CJK words match anywhere."""
    parts = []
    for w in sorted({fold(w) for w in words}, key=len, reverse=True):
        body = r"[\s\-_]*".join(re.escape(p) for p in w.split())
        parts.append(rf"(?<![a-z0-9]){body}(?![a-z0-9])" if w.isascii() else body)
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _class_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c.id, word_pattern(c.words)) for c in reference().items.classes)


def hs_codes_in(text: str) -> tuple[str, ...]:
    codes = reference().items.hs_codes.codes
    found = []
    for m in _HS.finditer(text):
        code = "".join(m.group(1).split()) + "." + m.group(2)
        if code in codes and code not in found:
            found.append(code)
    return tuple(found)


def _count_for(folded: str, start: int) -> int | None:
    m = _COUNT_BEFORE.search(folded[max(0, start - 24) : start])
    if m and 1 < int(m.group(1)) <= 16:
        return int(m.group(1))
    return None


@lru_cache(maxsize=200_000)
def recognise(description: str, hs_code: str = "") -> ItemReading:
    """Read a description (and the declared HS code, if any); cached, descriptions repeat."""
    folded = fold(description)
    cat = catalogue()
    chips: list[str] = []
    systems: list[str] = []
    mentions: list[str] = []
    count: int | None = None
    for m in find_chips_in_text(description, include_vendors=False):
        acc = cat.accelerators[m.name]
        target = systems if acc.kind == "system" else chips if acc.kind == "ic" else None
        if target is None or m.name in target:
            continue
        target.append(m.name)
        mentions.append(m.text)
        if acc.kind == "ic" and count is None:
            count = _count_for(folded, m.start)
    classes = [cid for cid, pat in _class_patterns() if pat.search(folded)]
    if "gpu_server" in classes and "server" in classes:
        classes.remove("server")
    hs = tuple(dict.fromkeys(hs_codes_in(hs_code) + hs_codes_in(folded)))
    reading = ItemReading(tuple(chips), tuple(systems), tuple(classes), hs, 1, tuple(mentions))
    if systems:
        contains = cat.accelerators[systems[0]].contains
        per_unit = contains.count if contains else 1
    elif chips and reading.is_server:
        if count is None and (g := _GPU_COUNT.search(folded)) and 1 < int(g.group(1)) <= 16:
            count = int(g.group(1))
        per_unit = count or DEFAULT_GPUS_PER_SERVER
    else:
        per_unit = 1
    return ItemReading(tuple(chips), tuple(systems), tuple(classes), hs, per_unit, tuple(mentions))
