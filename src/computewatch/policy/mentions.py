"""Finding catalogue chips and vendors named in free text (tenders, shipment descriptions).

Matching is case- and width-insensitive (full-width "Ａ１００" matches), separators
between letters and digits are optional ("H100SXM", "H100-SXM"), and a name must
stand alone: no ASCII letter or digit may touch it on either side, so an
instrument code "XA1001" or a part number "A1000" is not an A100. Chinese text
needs no spaces ("采购A100服务器" matches). The longest name wins where names
overlap ("RTX 4090D" is a 4090D, not a 4090). Weak aliases (short names such as
"L4") count only with a context word (GPU, 显卡, NVIDIA...) nearby.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from computewatch.policy.catalogue import catalogue

CONTEXT_WINDOW = 40  # characters either side of a weak alias searched for a context word


@dataclass(frozen=True)
class ChipMention:
    """A catalogue chip (or a vendor) named in a text, with where and how it was named."""

    kind: Literal["chip", "vendor"]
    name: str  # canonical catalogue or vendor name
    vendor: str
    text: str  # the matched text as written
    alias: str  # the catalogue alias that matched
    start: int
    end: int


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    kind: Literal["chip", "vendor"]
    name: str
    vendor: str
    alias: str
    weak: bool


def _fold(text: str) -> str:
    """NFKC + casefold character by character, keeping offsets aligned with the input."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).casefold()
        out.append(folded if len(folded) == 1 else ch.casefold()[:1] or ch)
    return "".join(out)


def _alias_regex(alias: str) -> re.Pattern[str]:
    parts = re.findall(r"[a-z0-9]+|[^\sa-z0-9\-_]+", _fold(alias))
    body = r"[\s\-_]*".join(re.escape(p) for p in parts)
    head = r"(?<![a-z0-9])" if parts and parts[0][0].isascii() and parts[0][0].isalnum() else ""
    tail = r"(?![a-z0-9])" if parts and parts[-1][-1].isascii() and parts[-1][-1].isalnum() else ""
    return re.compile(head + body + tail)


@lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    cat = catalogue()
    pats: list[_Pattern] = []
    for acc in cat.accelerators.values():
        weak = {a.casefold() for a in acc.weak_aliases}
        for alias in {acc.name, *acc.aliases, *acc.weak_aliases}:
            pats.append(_Pattern(_alias_regex(alias), "chip", acc.name, acc.vendor, alias, alias.casefold() in weak))
    for vendor in cat.vendors.values():
        for alias in {vendor.name, *vendor.aliases}:
            pats.append(_Pattern(_alias_regex(alias), "vendor", vendor.name, vendor.name, alias, False))
    return tuple(pats)


@lru_cache(maxsize=1)
def _context() -> re.Pattern[str]:
    words = sorted((_fold(w) for w in catalogue().text_context), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def find_chips_in_text(text: str, include_vendors: bool = True) -> list[ChipMention]:
    """Every catalogue chip (and, unless excluded, vendor) named in the text, in order of position."""
    folded = _fold(text)
    candidates: list[tuple[int, int, _Pattern]] = []
    for pat in _patterns():
        if pat.kind == "vendor" and not include_vendors:
            continue
        for m in pat.regex.finditer(folded):
            if pat.weak and not _has_context(folded, m.start(), m.end()):
                continue
            candidates.append((m.start(), m.end(), pat))
    # longest first, then earliest; drop anything overlapping an accepted match
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2].kind != "chip"))
    taken: list[tuple[int, int, _Pattern]] = []
    for start, end, pat in candidates:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, pat))
    taken.sort(key=lambda c: c[0])
    return [ChipMention(p.kind, p.name, p.vendor, text[s:e], p.alias, s, e) for s, e, p in taken]


def _has_context(folded: str, start: int, end: int) -> bool:
    window = folded[max(0, start - CONTEXT_WINDOW) : end + CONTEXT_WINDOW]
    return _context().search(window) is not None
