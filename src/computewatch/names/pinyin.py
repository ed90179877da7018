"""Pinyin written in Latin letters: 'Shenzhen Daxue', 'shenzhendaxue' -> glossary words."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from computewatch.names.glossary import Glossary, GlossaryEntry


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless Hanyu pinyin syllable, read off pypinyin's character table."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            if plain.isalpha() and plain.isascii():
                found.add(plain.lower())
    # interjections (嗯 ng, 呣 m, 哼 hng), never syllables of names: 'Xiaoming' is not Xiaomi + ng
    return frozenset(found - {"ng", "n", "m", "hm", "hng"})


MAX_SYLLABLE = 6
PLACE_AFFIXES = ("zizhiqu", "sheng", "shi", "qu", "xian")


def _entry_for(piece: str, glossary: Glossary) -> GlossaryEntry:
    entry = glossary.by_pinyin.get(piece)
    if entry is not None:
        return entry
    for affix in PLACE_AFFIXES:
        if piece.endswith(affix) and piece[: -len(affix)] in glossary.by_pinyin:
            return glossary.by_pinyin[piece[: -len(affix)]]
    raise KeyError(piece)


@lru_cache(maxsize=131072)
def is_pinyin(token: str) -> bool:
    """True when the whole token splits into pinyin syllables ('langchao', 'daxue')."""
    if not token.isalpha():
        return False
    syl = syllables()
    n = len(token)
    ok = [False] * (n + 1)
    ok[n] = True
    for i in range(n - 1, -1, -1):
        ok[i] = any(ok[j] and token[i:j] in syl for j in range(i + 1, min(n, i + MAX_SYLLABLE) + 1))
    return ok[0]


def split_pinyin_run(
    text: str, glossary: Glossary, boundaries: frozenset[int] = frozenset()
) -> list[tuple[str, GlossaryEntry | None]]:
    """Split joined pinyin into glossary words and leftover pieces.

    'shenzhendaxue' -> [('shenzhen', 深圳), ('daxue', 大学)]. Leftover syllables
    between glossary words stay together as one piece with no entry.
    `boundaries` are where the words of the original text met ('Shanghai Shengwei'
    -> {8}): a glossary word may lie inside one word or span whole words, never
    take part of one ('shanghai' + 'sheng' is not 上海省 there).
    Returns [] when no glossary word is found.
    """
    syl = syllables()
    n = len(text)
    bounds = boundaries | {0, n}
    word_start = [0] * (n + 1)
    start = 0
    for i in range(n + 1):
        if i in bounds:
            start = i
        word_start[i] = start

    def allowed(i: int, j: int) -> bool:
        return (i in bounds and j in bounds) or word_start[i] == word_start[j - 1]

    inf = (n + 1, n + 1)
    best: list[tuple[int, int]] = [inf] * (n + 1)
    choice: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    best[n] = (0, 0)
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + glossary.max_pinyin_len), i, -1):
            if best[j] == inf:
                continue
            if not allowed(i, j):
                continue
            piece = text[i:j]
            entry = glossary.by_pinyin.get(piece)
            if entry is None and piece.endswith(PLACE_AFFIXES):
                # 'beijingshi' = 北京市, 'fujiansheng' = 福建省: a place and its administrative affix
                for affix in PLACE_AFFIXES:
                    place = glossary.by_pinyin.get(piece[: -len(affix)]) if piece.endswith(affix) else None
                    if place is not None and place.kind == "place":
                        entry = place
                        break
            if entry is not None:
                cand = (best[j][0], best[j][1] + 1)
                if cand < best[i]:
                    best[i], choice[i] = cand, (j, True)
            elif j - i <= MAX_SYLLABLE and piece in syl:
                cand = (best[j][0] + (j - i), best[j][1] + 1)
                if cand < best[i]:
                    best[i], choice[i] = cand, (j, False)
    if best[0] == inf:
        return []
    pieces: list[tuple[str, GlossaryEntry | None]] = []
    leftover, found, i = "", False, 0
    while i < n:
        j, is_word = choice[i]
        if is_word:
            if leftover:
                pieces.append((leftover, None))
                leftover = ""
            pieces.append((text[i:j], _entry_for(text[i:j], glossary)))
            found = True
        else:
            if i in bounds and leftover:
                pieces.append((leftover, None))
                leftover = ""
            leftover += text[i:j]
        i = j
    if leftover:
        pieces.append((leftover, None))
    return pieces if found else []
