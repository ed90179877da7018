"""An index over list names: token weights and blocking keys.

Blocking keeps screening fast: a query is scored only against the list names
that share a word with it, best first. Words not in the list vocabulary are
corrected to vocabulary words one edit away (typos), and neighbouring words
are also looked up run together (compounds: 'hik vision' = 'hikvision'). Words
are looked up by their spelling key too (Alexey = Aleksei), across scripts by
their loose key (Arabic consonants, Hangul romanisations), and people's name parts
by rigour's person-name identifiers (Mohammed = Muhammad = محمد).
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import orjson
from mypy_extensions import mypyc_attr

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.names.glossary import default_glossary
from computewatch.names.latin import is_weak
from computewatch.names.people import name_groups
from computewatch.names.spelling import LOOSE_FAMILIES, deletions, loose_key, spelling_key
from computewatch.names.variants import name_variants
from computewatch.screening.calibration import name_kind
from computewatch.screening.model import ListEntity
from computewatch.screening.scoring import person_weight
from computewatch.screening.tokens import LOOSE_TYPO_MIN

TYPO_KEY_MIN_LENGTH: Final = 5
VARIANT_KEY_MIN_LENGTH: Final = 9  # listed words this long and this rare are also looked up one edit away
VARIANT_MIN_WEIGHT: Final = 6.0
WEAK_WEIGHT: Final = 0.5
INITIAL_WEIGHT: Final = 0.5  # single letters: initials, stray pieces
MIN_WEIGHT: Final = 1.5
MAX_WEIGHT: Final = 7.0
NUMBER_WEIGHT: Final = 6.0
FREQUENCY_RATIO: Final = 1.25  # word frequencies are counted in bands this wide (frequency_band)
NEAR_CREDIT: Final = 0.8  # a word reached through a typo or compound counts nearly as if shared
MIN_SHARE: Final = 0.35
MIN_COVERAGE: Final = 0.7
CORRECTIONS_CACHE: Final = 200_000
PARALLEL_BUILD_FROM = 50_000  # entities; smaller lists are analysed in this process (a fork costs more)
BUILD_CHUNK = 2_000


def reference_size(n: int) -> int:
    """The list size word weights are computed against: the power of two above the number of
    entries, so that an update of a few entries leaves every other word's weight as it was
    (re-screening only what a change touches depends on it)."""
    return 1 << max(n, 1).bit_length()


def frequency_band(df: int) -> float:
    """The middle of the band of frequencies `df` falls in (bands FREQUENCY_RATIO wide): one
    entry more or less rarely moves a word into another band, and so rarely moves its weight."""
    band = math.floor(math.log(df) / math.log(FREQUENCY_RATIO) + 1e-9)
    return float(FREQUENCY_RATIO ** (band + 0.5))


def may_be_misspelt(token: str, listed: bool, weight: float) -> bool:
    """Whether a query word is looked up one edit away: a word the lists lack, or a long, rare
    one (`weight`: its weight in the lists). Common words ('technology') are left alone: the
    lists hold them as they are, and so many names that their neighbours would flood the
    candidates. The test is on the weight, so an update that changes it is seen to move it
    (rescreen/delta.py)."""
    if len(token) < TYPO_KEY_MIN_LENGTH or token.isdigit():
        return False
    return not listed or (len(token) >= VARIANT_KEY_MIN_LENGTH and weight >= VARIANT_MIN_WEIGHT)


def typo_keys(token: str) -> set[str]:
    """The one-deletion keys a query word is corrected through (`deletions`), and those of the
    word without a final 's' the stemmer could not take off ('airwais' for 'airways')."""
    keys = deletions(token)
    if token.endswith("s") and len(token) > TYPO_KEY_MIN_LENGTH:
        keys |= deletions(token[:-1])
    return keys


def compound_keys(tokens: tuple[str, ...]) -> list[str]:
    """Neighbouring words run together, both ways round, each once."""
    keys: dict[str, None] = {}
    for a, b in zip(tokens, tokens[1:], strict=False):
        keys[a + b] = None
        keys[b + a] = None
    return list(keys)


Hits = tuple[np.ndarray, np.ndarray]  # (names, ascending; credit of each)


def merge_hits(hits: list[tuple[np.ndarray, float]]) -> Hits | None:
    """One group's postings merged: every name once, with the best credit any key gave it."""
    if not hits:
        return None
    if len(hits) == 1:
        posting, credit = hits[0]
        return posting, np.full(posting.size, credit)
    idx = np.concatenate([p for p, _ in hits])
    credits = np.concatenate([np.full(p.size, c) for p, c in hits])
    order = np.lexsort((-credits, idx))  # by name, best credit first
    idx, credits = idx[order], credits[order]
    first = np.ones(idx.size, dtype=bool)
    first[1:] = idx[1:] != idx[:-1]
    return idx[first], credits[first]


def _slot_compounds(form: NameForm) -> dict[str, tuple[str, str]]:
    """Neighbouring slots run together in any of their one-word renderings: 星桥 -> 'xingqiao'."""
    words = [[a[0] for a in slot.alternatives if len(a) == 1] for slot in form.slots]
    keys: dict[str, tuple[str, str]] = {}
    for left, right in zip(words, words[1:], strict=False):
        if len(left) > 1 or len(right) > 1:
            keys.update((a + b, (a, b)) for a in left for b in right)
    return keys


def _may_be_a_person(form: NameForm) -> bool:
    """Cheap test, without name data: could this query be a person's name?"""
    kind = name_kind(form, look_up_names=False)
    if kind:
        return kind == "person"
    tokens = form.tokens
    return 1 <= len(tokens) <= 5 and all(t.isalpha() and not is_weak(t) for t in tokens)


_SCRATCH = threading.local()  # per thread: a zeroed array as long as the largest index, for summing credits


def _scratch(size: int) -> np.ndarray:
    """This thread's zeroed scratch array of at least `size` floats (callers zero what they touch)."""
    buf: np.ndarray | None = getattr(_SCRATCH, "buf", None)
    if buf is None or buf.size < size:
        buf = _SCRATCH.buf = np.zeros(size)
    return buf


def _add(posting: list[int], ni: int) -> None:
    """Append a name to a posting once (names come in ascending order)."""
    if not posting or posting[-1] != ni:
        posting.append(ni)


def _arrays(postings: dict[str, list[int]]) -> dict[str, np.ndarray]:
    return {k: np.array(v, dtype=np.int32) for k, v in postings.items()}


@mypyc_attr(native_class=False)
class _Weights(dict[str, float]):
    """Token weights; a word the lists never use weighs most (stored on first use)."""

    def __missing__(self, token: str) -> float:
        w = self[token] = ScreeningIndex._token_weight(token, 0, 1)
        return w


@mypyc_attr(native_class=False)
class _PersonWeights(dict[str, float]):
    """Token weights for people's names (scoring.person_weight), kept per token."""

    def __init__(self, weights: _Weights):
        super().__init__()
        self.weights = weights

    def __missing__(self, token: str) -> float:
        w = self[token] = person_weight(self.weights.__getitem__)(token)
        return w

    def __reduce__(self) -> tuple[object, ...]:  # pickled (for Spark) without what it has cached
        return (_PersonWeights, (self.weights,))


@dataclass
class IndexedName:
    entity: int  # position in ScreeningIndex.entities
    text: str
    tokens: tuple[str, ...]
    families: tuple[str, ...] = ()  # per token: the loose family of the script it came from, or ''
    kind: str = ""  # 'person', 'organization' or '' (calibration.name_kind)

    def __reduce__(self) -> tuple[object, ...]:  # picklable also when compiled (computewatch/native.py)
        return (IndexedName, (self.entity, self.text, self.tokens, self.families, self.kind))


Rendering = tuple[tuple[str, ...], tuple[str, ...]]  # (tokens, per token the loose family of its script)


Analysis = list[tuple[str, str, list[Rendering]]]  # (name, kind, renderings) of each name of one entity


def analysis_key(entity: ListEntity) -> bytes:
    """What an entity's analysis depends on: its names and whether it is a person."""
    return orjson.dumps([entity.schema, entity.names])


def name_renderings(form: NameForm, person: bool = False) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """A list name's renderings (tokens, and per token the loose family of its script):
    each slot's preferred form; for a Han name also its pinyin reading (a pinyin query
    meets a Han alias); for a name written in pinyin also the words as written ('China
    Xinshidai Company' keeps 'xinshidai' beside its translation 'new era', so a misspelt
    'Xinshidmi' still finds it); for a name of another script with translated words
    (Завод, Связь) also all of it transliterated (`person`: never a family name read as a
    place adjective)."""

    def rendering(pick) -> tuple[tuple[str, ...], tuple[str, ...]]:  # type: ignore[no-untyped-def]
        tokens: list[str] = []
        families: list[str] = []
        for slot in form.slots:
            chosen = pick(slot)
            tokens.extend(chosen)
            families.extend([slot.family] * len(chosen))
        return tuple(tokens), tuple(families)

    renderings = [rendering(lambda slot: slot.alternatives[0])]
    # Every common romanisation of a Korean family name (이: Lee, Yi, Rhee...)
    for si, slot in enumerate(form.slots):
        if slot.how == "person:ko":
            for alt in slot.alternatives[1:]:
                renderings.append(rendering(lambda other, si=si, alt=alt: alt if other is form.slots[si] else other.alternatives[0]))
    if any(
        slot.how.startswith(("glossary", "cedict", "translit"))
        or (slot.how.startswith("world") and not slot.source.isascii())
        for slot in form.slots
    ):
        renderings.append(rendering(lambda slot: (slot.person_alternatives() if person else slot.alternatives)[-1]))
    if any(slot.how == "hyphenated" for slot in form.slots):  # 'Hi-Tech' also as 'Hitech'
        renderings.append(rendering(lambda slot: slot.alternatives[-1] if slot.how == "hyphenated" else slot.alternatives[0]))
    if any(slot.how.startswith("pinyin-glossary") for slot in form.slots):
        renderings.append(rendering(lambda slot: (slot.source,) if slot.how.startswith("pinyin-") else slot.alternatives[0]))
    return list(dict.fromkeys(renderings))


def _analyse(entity: ListEntity) -> Analysis:
    """(name, kind, renderings) of each name the index holds for one entity: the index
    build's analysis, a pure function of the entity (so it can run in other processes)."""
    out = []
    for text in ScreeningIndex._names_of(entity):
        form = analyze_name(text)
        kind = name_kind(form, entity.schema)
        out.append((text, kind, name_renderings(form, kind == "person")))
    return out


def _analyse_chunk(chunk: list[ListEntity]) -> list[Analysis]:
    return [_analyse(e) for e in chunk]


def analyse_entities(entities: list[ListEntity]) -> Iterator[Analysis]:
    """Every entity's analysis, in order. A big list (a million names: minutes of name
    analysis) is analysed by one forked process per CPU, chunk by chunk; the index itself is
    built here from the results, in the same order, so it is the same index."""
    workers = os.cpu_count() or 1
    if (len(entities) < PARALLEL_BUILD_FROM or workers < 2 or "fork" not in mp.get_all_start_methods()
            or mp.current_process().daemon):  # fmt: skip
        yield from map(_analyse, entities)
        return
    chunks = [entities[i : i + BUILD_CHUNK] for i in range(0, len(entities), BUILD_CHUNK)]
    with mp.get_context("fork").Pool(workers) as pool:
        for analysed in pool.imap(_analyse_chunk, chunks):
            yield from analysed


@mypyc_attr(native_class=False)
class ScreeningIndex:
    def __init__(self, entities: Iterable[ListEntity], analyses: Iterable[Analysis] | None = None):
        """`analyses`: each entity's analysis, in order, when the caller kept them from an
        earlier build (screening/index_cache.py); else every name is analysed here."""
        self.entities: list[ListEntity] = list(entities)
        self.places = default_glossary().place_tokens
        self.names: list[IndexedName] = []
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)
        spelled: dict[str, list[int]] = defaultdict(list)
        spelled_tokens: dict[str, set[str]] = defaultdict(set)
        symbols: dict[str, list[int]] = defaultdict(list)
        loose_native: dict[str, list[int]] = defaultdict(list)  # 'family:key' of transliterated tokens
        doc_freq: dict[str, int] = defaultdict(int)
        spell = spelling_key
        for ei, analysed in enumerate(analyses if analyses is not None else analyse_entities(self.entities)):
            seen_tokens: set[str] = set()
            seen_forms: set[tuple[str, ...]] = set()
            for text, kind, renderings in analysed:
                for tokens, families in renderings:
                    if not tokens or tokens in seen_forms:
                        continue
                    seen_forms.add(tokens)
                    ni = len(self.names)
                    self.names.append(IndexedName(ei, text, tokens, families, kind))
                    distinct = set(tokens)
                    for key in distinct:
                        postings[key].append(ni)
                        sk = spell(key)
                        _add(spelled[sk], ni)
                        spelled_tokens[sk].add(key)
                    for key in compound_keys(tokens):
                        if key not in distinct:
                            _add(joined[key], ni)
                    for t, family in zip(tokens, families, strict=True):
                        if family:
                            # keys one letter apart meet through a shared deletion (SymSpell-style)
                            for key in self._loose_keys(t, family):
                                _add(loose_native[f"{family}:{key}"], ni)
                    if kind == "person":
                        for t in distinct:
                            for symbol in name_groups(t):
                                _add(symbols[symbol], ni)
                    seen_tokens.update(tokens)
            for t in seen_tokens:
                doc_freq[t] += 1
        # word -> names with that word; two neighbouring words run together -> names
        self.postings = _arrays(postings)
        self.joined_postings = _arrays(joined)
        # spelling key -> names; person-name identifier -> names; loose keys -> names
        # (only keys that gather more than one spelling: the others are the word's own postings)
        self.spelled_postings = _arrays({k: v for k, v in spelled.items() if len(spelled_tokens[k]) > 1})
        self.spellings = {k: frozenset(v) for k, v in spelled_tokens.items()}
        self.given_name_postings = _arrays(symbols)
        self._loose_postings: dict[str, np.ndarray] | None = None  # built on the first query that needs them
        self.loose_native_postings = _arrays(loose_native)
        n = max(len(self.entities), 1)
        self.doc_freq = dict(doc_freq)  # word -> entries holding it
        self._weights = _Weights({t: self._token_weight(t, df, n) for t, df in doc_freq.items()})
        # token -> weight as one C-level call (words never seen get the most), and the same for people's names
        self.weigh: Callable[[str], float] = self._weights.__getitem__
        self.person_weigh: Callable[[str], float] = _PersonWeights(self._weights).__getitem__
        self.name_weight_array = np.array([sum(map(self.weigh, name.tokens)) for name in self.names])
        # One-deletion keys of every vocabulary word, for correcting typos in queries.
        self._corrections: dict[str, frozenset[str]] = {}
        self._hit_cache: dict[tuple[str, str, bool], Hits | None] = {}
        self.typo_vocabulary: dict[str, list[str]] = defaultdict(list)
        for token in doc_freq:
            if len(token) >= TYPO_KEY_MIN_LENGTH and not token.isdigit():
                for key in deletions(token):
                    self.typo_vocabulary[key].append(token)

    @property
    def loose_postings(self) -> dict[str, np.ndarray]:
        """'family:key' of the list's Latin words -> names: what a query in Arabic, Hangul or
        kana meets. Built when such a query first comes (Latin-only batches never need it)."""
        if self._loose_postings is None:
            loose: dict[str, list[int]] = defaultdict(list)
            for ni, name in enumerate(self.names):
                for t, family in zip(name.tokens, name.families, strict=True):
                    if not family:
                        for fam in LOOSE_FAMILIES:
                            for key in self._loose_keys(t, fam):
                                _add(loose[f"{fam}:{key}"], ni)
            self._loose_postings = _arrays(loose)
        return self._loose_postings

    @staticmethod
    @lru_cache(maxsize=262144)
    def _loose_keys(token: str, family: str) -> frozenset[str]:
        """A token's loose key, and for keys long enough to allow a slip, its one-deletion keys."""
        key = loose_key(token, family)
        if not key:
            return frozenset()
        return frozenset(k for k in deletions(key) if k) if len(key) >= LOOSE_TYPO_MIN else frozenset((key,))

    @classmethod
    def renderings(cls, form: NameForm, person: bool = False) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return name_renderings(form, person)

    @staticmethod
    def _names_of(entity: ListEntity) -> list[str]:
        """The entity's names, the names packed inside them, and known other renderings."""
        names = [v for n in entity.names for v in name_variants(n, organisation=entity.schema != "Person")]
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
        return min(MAX_WEIGHT, max(MIN_WEIGHT, math.log((reference_size(n) + 1) / frequency_band(df))))

    def weight(self, token: str) -> float:
        """Rare words weigh more; words never seen in the lists weigh most."""
        return self._weights[token]

    def corrections(self, token: str) -> frozenset[str]:
        """Vocabulary words one edit (or one transposition) away from a query word: a word the
        lists lack, or a long one the lists also write another way ('Surgutneftegaz' and
        'Surgutneftegas' both listed). A misspelt plural the stemmer left whole ('airwais')
        is also tried without its 's'."""
        listed = token in self.postings
        if not may_be_misspelt(token, listed, self.weigh(token) if listed else MAX_WEIGHT):
            return frozenset()
        found = self._corrections.get(token)
        if found is None:
            vocabulary = self.typo_vocabulary
            found = frozenset(w for key in typo_keys(token) for w in vocabulary.get(key, ()) if w != token)
            if len(self._corrections) < CORRECTIONS_CACHE:
                self._corrections[token] = found
        return found

    def _token_lookups(self, t: str, family: str, person: bool) -> list[tuple[dict[str, np.ndarray], str, float]]:
        """Where one query token may be found, and how much finding it there counts."""
        w = self.weigh(t)
        credit = NEAR_CREDIT * w
        found: list[tuple[dict[str, np.ndarray], str, float]] = [(self.postings, t, w)]
        found += [(self.postings, fixed, NEAR_CREDIT * self.weigh(fixed)) for fixed in self.corrections(t)]
        # Alexey against Aleksei listed; Mohammed against Muhammad; mhmd against Mohammed
        spellings = self.spellings.get(spelling_key(t), frozenset())
        if spellings and spellings != {t}:  # the lists write this word another way too
            table = self.spelled_postings if len(spellings) > 1 else self.postings
            found.append((table, spelling_key(t) if len(spellings) > 1 else next(iter(spellings)), credit))
        if person and len(t) > 2 and t.isalpha():
            found += [(self.given_name_postings, symbol, credit) for symbol in name_groups(t)]
        if family:
            found += [(self.loose_postings, f"{family}:{key}", credit) for key in self._loose_keys(t, family)]
        elif self.loose_native_postings:  # only lists with names in those scripts
            found += [(self.loose_native_postings, f"{fam}:{key}", credit) for fam in LOOSE_FAMILIES for key in self._loose_keys(t, fam)]
        return found

    def _token_hits(self, t: str, family: str, person: bool) -> Hits | None:
        """The names one query token reaches, each with its best credit (cached per distinct
        token: queries share words, so each word's lookups are merged once)."""
        key = (t, family, person)
        if key in self._hit_cache:
            return self._hit_cache[key]
        found = merge_hits(self._hits(self._token_lookups(t, family, person)))
        if len(self._hit_cache) < CORRECTIONS_CACHE:
            self._hit_cache[key] = found
        return found

    def _joined_hits(self, t: str) -> Hits | None:
        """'zhangwei' in the query against 'Zhang Wei' listed (cached per token)."""
        key = ("\x00joined", t, False)
        if key in self._hit_cache:
            return self._hit_cache[key]
        posting = self.joined_postings.get(t)
        found = None if posting is None else (posting, np.full(posting.size, NEAR_CREDIT * self.weigh(t)))
        if len(self._hit_cache) < CORRECTIONS_CACHE:
            self._hit_cache[key] = found
        return found

    def _plain_hits(self, key: str, credit: float) -> Hits | None:
        posting = self.postings.get(key)
        return None if posting is None else (posting, np.full(posting.size, credit))

    def _lookup_keys(self, form: NameForm) -> list[Hits]:
        """The names each part of a query reaches, in groups: a name found through several
        keys of one group is credited once, with the best of them. Person-name identifiers
        are looked up for names that may be a person's."""
        person = _may_be_a_person(form)
        groups: dict[str, Hits | None] = {}
        for slot in form.slots:
            for alt in slot.alternatives:
                for t in alt:
                    if t not in groups:
                        groups[t] = self._token_hits(t, slot.family, person)
        lookups = [g for g in groups.values() if g is not None]
        tokens = form.tokens
        # 'zhangwei' in the query against 'Zhang Wei' listed, and 'hik vision' against 'Hikvision'.
        for t in dict.fromkeys(tokens):
            if t not in self.postings and (hit := self._joined_hits(t)) is not None:
                lookups.append(hit)
        for key in compound_keys(tokens):
            if key not in groups and (hit := self._plain_hits(key, NEAR_CREDIT * self.weigh(key))) is not None:
                lookups.append(hit)
        # A compound of two slots stands for both of their words in the query's weight.
        for key, (a, b) in _slot_compounds(form).items():
            if key not in groups and (hit := self._plain_hits(key, NEAR_CREDIT * (self.weigh(a) + self.weigh(b)))) is not None:
                lookups.append(hit)
        return lookups

    def _hits(self, group: list[tuple[dict[str, np.ndarray], str, float]]) -> list[tuple[np.ndarray, float]]:
        return [(posting, credit) for table, key, credit in group if (posting := table.get(key)) is not None]

    def _shares(self, touched: np.ndarray, shared: np.ndarray, query_weight: float) -> tuple[np.ndarray, np.ndarray]:
        """(estimate per name, names worth scoring): a weighted Jaccard over shared words, kept
        from MIN_SHARE up, or when most of the query is in the name ('Y. Tikhomirov' in
        'Yaroslav Igorevich Tikhomirov')."""
        share = shared / (query_weight + self.name_weight_array[touched] - np.minimum(shared, query_weight) + 1e-9)
        return share, (share >= MIN_SHARE) | (shared >= MIN_COVERAGE * query_weight)

    def _accumulate(self, groups: list[Hits], query_weight: float) -> tuple[np.ndarray, np.ndarray]:
        """(names reached that may be worth scoring, ascending; credit per name): within a group
        the best credit a name gets, summed over groups in order (add.at adds in input order,
        group after group, as a bincount would). Sums go into a zeroed scratch array, so the cost
        follows the postings reached, not the list size (a million names), and only the names
        that may pass `_shares` are sorted; the scratch is zeroed again after."""
        if len(groups) == 1:
            return groups[0]
        idx = np.concatenate([g[0] for g in groups])
        credits = np.concatenate([g[1] for g in groups])
        acc = _scratch(len(self.names))
        try:
            np.add.at(acc, idx, credits)
            _, keep = self._shares(idx, acc[idx], query_weight)
            touched = np.unique(idx[keep])
            return touched, acc[touched]
        finally:
            acc[idx] = 0.0

    def candidates(self, form: NameForm, limit: int) -> list[int]:
        """The best-estimated list names for a query, from at most `limit` entities.

        Every key's postings add its credit to the names holding it (vectorised); the
        estimate is a weighted Jaccard over shared words, and names below MIN_SHARE are
        not worth scoring.
        """
        groups = self._lookup_keys(form)
        if not groups:
            return []
        query_weight = sum(map(self.weigh, form.tokens))
        touched, shared = self._accumulate(groups, query_weight)
        if not touched.size:
            return []
        share, keep = self._shares(touched, shared, query_weight)
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
