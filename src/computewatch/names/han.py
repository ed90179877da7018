"""Han script: traditional to simplified (OpenCC), pinyin (pypinyin), numerals, segmentation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from computewatch.names.glossary import Glossary, GlossaryEntry
from computewatch.numerals import parse_chinese_integer

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

NUMERAL_RE = re.compile(r"第?([零〇一二两三四五六七八九十百千]+)(?=研究所|研究院|所|院|厂|局|部|中心|分院|研究室|设计院|[^\u4e00-\u9fff]|$)")


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


@lru_cache(maxsize=65536)
def pinyin_token(han: str) -> str:
    """Toneless pinyin of a Han run, syllables joined: 浪潮 -> 'langchao'."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(han)).lower()


def chinese_numeral_value(text: str) -> int | None:
    """十四 -> 14, 二十 -> 20, 七〇七 -> 707, 一百零八 -> 108 (computewatch.numerals, the one reader)."""
    return parse_chinese_integer(text) if text else None


@dataclass(frozen=True)
class HanSegment:
    text: str
    entry: GlossaryEntry | None  # None: not in the glossary, rendered as pinyin
    number: int | None = None  # 第十四 -> 14


def segment_han(run: str, glossary: Glossary) -> list[HanSegment]:
    """Split a simplified Han run into glossary words, numbers and unknown pieces.

    Dynamic programming: cover as many characters by glossary words as possible,
    then prefer fewer segments (longer words).
    """
    n = len(run)
    numbers: dict[int, tuple[int, int]] = {}
    for m in NUMERAL_RE.finditer(run):
        value = chinese_numeral_value(m.group(1))
        if value is not None and (m.group(0).startswith("第") or len(m.group(1)) >= 2):
            numbers[m.start()] = (m.end(), value)
    # best[i] = (uncovered chars, segments) for run[i:]
    inf = (n + 1, n + 1)
    best: list[tuple[int, int]] = [inf] * (n + 1)
    choice: list[tuple[int, str]] = [(0, "")] * (n + 1)
    best[n] = (0, 0)
    for i in range(n - 1, -1, -1):
        unc, seg = best[i + 1]
        best[i], choice[i] = (unc + 1, seg + 1), (i + 1, "unknown")
        if i in numbers:
            end, _ = numbers[i]
            cand = (best[end][0], best[end][1] + 1)
            if cand < best[i]:
                best[i], choice[i] = cand, (end, "number")
        for j in range(min(n, i + glossary.max_han_len), i, -1):
            if run[i:j] in glossary.by_han:
                cand = (best[j][0], best[j][1] + 1)
                if cand < best[i]:
                    best[i], choice[i] = cand, (j, "word")
    segments: list[HanSegment] = []
    i = 0
    pending = ""
    while i < n:
        j, how = choice[i]
        if how == "unknown":
            pending += run[i:j]
        else:
            if pending:
                segments.append(HanSegment(pending, None))
                pending = ""
            if how == "number":
                segments.append(HanSegment(run[i:j], None, numbers[i][1]))
            else:
                segments.append(HanSegment(run[i:j], glossary.by_han[run[i:j]]))
        i = j
    if pending:
        segments.append(HanSegment(pending, None))
    return segments
