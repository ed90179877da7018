"""screening.touch.reaching tells the queries that can make a name a candidate: checked against
its definition written out pair by pair (a name gets the best credit of each lookup group,
summed over the groups, and needs the bound of `candidates`' test), on random probes many of
which sit just above or below the bound, so a shortcut that drops a reaching query fails."""

from __future__ import annotations

import random

import numpy as np

from computewatch.screening.touch import NAME_SHARE_BOUND, QUERY_SHARE_BOUND, ProbeColumns, reaching


def _reference(probes: ProbeColumns, keys: np.ndarray, names: np.ndarray, name_weights: np.ndarray) -> np.ndarray:
    leads: dict[int, set[int]] = {}
    for k, n in zip(keys.tolist(), names.tolist(), strict=True):
        leads.setdefault(k, set()).add(n)
    out = np.zeros(probes.weights.size, dtype=bool)
    for q, wq in enumerate(probes.weights.tolist()):
        best: dict[tuple[int, int], float] = {}  # (name, group) -> best credit
        for i in np.flatnonzero(probes.query_of == q).tolist():
            for n in leads.get(int(probes.keys[i]), ()):
                g = int(probes.groups[i])
                best[(n, g)] = max(best.get((n, g), 0.0), float(probes.credits[i]))
        credit: dict[int, float] = {}
        for (n, _), c in best.items():
            credit[n] = credit.get(n, 0.0) + c
        out[q] = any(c >= min(QUERY_SHARE_BOUND * wq, NAME_SHARE_BOUND * (wq + name_weights[n])) for n, c in credit.items())
    return out


def _case(rng: random.Random, queries: int) -> tuple[ProbeColumns, np.ndarray, np.ndarray, np.ndarray]:
    n_names = rng.randrange(1, 12)
    key_space = 40
    pairs = [(k, rng.randrange(n_names)) for k in range(0, key_space, 2) for _ in range(rng.randrange(1, 4))]
    keys = np.array([k for k, _ in pairs], dtype=np.uint64)
    names = np.array([n for _, n in pairs], dtype=np.int64)
    name_weights = np.array([rng.uniform(0.5, 6.0) for _ in range(n_names)])
    query_of, pkeys, credits, groups, weights = [], [], [], [], []
    for q in range(queries):
        w = rng.uniform(0.5, 6.0)
        weights.append(w)
        size = rng.randrange(1, 7)
        # credits scaled so that the probes' sum lands near the query's bound for the lightest name
        target = min(QUERY_SHARE_BOUND * w, NAME_SHARE_BOUND * (w + float(name_weights.min())))
        share = [rng.random() for _ in range(size)]
        scale = target * rng.choice([0.9, 0.999, 1.0, 1.001, 1.2, 2.0]) / sum(share)
        for s in share:
            query_of.append(q)
            pkeys.append(rng.randrange(key_space))  # odd keys lead to no name
            credits.append(s * scale)
            groups.append(rng.randrange(3))
    probes = ProbeColumns(np.array(query_of, dtype=np.int64), np.array(pkeys, dtype=np.uint64),
                          np.array(credits, dtype=np.float32), np.array(groups, dtype=np.uint16),
                          np.array(weights))  # fmt: skip
    return probes, keys, names, name_weights


def test_reaching_keeps_its_definition() -> None:
    rng = random.Random(7)
    reached = total = 0
    for _ in range(60):
        case = _case(rng, 40)
        got = reaching(*case)
        assert got.tolist() == _reference(*case).tolist()
        reached, total = reached + int(got.sum()), total + got.size
    assert 0.05 * total < reached < 0.6 * total  # both answers are common: the test decides something
