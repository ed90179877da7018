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
    add("s:", {k: np.array(sorted(set(v))) for k, v in spelled.items()})
    corrected: dict[str, list[int]] = {}
    for key, words in index.typo_vocabulary.items():
        for word in words:
            corrected.setdefault(key, []).extend(index.postings[word].tolist())
    add("d:", {k: np.array(sorted(set(v))) for k, v in corrected.items()})
    return np.asarray(keys, dtype=np.uint64), np.asarray(names, dtype=np.int64)


@dataclass
class ProbeColumns:
    """Many queries' probes column by column, as re-screening stores them: probe i belongs to
    query query_of[i] (a position in `weights`, one weight per query)."""

    query_of: np.ndarray  # int64
    keys: np.ndarray  # uint64
    credits: np.ndarray  # float32
    groups: np.ndarray  # uint16
    weights: np.ndarray  # float64, per query

    @classmethod
    def of(cls, probes: list[Probes]) -> ProbeColumns:
        lengths = np.fromiter((p.keys.size for p in probes), dtype=np.int64, count=len(probes))
        if not probes:
            return cls.from_blobs([])
        return cls(np.repeat(np.arange(len(probes)), lengths), np.concatenate([p.keys for p in probes]),
                   np.concatenate([p.credits for p in probes]), np.concatenate([p.groups for p in probes]),
                   np.fromiter((p.weight for p in probes), dtype=np.float64, count=len(probes)))  # fmt: skip

    @classmethod
    def from_blobs(cls, blobs: list[bytes]) -> ProbeColumns:
        """The columns of many Probes.to_bytes blobs (one pass over the bytes, not an array per query)."""
        sizes = [(len(b) - 8) // 14 for b in blobs]
        views = [memoryview(b) for b in blobs]

        def column(dtype: str, part: Callable[[memoryview, int], memoryview]) -> np.ndarray:
            return np.frombuffer(b"".join([part(v, n) for v, n in zip(views, sizes, strict=True)]), dtype=dtype)

        return cls(
            np.repeat(np.arange(len(blobs), dtype=np.int64), np.asarray(sizes, dtype=np.int64)),
            column("<u8", lambda v, n: v[8 : 8 + 8 * n]),
            column("<f4", lambda v, n: v[8 + 8 * n : 8 + 12 * n]),
            column("<u2", lambda v, n: v[8 + 12 * n :]),
            column("<f8", lambda v, n: v[:8]),
        )


def reaching(probes: ProbeColumns, keys: np.ndarray, names: np.ndarray, name_weights: np.ndarray) -> np.ndarray:
    """Which queries can bring one of the names enough credit to make it a candidate (bool per query).

    keys, names: name_keys of an index of the names; name_weights: the lowest weight each
    name may have (per name position). Probes whose keys lead to none of the names may be
    left out of `probes`: they change nothing."""
    out = np.zeros(probes.weights.size, dtype=bool)
    if not probes.keys.size or not keys.size:
        return out
    order = np.argsort(keys, kind="stable")
    keys, names = keys[order], names[order]
    # every (probe, name) the probe's key leads to (keys are sorted: a binary search per probe,
    # not np.isin, which sorts every party's probes)
    start = np.searchsorted(keys, probes.keys, side="left")
    count = np.searchsorted(keys, probes.keys, side="right") - start
    hit = count > 0
    # A name's credit from a query is at most the sum of the credits of the query's probes that
    # lead to any of the names, and the name needs at least `floor` (the lightest name's bound):
    # queries whose probes sum to less cannot reach any (most queries meet the names by one
    # common word only), so their pairs are never formed. The margin keeps rounding out of it.
    weights = probes.weights
    total = np.bincount(probes.query_of[hit], weights=probes.credits[hit], minlength=weights.size)
    floor = np.minimum(QUERY_SHARE_BOUND * weights, NAME_SHARE_BOUND * (weights + name_weights[names].min()))
    hit &= (total >= floor * (1 - 1e-9))[probes.query_of]
    all_credits = probes.credits[hit].astype(np.float64)
    all_groups = probes.groups[hit].astype(np.int64)
    query_of = probes.query_of[hit]
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
    enough = credit >= np.minimum(QUERY_SHARE_BOUND * weights[q], NAME_SHARE_BOUND * (weights[q] + name_weights[n]))
    out[q[enough]] = True
    return out


def word_keys(words: Iterable[str]) -> np.ndarray:
    """The probes of words looked up as themselves, sorted."""
    return np.unique(np.fromiter((word_key(w) for w in words), dtype=np.uint64))


def holding(probes: ProbeColumns, words: Iterable[str]) -> np.ndarray:
    """Which queries hold one of `words` (looked up as themselves), bool per query."""
    wanted = word_keys(words)
    out = np.zeros(probes.weights.size, dtype=bool)
    if wanted.size and probes.keys.size:
        out[probes.query_of[np.isin(probes.keys, wanted)]] = True
    return out
