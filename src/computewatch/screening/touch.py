"""Which queries a set of list entries can touch: the keys a query looks up, and the keys an index holds.

A query meets list names only through keys (`ScreeningIndex._lookup_keys`): its words,
their spelling keys, typo-deletion keys, given-name groups, loose keys across scripts,
words run together. `query_probes` lists every key a query could look up, in any table
and whatever the index holds (a superset of what it does look up); `index_keys` lists
every key an index of some entries holds. A query whose probes miss all of an index's keys
cannot reach any of its entries: its screening result cannot depend on them.

Re-screening uses this to re-screen only the parties an update of the lists can touch.
Keys are hashed to 64 bits (CRC-32 and Adler-32 of the key): two equal keys always hash
alike, so a collision can only make a query look touched when it is not, never the reverse.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.names.people import name_groups
from computewatch.names.spelling import LOOSE_FAMILIES, deletions, spelling_key
from computewatch.screening.index import TYPO_KEY_MIN_LENGTH, ScreeningIndex, _slot_compounds, compound_keys


def key_hash(key: str) -> int:
    data = key.encode()
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


def _hashes(keys: Iterable[str]) -> np.ndarray:
    return np.unique(np.fromiter((key_hash(k) for k in keys), dtype=np.uint64))


def _token_probes(t: str, family: str) -> list[str]:
    probes = [f"p:{t}", f"s:{spelling_key(t)}", f"j:{t}"]
    if len(t) >= TYPO_KEY_MIN_LENGTH and not t.isdigit():
        probes += [f"d:{k}" for k in deletions(t)]
    if len(t) > 2 and t.isalpha():
        probes += [f"g:{symbol}" for symbol in name_groups(t)]
    if family:
        probes += [f"l:{family}:{k}" for k in ScreeningIndex._loose_keys(t, family)]
    else:
        probes += [f"n:{fam}:{k}" for fam in LOOSE_FAMILIES for k in ScreeningIndex._loose_keys(t, fam)]
    return probes


def form_probes(form: NameForm) -> set[str]:
    """Every key one analysed query may look up (screener.parent_and_unit's parts included)."""
    from computewatch.screening.screener import parent_and_unit

    forms = [form, *(parent_and_unit(form) or ())]
    probes: set[str] = set()
    for f in forms:
        for slot in f.slots:
            for alt in slot.alternatives:
                for t in alt:
                    probes.update(_token_probes(t, slot.family))
        probes.update(f"p:{k}" for k in compound_keys(f.tokens))
        probes.update(f"p:{k}" for k in _slot_compounds(f))
    return probes


def query_probes(name: str) -> np.ndarray:
    """The hashed keys a query name may look up (sorted, distinct)."""
    return _hashes(form_probes(analyze_name(name)))


def index_keys(index: ScreeningIndex) -> np.ndarray:
    """The hashed keys of every table of an index (sorted, distinct)."""
    keys: list[str] = [f"p:{k}" for k in index.postings]
    keys += [f"s:{k}" for k in index.spellings]
    keys += [f"j:{k}" for k in index.joined_postings]
    keys += [f"d:{k}" for k in index.typo_vocabulary]
    keys += [f"g:{k}" for k in index.given_name_postings]
    keys += [f"l:{k}" for k in index.loose_postings]
    keys += [f"n:{k}" for k in index.loose_native_postings]
    return _hashes(keys)


def touched(probes: np.ndarray, offsets: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """For queries whose probes lie at probes[offsets[i]:offsets[i + 1]]: which ones hold a key (bool per query)."""
    hits = np.concatenate(([0], np.cumsum(np.isin(probes, keys), dtype=np.int64)))
    return (hits[offsets[1:]] - hits[offsets[:-1]]) > 0
