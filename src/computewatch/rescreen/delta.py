"""Delta re-screening: after a list update, re-screen only the parties the update can touch.

A party's screening result depends only on the list entries it reaches through its lookup
keys, and on the weights of the words of the names it reaches (screening/index.py). An update
that adds, changes or removes entries can therefore change the result of a party only if
the party reaches

- an entry as it is now (added or changed), or as the last run saw it (removed or changed), or
- an unchanged entry holding a word whose weight the update moved (word weights come from
  frequency bands against the power of two above the list size, so an update of a few entries
  moves few weights, and a list growing past that power of two moves them all: a full sweep).

Those entries make a small index; every party's hashed lookup keys are kept from the last run
(rescreen_probe_keys, one row per key). The keys of the small index are looked up there in one
join, so the cost follows the parties those keys meet, not every party's keys; the parties
whose keys bring a name of the small index enough credit are screened again against the whole list, with the same screener a full sweep uses; every other party keeps
the matches it had, which a full sweep would give it again, unchanged. So delta and full
re-screening raise the same alerts (tests/rescreen/test_delta.py checks it on a planted update).

A full sweep is done instead on the first run, with `rescreen --full`, when the screening
settings or code changed since the last run, and when the update reaches too much of the list
for a delta to pay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import orjson

from computewatch.rescreen.state import probes_meeting
from computewatch.screening.index import ScreeningIndex, reference_size
from computewatch.screening.index_cache import code_fingerprint
from computewatch.screening.model import ListEntity
from computewatch.screening.touch import holding, name_keys, reaching, word_keys
from computewatch.settings import ScreeningSettings
from computewatch.workspace import Workspace

MAX_SHARE = 0.25  # an update reaching more of the list than this is re-screened in full


def screening_fingerprint(settings: ScreeningSettings) -> str:
    """The screening settings and the code, data and libraries screening runs on: when any of
    them changes, results may change for every party, and the next re-screen sweeps in full."""
    return hashlib.sha256(f"{settings.model_dump_json()} {code_fingerprint()}".encode()).hexdigest()[:32]


_VIEW = "dataset, entity_id, schema, caption, names, countries, source"


def _entities(rows: list[tuple[str, ...]]) -> list[ListEntity]:
    return [
        ListEntity(eid, schema, caption, tuple(orjson.loads(names)), tuple(orjson.loads(countries)), (dataset,), source)
        for dataset, eid, schema, caption, names, countries, source in rows
    ]


def changed_entries(ws: Workspace) -> tuple[list[ListEntity], list[ListEntity]]:
    """(entries as they are now that the last run did not see so, entries as the last run saw
    them that are no longer so): added and changed, removed and changed. Compared on what
    screening reads (names, schema, countries, caption, list), not on other fields."""
    now = ws.con.execute(f"SELECT {_VIEW} FROM list_entities EXCEPT SELECT {_VIEW} FROM rescreen_list_snapshot ORDER BY 1, 2").fetchall()
    before = ws.con.execute(f"SELECT {_VIEW} FROM rescreen_list_snapshot EXCEPT SELECT {_VIEW} FROM list_entities ORDER BY 1, 2").fetchall()
    return _entities(now), _entities(before)


@dataclass
class DeltaPlan:
    """What an update touches: the entries behind it and the parties that reach them."""

    changed: list[ListEntity]  # as they are now (added, changed)
    gone: list[ListEntity]  # as the last run saw them (removed, changed)
    reweighted: list[ListEntity]  # unchanged entries holding a word whose weight moved
    parties: set[str] = field(default_factory=set)  # party keys to screen again

    def describe(self) -> str:
        return (
            f"delta: {len(self.changed)} entries added or changed, {len(self.gone)} removed or changed, "
            f"{len(self.reweighted)} re-weighted; {len(self.parties)} parties reach them"
        )


def moved_words(index: ScreeningIndex, changed: list[ListEntity], gone: list[ListEntity]) -> dict[str, float] | None:
    """Words of the changed entries whose weight the update moved, or that the lists gained or
    lost (word -> weight before); None when the update moved every weight (the list crossed a
    power of two)."""
    n_now = len(index.entities)
    n_before = n_now - len(changed) + len(gone)
    if reference_size(n_now) != reference_size(n_before):
        return None
    added = ScreeningIndex(changed).doc_freq if changed else {}
    removed = ScreeningIndex(gone).doc_freq if gone else {}
    moved = {}
    for t in set(added) | set(removed):
        df_now = index.doc_freq.get(t, 0)
        df_before = df_now - added.get(t, 0) + removed.get(t, 0)
        before = ScreeningIndex._token_weight(t, df_before, n_before)
        if before != ScreeningIndex._token_weight(t, df_now, n_now) or (df_now == 0) != (df_before == 0):
            moved[t] = before
    return moved


def holders(index: ScreeningIndex, words: Iterable[str], leave_out: list[ListEntity]) -> list[ListEntity]:
    """The entries of `index` holding one of the words, but those in `leave_out`."""
    found: set[int] = set()
    for t in words:
        found.update(index.names[ni].entity for ni in index.postings.get(t, np.empty(0, dtype=np.int32)).tolist())
    left = {(e.datasets, e.id) for e in leave_out}
    return [e for e in (index.entities[ei] for ei in sorted(found)) if (e.datasets, e.id) not in left]


def plan_delta(ws: Workspace, index: ScreeningIndex) -> DeltaPlan | str:
    """The delta re-screen of the parties the last run screened (their probes are in the
    workspace), or why a full sweep is needed.

    A party is screened again when its probes can bring a changed, removed or re-weighted entry
    enough credit to be a candidate (screening.touch.reaching), or when it holds a word whose
    weight moved (its own weight, and so every share, moved with it). Only the probes whose
    keys lead to one of those entries, or are one of those words, are read: the others cannot
    bring them credit."""
    changed, gone = changed_entries(ws)
    moved = moved_words(index, changed, gone)
    if moved is None:
        return f"the lists crossed {reference_size(len(index.entities))} entries, which moves every word's weight"
    reweighted = holders(index, moved, changed)
    plan = DeltaPlan(changed, gone, reweighted)
    reached = len(changed) + len(gone) + len(reweighted)
    if reached > MAX_SHARE * max(len(index.entities), 1):
        return f"the update reaches {reached} of {len(index.entities)} entries"
    if not reached:
        return plan
    touch = ScreeningIndex(changed + gone + reweighted)
    # the lowest weight each of those names may have had or have now (lower weight: easier to reach)
    after = index.weigh
    weights = np.array([min(sum(map(after, n.tokens)), sum(moved.get(t, after(t)) for t in n.tokens)) for n in touch.names])
    keys, names = name_keys(touch)
    parties, found = probes_meeting(ws, np.concatenate([keys, word_keys(moved)]))
    again = reaching(found, keys, names, weights) | holding(found, moved)
    plan.parties = {k for k, a in zip(parties, again.tolist(), strict=True) if a}
    return plan
