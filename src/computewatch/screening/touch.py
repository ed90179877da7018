"""Which queries a set of list entries can change the result of: probes and keys.

A query meets list names only through keys (`ScreeningIndex._lookup_keys`): its words,
their spelling keys, typo-deletion keys, given-name groups, loose keys across scripts,
words run together. Each key brings a name some credit, and a name becomes a candidate
only if its credit passes `candidates`' test (share >= MIN_SHARE or coverage >= MIN_COVERAGE),
which needs credit >= min(MIN_COVERAGE * query weight, 0.259 * (query weight + name weight)).

`query_probes` lists every key a query may look up (with the index it was screened on), each
with the most credit it can bring, and the query's weight. `name_keys` lists the keys of
some list names. `reaching` tells which queries can make one of those names a candidate:
a query whose probes bring a name too little credit cannot, and its result cannot depend
on that name. Re-screening uses it to screen again only the parties a list update touches.

Keys are hashed to 64 bits (CRC-32 and Adler-32 of the key): equal keys hash alike, so a
collision can only make a query look reached when it is not, never the reverse.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.names.people import name_groups
from computewatch.names.spelling import LOOSE_FAMILIES, spelling_key
from computewatch.screening.index import (
    MAX_WEIGHT,
    MIN_COVERAGE,
    MIN_SHARE,
    NEAR_CREDIT,
    ScreeningIndex,
    _slot_compounds,
    compound_keys,
    may_be_misspelt,
    typo_keys,
)

# credit needed for a name to pass `candidates`' test: as a share of the query's and the name's weight
# together (MIN_SHARE / (1 + MIN_SHARE)), or of the query's; a little below, so that rounding never decides
NAME_SHARE_BOUND = MIN_SHARE / (1 + MIN_SHARE) * 0.99
QUERY_SHARE_BOUND = MIN_COVERAGE * 0.99
COMPOUND_CREDIT = 2 * NEAR_CREDIT * MAX_WEIGHT  # a compound stands for at most two words
CORRECTION_CREDIT = NEAR_CREDIT * MAX_WEIGHT  # a corrected word weighs at most MAX_WEIGHT
GROUPS = 1 << 16  # lookup groups per query, at most


def key_hash(key: str) -> int:
    data = key.encode()
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


def word_key(word: str) -> int:
    """The probe of a word looked up as itself (to find queries holding a re-weighted word)."""
    return key_hash(f"p:{word}")


def _token_probes(t: str, family: str, index: ScreeningIndex, add: Callable[[str, float, str], None]) -> None:
    """The keys one query word may look up, each with the most credit it brings, in the word's
    group (and its words-run-together lookup in a group of its own, as `_lookup_keys` does)."""
    w = index.weigh(t)
    near = NEAR_CREDIT * w
    add(f"p:{t}", w, t)
    add(f"s:{spelling_key(t)}", near, t)
    listed = t in index.postings
    if not listed:  # words run together are looked up for words the lists lack
        add(f"j:{t}", near, f"joined {t}")
    if may_be_misspelt(t, listed, w):  # as `ScreeningIndex.corrections`
        for k in typo_keys(t):
            add(f"d:{k}", CORRECTION_CREDIT, t)
    if len(t) > 2 and t.isalpha():
        for symbol in name_groups(t):
            add(f"g:{symbol}", near, t)
    if family:
        for k in ScreeningIndex._loose_keys(t, family):
            add(f"l:{family}:{k}", near, t)
    else:
        for fam in LOOSE_FAMILIES:
            for k in ScreeningIndex._loose_keys(t, fam):
                add(f"n:{fam}:{k}", near, t)


@dataclass
class Probes:
    """A query's probes: hashed keys, the most credit each brings, the lookup group each belongs
    to (a name gets the best credit of a group, summed over groups), and the lowest weight of
    the query's readings (a unit of a listed institution is also read alone)."""

    keys: np.ndarray  # uint64
    credits: np.ndarray  # float32
    groups: np.ndarray  # uint16
    weight: float

    def to_bytes(self) -> bytes:
        return (struct.pack("<d", self.weight) + self.keys.astype("<u8").tobytes()
                + self.credits.astype("<f4").tobytes() + self.groups.astype("<u2").tobytes())  # fmt: skip

    @classmethod
    def from_bytes(cls, blob: bytes) -> Probes:
        n = (len(blob) - 8) // 14
        (weight,) = struct.unpack_from("<d", blob)
        keys = np.frombuffer(blob, dtype="<u8", count=n, offset=8)
        credits = np.frombuffer(blob, dtype="<f4", count=n, offset=8 + 8 * n)
        groups = np.frombuffer(blob, dtype="<u2", count=n, offset=8 + 12 * n)
        return cls(keys, credits, groups, weight)


def form_probes(form: NameForm, index: ScreeningIndex) -> Probes:
    """Every key an analysed query may look up in `index` (screener.parent_and_unit's readings included)."""
    from computewatch.screening.screener import parent_and_unit

    out: dict[tuple[str, int], float] = {}
    group_ids: dict[str, int] = {}

    def add(key: str, credit: float, group: str) -> None:
        g = group_ids.setdefault(group, min(len(group_ids), 65535))
        if out.get((key, g), -1.0) < credit:
            out[(key, g)] = credit

    weight = float("inf")
    for f in [form, *(parent_and_unit(form) or ())]:
        families: dict[str, str] = {}
        for slot in f.slots:
            for alt in slot.alternatives:
                for t in alt:
                    families.setdefault(t, slot.family)  # the first slot's script, as `_lookup_keys`
        for t, family in families.items():
            _token_probes(t, family, index, add)
        for k in [*compound_keys(f.tokens), *_slot_compounds(f)]:
            add(f"p:{k}", COMPOUND_CREDIT, f"compound {k}")
        weight = min(weight, sum(map(index.weigh, f.tokens)))
    keys = np.fromiter((key_hash(k) for k, _ in out), dtype=np.uint64, count=len(out))
    groups = np.fromiter((g for _, g in out), dtype=np.uint16, count=len(out))
    credits = np.fromiter(out.values(), dtype=np.float32, count=len(out))
    order = np.lexsort((groups, keys))  # one order whatever the order of sets in this process
    return Probes(keys[order], credits[order], groups[order], 0.0 if weight == float("inf") else weight)


def query_probes(name: str, index: ScreeningIndex) -> Probes:
    return form_probes(analyze_name(name), index)


def name_keys(index: ScreeningIndex) -> tuple[np.ndarray, np.ndarray]:
    """(hashed key, name position) for every key of every table of `index` that leads to a name."""
    keys: list[int] = []
    names: list[int] = []

    def add(prefix: str, table: dict[str, np.ndarray]) -> None:
        for k, posting in table.items():
            h = key_hash(prefix + k)
            keys.extend([h] * posting.size)
            names.extend(posting.tolist())

    add("p:", index.postings)
    add("j:", index.joined_postings)
    add("g:", index.given_name_postings)
    add("l:", index.loose_postings)
    add("n:", index.loose_native_postings)
    spelled: dict[str, list[int]] = {}
    for token, posting in index.postings.items():
        spelled.setdefault(spelling_key(token), []).extend(posting.tolist())
    add("s:", {k: np.unique(v) for k, v in spelled.items()})
    corrected: dict[str, list[int]] = {}
    for key, words in index.typo_vocabulary.items():
        for word in words:
            corrected.setdefault(key, []).extend(index.postings[word].tolist())
    add("d:", {k: np.unique(v) for k, v in corrected.items()})
    return np.asarray(keys, dtype=np.uint64), np.asarray(names, dtype=np.int64)


def reaching(probes: list[Probes], keys: np.ndarray, names: np.ndarray, name_weights: np.ndarray) -> np.ndarray:
    """Which queries can bring one of the names enough credit to make it a candidate (bool per query).

    keys, names: name_keys of an index of the names; name_weights: the lowest weight each
    name may have (per name position)."""
    if not probes or not keys.size:
        return np.zeros(len(probes), dtype=bool)
    order = np.argsort(keys, kind="stable")
    keys, names = keys[order], names[order]
    lengths = np.fromiter((p.keys.size for p in probes), dtype=np.int64, count=len(probes))
    if not lengths.sum():
        return np.zeros(len(probes), dtype=bool)
    all_keys = np.concatenate([p.keys for p in probes])
    all_credits = np.concatenate([p.credits for p in probes]).astype(np.float64)
    all_groups = np.concatenate([p.groups for p in probes]).astype(np.int64)
    query_of = np.repeat(np.arange(len(probes)), lengths)
    # every (probe, name) the probe's key leads to (keys are sorted: a binary search per probe,
    # not np.isin, which sorts every party's probes)
    start = np.searchsorted(keys, all_keys, side="left")
    count = np.searchsorted(keys, all_keys, side="right") - start
    hit = count > 0
    all_credits, all_groups, query_of = all_credits[hit], all_groups[hit], query_of[hit]
    start, count = start[hit], count[hit]
    first = np.repeat(start - np.concatenate(([0], np.cumsum(count)[:-1])), count) + np.arange(count.sum())
    pair_name = names[first]
    width = int(names.max()) + 1
    pair = np.repeat(query_of, count) * width + pair_name
    # a name gets the best credit of each group, summed over the groups
    triple, inverse = np.unique(pair * GROUPS + np.repeat(all_groups, count), return_inverse=True)
    best = np.zeros(triple.size)
    np.maximum.at(best, inverse, np.repeat(all_credits, count))
    pair_id, per_pair = np.unique(triple // GROUPS, return_inverse=True)
    credit = np.bincount(per_pair, weights=best)
    q, n = pair_id // width, pair_id % width
    weights = np.fromiter((p.weight for p in probes), dtype=np.float64, count=len(probes))
    enough = credit >= np.minimum(QUERY_SHARE_BOUND * weights[q], NAME_SHARE_BOUND * (weights[q] + name_weights[n]))
    out = np.zeros(len(probes), dtype=bool)
    out[q[enough]] = True
    return out


def holding(probes: list[Probes], words: Iterable[str]) -> np.ndarray:
    """Which queries hold one of `words` (looked up as themselves), bool per query."""
    wanted = np.unique(np.fromiter((word_key(w) for w in words), dtype=np.uint64))
    out = np.zeros(len(probes), dtype=bool)
    if not probes or not wanted.size:
        return out
    # one lookup over every query's keys (a lookup per query cost seconds over 100,000 parties)
    lengths = np.fromiter((p.keys.size for p in probes), dtype=np.int64, count=len(probes))
    all_keys = np.concatenate([p.keys for p in probes])
    query_of = np.repeat(np.arange(len(probes)), lengths)
    out[query_of[np.isin(all_keys, wanted)]] = True
    return out
