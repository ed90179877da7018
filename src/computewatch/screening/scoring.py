"""Scoring one analysed query name against one list name.

Tokens are aligned one to one (exact, then typo-tolerant), then leftover tokens
are tried as compounds ('hik vision' = 'hikvision', 'zhang wei' = 'zhangwei').
The score is a weighted Jaccard over the aligned tokens: rare, distinctive words
weigh more than 'technology' or 'group', and every unaligned word on either side
lowers the score.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Levenshtein

from computewatch.names.analyze import NameForm

TYPO_MIN_LENGTH = 4
TYPO_MIN_SIMILARITY = 0.8
COMPOUND_MIN_SIMILARITY = 0.9
ONE_SIDED_PLACE_FACTOR = 0.25

Weight = Callable[[str], float]


@dataclass
class Alignment:
    query: str
    candidate: str
    similarity: float
    how: str  # 'exact', 'typo', 'compound'
    weight: float  # (query weight + candidate weight) / 2


@dataclass
class PairScore:
    score: float
    aligned: list[Alignment] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_candidate: list[str] = field(default_factory=list)


def _similarity(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    if min(len(a), len(b)) >= TYPO_MIN_LENGTH and not (a.isdigit() or b.isdigit()):
        sim = OSA.normalized_similarity(a, b, score_cutoff=TYPO_MIN_SIMILARITY)
        if sim:
            return float(sim), "typo"
    return 0.0, ""


def _best_slot_alignment(
    alternative: Sequence[str], cand: Sequence[str], used: list[bool], weight: Weight
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Greedy alignment of one rendering of a query slot; returns (objective, pairs)."""
    taken: set[int] = set()
    pairs: list[tuple[int, int, float, str]] = []
    objective = 0.0
    for qi, qt in enumerate(alternative):
        hit = -1
        for ci, ct in enumerate(cand):
            if ct == qt and not used[ci] and ci not in taken:
                hit = ci
                break
        if hit >= 0:
            taken.add(hit)
            pairs.append((qi, hit, 1.0, "exact"))
            objective += weight(qt)
            continue
        best = (0.0, -1)
        if len(qt) >= TYPO_MIN_LENGTH and not qt.isdigit():
            for ci, ct in enumerate(cand):
                if used[ci] or ci in taken or len(ct) < TYPO_MIN_LENGTH or abs(len(ct) - len(qt)) > 2:
                    continue
                sim = OSA.normalized_similarity(qt, ct, score_cutoff=TYPO_MIN_SIMILARITY)
                if sim > best[0]:
                    best = (sim, ci)
        if best[1] >= 0:
            taken.add(best[1])
            pairs.append((qi, best[1], best[0], "typo"))
            objective += best[0] * weight(qt)
        else:
            objective -= weight(qt)
    return objective, pairs


def _compound(
    parts: list[tuple[int, str]], others: list[tuple[int, str]]
) -> list[tuple[list[int], int, float]]:
    """Find runs of 2-3 consecutive `parts` whose concatenation equals one of `others`."""
    found: list[tuple[list[int], int, float]] = []
    used_parts: set[int] = set()
    used_others: set[int] = set()
    if len(parts) < 2:
        return found
    lengths = [len(t) for _, t in parts]
    for oi, (okey, ot) in enumerate(others):
        if len(ot) < 4:
            continue
        # A compound of 2-3 neighbouring parts must be about as long as the other token.
        if not any(
            abs(sum(lengths[i : i + k]) - len(ot)) <= 1 for k in (2, 3) for i in range(len(parts) - k + 1)
        ):
            continue
        for size in (2, 3):
            for start in range(len(parts) - size + 1):
                run = parts[start : start + size]
                if any(p[0] in used_parts for p in run):
                    continue
                joined = [run, list(reversed(run))] if size == 2 else [run]
                for order in joined:
                    text = "".join(t for _, t in order)
                    sim = 1.0 if text == ot else Levenshtein.normalized_similarity(text, ot, score_cutoff=COMPOUND_MIN_SIMILARITY)
                    if sim:
                        found.append(([p[0] for p in run], okey, float(sim)))
                        used_parts.update(p[0] for p in run)
                        used_others.add(oi)
                        break
                if oi in used_others:
                    break
            if oi in used_others:
                break
    return found


def _side_weight(unmatched: list[str], other_unmatched: list[str], weight: Weight, places: Container[str]) -> float:
    """Weight of what one side has and the other lacks. A place on one side only
    ('Beijing' in 北京旷视科技 but not in 'Megvii Technology') says little; two different
    places ('Tianjin' against 'Nanjing') say a lot."""
    other_has_place = any(t in places for t in other_unmatched)
    total = 0.0
    for t in unmatched:
        w = weight(t)
        if t in places and not other_has_place:
            w *= ONE_SIDED_PLACE_FACTOR
        total += w
    return total


def score_names(query: NameForm, candidate: Sequence[str], weight: Weight, places: Container[str] = ()) -> PairScore:
    cand = list(candidate)
    used = [False] * len(cand)
    chosen: list[str] = []  # query tokens of the chosen renderings, in slot order
    q_matched: dict[int, tuple[int, float, str]] = {}  # chosen index -> (cand index, sim, how)

    slots = sorted(
        range(len(query.slots)),
        key=lambda i: -max((weight(t) for t in query.slots[i].alternatives[0]), default=0.0),
    )
    per_slot: dict[int, tuple[tuple[str, ...], list[tuple[int, int, float, str]]]] = {}
    for si in slots:
        best: tuple[float, tuple[str, ...], list[tuple[int, int, float, str]]] | None = None
        for alt in query.slots[si].alternatives:
            objective, pairs = _best_slot_alignment(alt, cand, used, weight)
            if best is None or objective > best[0] + 1e-9:
                best = (objective, alt, pairs)
        if best is None:
            continue
        _, alt, pairs = best
        for _, ci, _, _ in pairs:
            used[ci] = True
        per_slot[si] = (alt, pairs)
    for si in range(len(query.slots)):
        if si not in per_slot:
            continue
        alt, pairs = per_slot[si]
        base = len(chosen)
        chosen.extend(alt)
        for qi, ci, sim, how in pairs:
            q_matched[base + qi] = (ci, sim, how)

    aligned: list[Alignment] = []
    for qi, (ci, sim, how) in q_matched.items():
        aligned.append(Alignment(chosen[qi], cand[ci], sim, how, (weight(chosen[qi]) + weight(cand[ci])) / 2))

    # Compounds among what is left, both ways round.
    free_q = [(i, t) for i, t in enumerate(chosen) if i not in q_matched]
    free_c = [(i, t) for i, t in enumerate(cand) if not used[i]]
    if not (free_q and free_c):
        free_q = []
    for q_idx, c_idx, sim in _compound(free_q, free_c):
        texts = [chosen[i] for i in q_idx]
        for i in q_idx:
            q_matched[i] = (c_idx, sim, "compound")
        used[c_idx] = True
        w = (sum(weight(t) for t in texts) + weight(cand[c_idx])) / 2
        aligned.append(Alignment(" ".join(texts), cand[c_idx], sim, "compound", w))
    free_q = [(i, t) for i, t in enumerate(chosen) if i not in q_matched]
    free_c = [(i, t) for i, t in enumerate(cand) if not used[i]]
    if not (free_q and free_c):
        free_c = []
    for c_idx, q_i, sim in _compound(free_c, free_q):
        texts = [cand[i] for i in c_idx]
        for i in c_idx:
            used[i] = True
        q_matched[q_i] = (c_idx[0], sim, "compound")
        w = (sum(weight(t) for t in texts) + weight(chosen[q_i])) / 2
        aligned.append(Alignment(chosen[q_i], " ".join(texts), sim, "compound", w))

    unmatched_q = [t for i, t in enumerate(chosen) if i not in q_matched]
    unmatched_c = [t for i, t in enumerate(cand) if not used[i]]
    matched = sum(a.similarity * a.weight for a in aligned)
    union = sum(a.weight for a in aligned)
    union += _side_weight(unmatched_q, unmatched_c, weight, places) + _side_weight(unmatched_c, unmatched_q, weight, places)
    score = matched / union if union > 0 else 0.0
    return PairScore(score, aligned, unmatched_q, unmatched_c)
