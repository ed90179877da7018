"""An index over list names: token weights and blocking keys.

Blocking keeps screening fast: a query is scored only against the list names
that share a word with it, best first. Words not in the list vocabulary are
corrected to vocabulary words one edit away (typos), and neighbouring words
are also looked up run together (compounds: 'hik vision' = 'hikvision').
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.names.glossary import default_glossary
from computewatch.names.latin import is_weak
from computewatch.names.variants import name_variants
from computewatch.screening.model import ListEntity

TYPO_KEY_MIN_LENGTH = 5
WEAK_WEIGHT = 0.5
INITIAL_WEIGHT = 0.5  # single letters: initials, stray pieces
MIN_WEIGHT = 1.5
MAX_WEIGHT = 7.0
NUMBER_WEIGHT = 6.0
NEAR_CREDIT = 0.8  # a word reached through a typo or compound counts nearly as if shared
MIN_SHARE = 0.35
CORRECTIONS_CACHE = 200_000  # names sharing less than this (weighted) and nothing near are not scored


def deletions(token: str) -> set[str]:
    """The token with one letter left out, each way: two words one edit apart share one of these."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))} | {token}


def compound_keys(tokens: tuple[str, ...]) -> set[str]:
    keys: set[str] = set()
    for a, b in zip(tokens, tokens[1:], strict=False):
        keys.add(a + b)
        keys.add(b + a)
    return keys


def _slot_compounds(form: NameForm) -> dict[str, tuple[str, str]]:
    """Neighbouring slots run together in any of their one-word renderings: 星桥 -> 'xingqiao'."""
    words = [[a[0] for a in slot.alternatives if len(a) == 1] for slot in form.slots]
    keys: dict[str, tuple[str, str]] = {}
    for left, right in zip(words, words[1:], strict=False):
        if len(left) > 1 or len(right) > 1:
            keys.update((a + b, (a, b)) for a in left for b in right)
    return keys


@dataclass
class IndexedName:
    entity: int  # position in ScreeningIndex.entities
    text: str
    tokens: tuple[str, ...]


class ScreeningIndex:
    def __init__(self, entities: Iterable[ListEntity]):
        self.entities: list[ListEntity] = list(entities)
        self.places = default_glossary().place_tokens
        self.names: list[IndexedName] = []
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)
        doc_freq: dict[str, int] = defaultdict(int)
        for ei, entity in enumerate(self.entities):
            seen_tokens: set[str] = set()
            seen_forms: set[tuple[str, ...]] = set()
            for text in self._names_of(entity):
                form = analyze_name(text)
                for tokens in self._renderings(form):
                    if not tokens or tokens in seen_forms:
                        continue
                    seen_forms.add(tokens)
                    ni = len(self.names)
                    self.names.append(IndexedName(ei, text, tokens))
                    for key in set(tokens):
                        postings[key].append(ni)
                    for key in compound_keys(tokens) - set(tokens):
                        joined[key].append(ni)
                    seen_tokens.update(tokens)
            for t in seen_tokens:
                doc_freq[t] += 1
        # word -> names with that word; two neighbouring words run together -> names
        self.postings = {k: np.asarray(v, dtype=np.int32) for k, v in postings.items()}
        self.joined_postings = {k: np.asarray(v, dtype=np.int32) for k, v in joined.items()}
        n = max(len(self.entities), 1)
        self._weights = {t: self._token_weight(t, df, n) for t, df in doc_freq.items()}
        self.name_weight_array = np.array([sum(self.weight(t) for t in name.tokens) for name in self.names])
        # One-deletion keys of every vocabulary word, for correcting typos in queries.
        self._corrections: dict[str, frozenset[str]] = {}
        self.typo_vocabulary: dict[str, list[str]] = defaultdict(list)
        for token in doc_freq:
            if len(token) >= TYPO_KEY_MIN_LENGTH and not token.isdigit():
                for key in deletions(token):
                    self.typo_vocabulary[key].append(token)

    @staticmethod
    def _renderings(form: NameForm) -> list[tuple[str, ...]]:
        """A list name's renderings: each slot's preferred form; for a Han name also its
        pinyin reading (a pinyin query meets a Han alias); for a name written in pinyin
        also the words as written ('China Xinshidai Company' keeps 'xinshidai' beside
        its translation 'new era', so a misspelt 'Xinshidmi' still finds it)."""
        renderings = [form.tokens]
        if any(slot.how.startswith("glossary") for slot in form.slots):
            renderings.append(tuple(t for slot in form.slots for t in slot.alternatives[-1]))
        if any(slot.how.startswith("pinyin-glossary") for slot in form.slots):
            renderings.append(
                tuple(t for slot in form.slots for t in ((slot.source,) if slot.how.startswith("pinyin-") else slot.alternatives[0]))
            )
        return list(dict.fromkeys(renderings))

    def _names_of(self, entity: ListEntity) -> list[str]:
        """The entity's names, the names packed inside them, and known other renderings."""
        names = [v for n in entity.names for v in name_variants(n)]
        synonyms = default_glossary().english_synonyms
        for text in list(names):
            names.extend(synonyms.get(analyze_name(text).tokens, ()))
        return list(dict.fromkeys(names))

    @staticmethod
    def _token_weight(token: str, df: int, n: int) -> float:
        if is_weak(token):
            return WEAK_WEIGHT
        if len(token) == 1 and token.isalpha():
            return INITIAL_WEIGHT
        if token.isdigit():
            return NUMBER_WEIGHT  # '717th' against '718th Research Institute' is another institute
        if df == 0:
            return MAX_WEIGHT
        return min(MAX_WEIGHT, max(MIN_WEIGHT, math.log((n + 1) / df)))

    def weight(self, token: str) -> float:
        """Rare words weigh more; words never seen in the lists weigh most."""
        w = self._weights.get(token)
        if w is None:
            w = self._weights[token] = self._token_weight(token, 0, 1)
        return w

    def corrections(self, token: str) -> frozenset[str]:
        """Vocabulary words one edit (or one transposition) away from a word not in the vocabulary."""
        if len(token) < TYPO_KEY_MIN_LENGTH or token.isdigit() or token in self.postings:
            return frozenset()
        found = self._corrections.get(token)
        if found is None:
            vocabulary = self.typo_vocabulary
            found = frozenset(w for key in deletions(token) for w in vocabulary.get(key, ()))
            if len(self._corrections) < CORRECTIONS_CACHE:
                self._corrections[token] = found
        return found

    def _lookup_keys(self, form: NameForm) -> list[tuple[dict[str, np.ndarray], str, float]]:
        """Every (postings, key, credit) worth looking up for a query."""
        keys: dict[str, float] = {}
        for slot in form.slots:
            for alt in slot.alternatives:
                for t in alt:
                    keys[t] = max(keys.get(t, 0.0), self.weight(t))
                    for fixed in self.corrections(t):
                        keys.setdefault(fixed, NEAR_CREDIT * self.weight(fixed))
        tokens = form.tokens
        # 'zhangwei' in the query against 'Zhang Wei' listed, and 'hik vision' against 'Hikvision'.
        lookups = [(self.postings, k, c) for k, c in keys.items()]
        lookups += [(self.joined_postings, t, NEAR_CREDIT * self.weight(t)) for t in set(tokens) if t not in self.postings]
        for key in compound_keys(tokens):
            if key not in keys and key in self.postings:
                lookups.append((self.postings, key, NEAR_CREDIT * self.weight(key)))
        # A compound of two slots stands for both of their words in the query's weight.
        for key, (a, b) in _slot_compounds(form).items():
            if key not in keys and key in self.postings:
                lookups.append((self.postings, key, NEAR_CREDIT * (self.weight(a) + self.weight(b))))
        return lookups

    def candidates(self, form: NameForm, limit: int) -> list[int]:
        """The best-estimated list names for a query, from at most `limit` entities.

        Every key's postings add its credit to the names holding it (vectorised); the
        estimate is a weighted Jaccard over shared words, and names below MIN_SHARE are
        not worth scoring.
        """
        acc = np.zeros(len(self.names), dtype=np.float64)
        for postings, key, credit in self._lookup_keys(form):
            posting = postings.get(key)
            if posting is not None:
                acc[posting] += credit
        touched = np.flatnonzero(acc)
        if not touched.size:
            return []
        shared = acc[touched]
        query_weight = sum(self.weight(t) for t in form.tokens)
        share = shared / (query_weight + self.name_weight_array[touched] - np.minimum(shared, query_weight) + 1e-9)
        keep = share >= MIN_SHARE
        touched, share = touched[keep], share[keep]
        if touched.size > limit * 3:
            best = np.argpartition(-share, limit * 3)[: limit * 3]
            touched, share = touched[best], share[best]
        order = np.argsort(-share, kind="stable")
        # The best `limit` entities, with every one of their names among the best estimates.
        chosen: list[int] = []
        entities: set[int] = set()
        for ni in touched[order].tolist():
            entity = self.names[ni].entity
            if entity in entities or len(entities) < limit:
                entities.add(entity)
                chosen.append(ni)
        return chosen
