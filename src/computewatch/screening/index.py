"""An index over list names: token weights and blocking keys.

Blocking keeps screening fast: a query is scored only against the list names
that share a key with it (a token, a token's first or last letters for typos,
or two neighbouring tokens run together for compounds), best-keyed first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.names.latin import is_weak
from computewatch.screening.model import ListEntity

AFFIX_MIN_LENGTH = 6
AFFIX_LENGTH = 4
WEAK_WEIGHT = 0.5
MIN_WEIGHT = 1.5
MAX_WEIGHT = 7.0


def token_keys(tokens: tuple[str, ...]) -> set[str]:
    keys: set[str] = set(tokens)
    for t in tokens:
        if len(t) >= AFFIX_MIN_LENGTH:
            keys.add("^" + t[:AFFIX_LENGTH])
            keys.add("$" + t[-AFFIX_LENGTH:])
    for a, b in zip(tokens, tokens[1:], strict=False):
        keys.add(a + b)
        keys.add(b + a)
    return keys


@dataclass
class IndexedName:
    entity: int  # position in ScreeningIndex.entities
    text: str
    form: NameForm
    tokens: tuple[str, ...]


class ScreeningIndex:
    def __init__(self, entities: Iterable[ListEntity]):
        self.entities: list[ListEntity] = list(entities)
        self.names: list[IndexedName] = []
        postings: dict[str, list[int]] = defaultdict(list)
        doc_freq: dict[str, int] = defaultdict(int)
        for ei, entity in enumerate(self.entities):
            seen_tokens: set[str] = set()
            seen_forms: set[tuple[str, ...]] = set()
            for text in entity.names:
                form = analyze_name(text)
                tokens = form.tokens
                if not tokens or tokens in seen_forms:
                    continue
                seen_forms.add(tokens)
                ni = len(self.names)
                self.names.append(IndexedName(ei, text, form, tokens))
                for key in token_keys(tokens):
                    postings[key].append(ni)
                seen_tokens.update(tokens)
            for t in seen_tokens:
                doc_freq[t] += 1
        self.postings = dict(postings)
        n = max(len(self.entities), 1)
        self._weights = {t: self._idf(df, n) for t, df in doc_freq.items()}
        self.max_postings = max(200, len(self.names) // 20)

    @staticmethod
    def _idf(df: int, n: int) -> float:
        return min(MAX_WEIGHT, max(MIN_WEIGHT, math.log((n + 1) / df)))

    def weight(self, token: str) -> float:
        if is_weak(token):
            return WEAK_WEIGHT
        return self._weights.get(token, MAX_WEIGHT)

    def candidates(self, form: NameForm, limit: int) -> list[int]:
        """Name positions sharing blocking keys with the query, best first."""
        keys: set[str] = set()
        for slot in form.slots:
            for alt in slot.alternatives:
                keys |= token_keys(alt)
        keys |= token_keys(form.tokens)
        scores: dict[int, float] = defaultdict(float)
        skipped: list[str] = []
        for key in keys:
            posting = self.postings.get(key)
            if not posting:
                continue
            if len(posting) > self.max_postings:
                skipped.append(key)
                continue
            w = self.weight(key) if key[0] not in "^$" else MIN_WEIGHT
            for ni in posting:
                scores[ni] += w
        if not scores:
            # Only very common words in the query: fall back to them, bounded.
            for key in skipped:
                for ni in self.postings[key][: self.max_postings]:
                    scores[ni] += self.weight(key)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        return [ni for ni, _ in ranked[:limit]]
