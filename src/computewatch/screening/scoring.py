"""Scoring one analysed query name against one list name.

Tokens are aligned one to one (exact, then by the weaker levels of
`screening.tokens.token_match`: spelling variants, person-name variants, loose keys
across scripts, initials, typos), then leftover tokens are tried as compounds
('hik vision' = 'hikvision', 'zhang wei' = 'zhangwei'). The score is a weighted
Jaccard over the aligned tokens: rare, distinctive words weigh more than
'technology' or 'group', and every unaligned word on either side lowers the score.

People's names (`person=True`) are bags of parts: a middle name or patronymic only
one side has lowers the score little, and a common family name (Wang, Ivanov) weighs
less than a rare one.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Final

from rapidfuzz.distance import Levenshtein

from computewatch.names.analyze import NameForm
from computewatch.names.latin import is_descriptive, is_field_word, is_weak, latin_words
from computewatch.names.people import is_common_name, is_patronymic
from computewatch.screening.tokens import token_match, typo_similarity

__all__ = ["Alignment", "PairScore", "score_names", "typo_similarity"]

MIDDLE_NAME_FACTOR: Final = 0.25  # a middle name only one side has
PATRONYMIC_FACTOR: Final = 0.1  # a patronymic only one side has: Western lists mostly leave them out
COMMON_NAME_FACTOR: Final = 0.5  # Wang, Li, Ivanov, Mohammed: shared by very many people
COMPOUND_MIN_SIMILARITY: Final = 0.9
ONE_SIDED_PLACE_FACTOR: Final = 0.25
FIELD_WORD_FACTOR: Final = 0.85
PLACES_ONLY_FACTOR: Final = 0.8
ABBREVIATION_SIMILARITY: Final = 0.85
ABBREVIATION_MIN_LENGTH: Final = 4
ACRONYM_SIMILARITY: Final = 0.85
ACRONYM_LENGTHS = range(3, 7)  # 'RAS', 'NUDT'; two letters are too often something else

Weight = Callable[[str], float]


@dataclass(slots=True)
class Alignment:
    query: str
    candidate: str
    similarity: float
    how: str  # 'exact', 'typo', 'compound'
    weight: float  # (query weight + candidate weight) / 2


@dataclass(slots=True)
class PairScore:
    score: float
    aligned: list[Alignment] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_candidate: list[str] = field(default_factory=list)


def is_abbreviation(a: str, b: str) -> bool:
    """'comm' for 'commission', 'inst' for 'institute': one word cut short of the other."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= ABBREVIATION_MIN_LENGTH and len(long) >= len(short) + 2 and long.startswith(short) and not short.isdigit()


def _best_slot_alignment(
    alternative: Sequence[str],
    cand: Sequence[str],
    used: list[bool],
    weight: Weight,
    family: str = "",
    cand_families: Sequence[str] = (),
    person: bool = False,
) -> tuple[tuple[float, float], list[tuple[int, int, float, str]]]:
    """Greedy alignment of one rendering of a query slot.

    Returns ((share of the rendering's weight that meets the candidate, weight that
    meets it), pairs): the rendering of a slot that best fits the candidate is the one
    most of which meets it, then the one that brings more.
    """
    taken: set[int] = set()
    pairs: list[tuple[int, int, float, str]] = []
    objective = 0.0
    for qi, qt in enumerate(alternative):
        hit = -1
        if qt in cand:  # (one C-level scan first: most words are not there)
            for ci, ct in enumerate(cand):
                if ct == qt and not used[ci] and ci not in taken:
                    hit = ci
                    break
        if hit >= 0:
            taken.add(hit)
            pairs.append((qi, hit, 1.0, "exact"))
            objective += weight(qt)
            continue
        best = (0.0, -1, "")
        for ci, ct in enumerate(cand):
            if used[ci] or ci in taken:
                continue
            sim, how = token_match(qt, ct, family, cand_families[ci] if cand_families else "", person)
            if sim > best[0]:
                best = (sim, ci, how)
        if best[1] >= 0:
            taken.add(best[1])
            pairs.append((qi, best[1], best[0], best[2]))
            objective += best[0] * weight(qt)
    total = sum(map(weight, alternative), 0.0)
    return ((objective / total if total else 0.0), objective), pairs


def _met_by_others(alternatives: Sequence[Sequence[str]], cand: Sequence[str], used: list[bool], weight: Weight) -> bool:
    """A slot none of whose renderings meets what is left of the candidate, but one of which
    meets, word for word, candidate words other slots have already taken."""
    taken = [c for c, u in zip(cand, used, strict=True) if u]
    return any(alt and all(t in taken for t in alt) for alt in alternatives)


def _echoes(chosen: list[str], matched: Container[int], slot_of: list[int], rendered: list[bool]) -> list[int]:
    """Unmatched query words that repeat the end or start of a matched neighbour rendered from
    another slot: 景嘉微 rendered 'jingjia microelectronic' followed by 电子 'electronic' says
    'electronic' once. Words typed as they are ('Hikvision Vision') are never echoes."""
    found = []
    for i, t in enumerate(chosen):
        if i in matched or len(t) < 4:
            continue
        before = i > 0 and rendered[i - 1] and slot_of[i - 1] != slot_of[i] and i - 1 in matched and chosen[i - 1].endswith(t) and chosen[i - 1] != t
        after = (i + 1 < len(chosen) and rendered[i + 1] and slot_of[i + 1] != slot_of[i] and i + 1 in matched
                 and chosen[i + 1].startswith(t) and chosen[i + 1] != t)  # fmt: skip
        if before or after:
            found.append(i)
    return found


def _compound(
    parts: list[tuple[int, tuple[str, ...]]], others: list[tuple[int, str]]
) -> list[tuple[list[int], int, float, list[str]]]:
    """Find runs of 2-3 consecutive `parts` whose concatenation equals one of `others`.

    A part may offer several renderings (星 = 'star' or 'xing'); the run is tried with each,
    so 星桥 meets 'xingqiao'. Returns (part indices, other index, similarity, texts used).
    """
    found: list[tuple[list[int], int, float, list[str]]] = []
    used_parts: set[int] = set()
    used_others: set[int] = set()
    if len(parts) < 2:
        return found
    shortest = [min(len(t) for t in opts) for _, opts in parts]
    longest = [max(len(t) for t in opts) for _, opts in parts]
    for oi, (okey, ot) in enumerate(others):
        if len(ot) < 4:
            continue
        # A compound of 2-3 neighbouring parts must be about as long as the other token.
        if not any(
            sum(shortest[i : i + k]) - 1 <= len(ot) <= sum(longest[i : i + k]) + 1
            for k in (2, 3) for i in range(len(parts) - k + 1)
        ):  # fmt: skip
            continue
        for size in (2, 3):
            for start in range(len(parts) - size + 1):
                run = parts[start : start + size]
                if any(p[0] in used_parts for p in run):
                    continue
                joined = [run, list(reversed(run))] if size == 2 else [run]
                for order in joined:
                    hit = _joined_match([opts for _, opts in order], ot)
                    if hit:
                        sim, texts = hit
                        if order is not run:
                            texts = list(reversed(texts))
                        found.append(([p[0] for p in run], okey, sim, texts))
                        used_parts.update(p[0] for p in run)
                        used_others.add(oi)
                        break
                if oi in used_others:
                    break
            if oi in used_others:
                break
    return found


def _joined_match(options: list[tuple[str, ...]], other: str) -> tuple[float, list[str]] | None:
    """The best concatenation of one rendering per part that equals (or nearly equals) `other`."""
    best: tuple[float, list[str]] | None = None
    for combo in product(*options):
        if abs(sum(len(t) for t in combo) - len(other)) > 1:
            continue
        text = "".join(combo)
        sim = 1.0 if text == other else Levenshtein.normalized_similarity(text, other, score_cutoff=COMPOUND_MIN_SIMILARITY)
        if sim and (best is None or sim > best[0]):
            best = (float(sim), list(combo))
            if sim == 1.0:
                break
    return best


def _acronyms(letters: list[tuple[int, str]], words: list[tuple[int, str]]) -> list[tuple[int, list[int]]]:
    """Unmatched words of one side that are the initials of a run of neighbouring unmatched
    words of the other: 'RAS' for 'Russian Academy of Sciences' (stopwords are already gone).
    Returns (word index, indices of the run)."""
    found: list[tuple[int, list[int]]] = []
    taken: set[int] = set()
    for i, t in letters:
        if len(t) not in ACRONYM_LENGTHS or not t.isalpha():
            continue
        for start in range(len(words) - len(t) + 1):
            run = words[start : start + len(t)]
            if (run[-1][0] - run[0][0] == len(t) - 1 and not taken.intersection(j for j, _ in run)
                    and all(len(w) > 1 and w[0] == ch for (_, w), ch in zip(run, t, strict=True))):  # fmt: skip
                found.append((i, [j for j, _ in run]))
                taken.update(j for j, _ in run)
                break
    return found


def _side_weight(
    unmatched: list[str], other_unmatched: list[str], edges: set[str], weight: Weight, places: Container[str],
    named: bool = True,
) -> float:
    """Weight of what one side has and the other lacks. A place opening or closing one
    name only ('Beijing' in 北京旷视科技 but not in 'Megvii Technology'; 'X Co. (Shanghai)')
    says little when the names share a word that names the organisation (`named`); two
    different places ('Tianjin' against 'Nanjing') say a lot, and so does a place inside a
    name, or one that alone tells two descriptive names apart ('Shenyang Institute of
    Automation' against 'Institute of Automation'; a group prefix such as 'PLA' still says
    little there)."""
    other_has_place = any(t in places for t in other_unmatched)
    total = 0.0
    for t in unmatched:
        w = weight(t)
        if t in places and t in edges and not other_has_place and (named or t in latin_words().group_prefixes):
            w *= ONE_SIDED_PLACE_FACTOR
        total += w
    return total


def _division_discount(unmatched: list[str], other_unmatched: list[str], tokens: Sequence[str], weight: Weight, places: Container[str]) -> float:
    """How much less than in full the words for a place's division ('Shihezi Municipality')
    that one side has right after a place both sides share count, when the other side has
    none left."""
    divisions = latin_words().place_divisions
    if not _holds_any(divisions, unmatched) or _holds_any(divisions, other_unmatched):
        return 0.0
    return sum(
        ((1 - ONE_SIDED_PLACE_FACTOR) * weight(t) for i, t in enumerate(tokens) if i and t in divisions and t in unmatched and tokens[i - 1] in places and tokens[i - 1] not in unmatched),
        0.0,
    )


def _holds_any(places: Container[str], tokens: list[str]) -> bool:
    if isinstance(places, (set, frozenset)):
        return not places.isdisjoint(tokens)
    return any(t in places for t in tokens)


def _edges(tokens: Sequence[str], places: Container[str] = ()) -> set[str]:
    """The words opening and closing a name, looking past weak words ('Aeroflot Russian
    Airlines' closes with 'Russian' as 'X Co. (Shanghai)' closes with 'Shanghai'), and
    the places next to them ('... of the Russian Federation' closes with both)."""
    strong = [t for t in tokens if not is_weak(t)] or list(tokens)
    if not strong:
        return set()
    edges = {strong[0], strong[-1]}
    for run in (strong, strong[::-1]):
        if run[0] in places:
            for t in run[1:]:
                if t not in places:
                    break
                edges.add(t)
    return edges


def person_weight(weight: Weight) -> Weight:
    """Token weights for people's names: a common family name says less than a rare one."""

    def weigh(token: str) -> float:
        w = weight(token)
        return w * COMMON_NAME_FACTOR if is_common_name(token) else w

    return weigh


def _middle_parts(unmatched: list[str], tokens: Sequence[str], other_fully_matched: bool) -> set[str]:
    """Parts of a person's name the other side may simply leave out: patronymics, and, when
    everything the other side has is matched, inner parts of a name of three or more and a
    very common first given name before two more (Mehmet Hakan Atilla goes by Hakan Atilla)."""
    found = {t for t in unmatched if is_patronymic(t)}
    if other_fully_matched and len(tokens) >= 3:
        found |= {t for t in unmatched if t not in (tokens[0], tokens[-1])}
        if tokens[0] in unmatched and is_common_name(tokens[0]):
            found.add(tokens[0])
    return found


def score_names(
    query: NameForm,
    candidate: Sequence[str],
    weight: Weight,
    places: Container[str] = (),
    cand_families: Sequence[str] = (),
    person: bool = False,
    person_weights: Weight | None = None,
) -> PairScore:
    """`person_weights`: the weights for people's names, when the caller keeps them
    (`person_weight(weight)` otherwise)."""
    if person:
        weight = person_weights or person_weight(weight)
    cand = list(candidate)
    used = [False] * len(cand)
    chosen: list[str] = []  # query tokens of the chosen renderings, in slot order
    slot_of: list[int] = []  # the slot each chosen token comes from
    q_matched: dict[int, tuple[int, float, str]] = {}  # chosen index -> (cand index, sim, how)

    heaviest = [max(map(weight, slot.alternatives[0]), default=0.0) for slot in query.slots]
    slots = sorted(range(len(query.slots)), key=lambda i: -heaviest[i])
    per_slot: dict[int, tuple[tuple[str, ...], list[tuple[int, int, float, str]]]] = {}
    for si in slots:
        best: tuple[tuple[float, float], tuple[str, ...], list[tuple[int, int, float, str]]] | None = None
        slot = query.slots[si]
        for alt in slot.person_alternatives() if person else slot.alternatives:
            fit, pairs = _best_slot_alignment(alt, cand, used, weight, slot.family, cand_families, person)
            if best is None or fit > best[0]:
                best = (fit, alt, pairs)
        if best is None:
            continue
        if not best[2] and any(used) and _met_by_others(slot.alternatives, cand, used, weight):
            continue  # its meaning is in another slot's rendering ('avic' in 中国航空工业集团 and in the institute's name)
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
        slot_of.extend([si] * len(alt))
        for qi, ci, sim, how in pairs:
            q_matched[base + qi] = (ci, sim, how)

    aligned: list[Alignment] = []
    for qi, (ci, sim, how) in q_matched.items():
        aligned.append(Alignment(chosen[qi], cand[ci], sim, how, (weight(chosen[qi]) + weight(cand[ci])) / 2))

    # Compounds among what is left, both ways round. An unmatched slot whose renderings are
    # single words offers each of them (its translation was chosen only by default).
    options: dict[int, tuple[str, ...]] = {}
    base = 0
    for si in range(len(query.slots)):
        if si not in per_slot:
            continue
        alt, pairs = per_slot[si]
        alternatives = query.slots[si].alternatives
        if not pairs and len(alt) == 1 and all(len(a) == 1 for a in alternatives):
            options[base] = (alt[0], *(a[0] for a in alternatives if a[0] != alt[0]))
        base += len(alt)
    free_q = [(i, options.get(i, (t,))) for i, t in enumerate(chosen) if i not in q_matched]
    free_c = [(i, t) for i, t in enumerate(cand) if not used[i]]
    if not (free_q and free_c):
        free_q = []
    for q_idx, c_idx, sim, texts in _compound(free_q, free_c):
        for i, text in zip(q_idx, texts, strict=True):
            chosen[i] = text  # the rendering that met
            q_matched[i] = (c_idx, sim, "compound")
        used[c_idx] = True
        w = (sum((weight(t) for t in texts), 0.0) + weight(cand[c_idx])) / 2
        aligned.append(Alignment(" ".join(texts), cand[c_idx], sim, "compound", w))
    free_q2 = [(i, t) for i, t in enumerate(chosen) if i not in q_matched]
    free_c2: list[tuple[int, tuple[str, ...]]] = [(i, (t,)) for i, t in enumerate(cand) if not used[i]] if free_q2 else []
    for c_parts, q_one, sim, texts in _compound(free_c2, free_q2):
        for i in c_parts:
            used[i] = True
        q_matched[q_one] = (c_parts[0], sim, "compound")
        w = (sum((weight(t) for t in texts), 0.0) + weight(chosen[q_one])) / 2
        aligned.append(Alignment(chosen[q_one], " ".join(texts), sim, "compound", w))

    # Acronyms of what is left, both ways round: 'RAS' against 'Russian Academy of Sciences'.
    # (an acronym has three letters at the least, so the other side needs three words left)
    free_q3 = [(i, t) for i, t in enumerate(chosen) if i not in q_matched]
    free_c3 = [(i, t) for i, t in enumerate(cand) if not used[i]] if free_q3 else []
    if free_q3 and len(free_c3) >= min(ACRONYM_LENGTHS):
        for qi, run in _acronyms(free_q3, free_c3):
            for ci in run:
                used[ci] = True
            q_matched[qi] = (run[0], ACRONYM_SIMILARITY, "acronym")
            w = (weight(chosen[qi]) + sum((weight(cand[ci]) for ci in run), 0.0)) / 2
            aligned.append(Alignment(chosen[qi], " ".join(cand[ci] for ci in run), ACRONYM_SIMILARITY, "acronym", w))
        free_q3 = [(i, t) for i, t in enumerate(chosen) if i not in q_matched]
        free_c3 = [(i, t) for i, t in enumerate(cand) if not used[i]]
    for ci, run in _acronyms(free_c3, free_q3) if free_c3 and len(free_q3) >= min(ACRONYM_LENGTHS) else ():
        used[ci] = True
        for qi in run:
            q_matched[qi] = (ci, ACRONYM_SIMILARITY, "acronym")
        w = (weight(cand[ci]) + sum((weight(chosen[qi]) for qi in run), 0.0)) / 2
        aligned.append(Alignment(" ".join(chosen[qi] for qi in run), cand[ci], ACRONYM_SIMILARITY, "acronym", w))

    # Last, words cut short: 'comm' for 'commission' (after compounds: 'sense time' is 'sensetime').
    for qi, qt in enumerate(chosen):
        if qi in q_matched:
            continue
        for ci, ct in enumerate(cand):
            if not used[ci] and is_abbreviation(qt, ct) and not (person and qi == len(chosen) - 1 and ci == len(cand) - 1):
                # a given name may be cut short (Alex, Alexander), a family name is another one (Sobolev, Sobolevsky)
                used[ci] = True
                q_matched[qi] = (ci, ABBREVIATION_SIMILARITY, "abbreviation")
                w = (weight(qt) + weight(ct)) / 2
                aligned.append(Alignment(qt, ct, ABBREVIATION_SIMILARITY, "abbreviation", w))
                break
    rendered = [query.slots[si].how not in ("word", "initial") for si in slot_of]  # translated or transliterated
    for qi in _echoes(chosen, q_matched, slot_of, rendered):
        neighbour = qi - 1 if qi > 0 and qi - 1 in q_matched else qi + 1
        q_matched[qi] = q_matched[neighbour]
        aligned.append(Alignment(chosen[qi], chosen[neighbour], 1.0, "echo", 0.0))  # weighs nothing either way
    unmatched_q = [t for i, t in enumerate(chosen) if i not in q_matched]
    unmatched_c = [t for i, t in enumerate(cand) if not used[i]]
    matched = sum((a.similarity * a.weight for a in aligned), 0.0)
    union = sum((a.weight for a in aligned), 0.0)
    # two different patronymics name two different fathers: neither is a part merely left out
    conflicting = person and any(map(is_patronymic, unmatched_q)) and any(map(is_patronymic, unmatched_c))
    if person and not conflicting:
        middle = _middle_parts(unmatched_q, chosen, not unmatched_c) | _middle_parts(unmatched_c, cand, not unmatched_q)
        for t in unmatched_q + unmatched_c:
            if t in middle:
                union -= (1 - (PATRONYMIC_FACTOR if is_patronymic(t) else MIDDLE_NAME_FACTOR)) * weight(t)
    union -= _division_discount(unmatched_q, unmatched_c, chosen, weight, places)
    union -= _division_discount(unmatched_c, unmatched_q, cand, weight, places)
    if _holds_any(places, unmatched_q) or _holds_any(places, unmatched_c):
        # a place only one side has: how much it says depends on where it stands and on what meets
        named = any(not is_descriptive(a.query) and a.query not in places for a in aligned if a.how != "echo")
        union += _side_weight(unmatched_q, unmatched_c, _edges(chosen, places), weight, places, named)
        union += _side_weight(unmatched_c, unmatched_q, _edges(cand, places), weight, places, named)
    else:
        union += sum(map(weight, unmatched_q), 0.0)  # as _side_weight sums them, one side after the other
        union += sum(map(weight, unmatched_c), 0.0)
    score = matched / union if union > 0 else 0.0
    if (unmatched_q or unmatched_c) and any(is_field_word(t) for t in unmatched_q + unmatched_c):
        score *= FIELD_WORD_FACTOR
    if not person and (unmatched_q or unmatched_c) and aligned and all(a.query in places for a in aligned if a.how != "echo"):
        # only places meet ('Hong Kong Trading' against 'Hong Kong Development Group'): such
        # names are the same only when nothing else differs
        score *= PLACES_ONLY_FACTOR
    return PairScore(score, aligned, unmatched_q, unmatched_c)
