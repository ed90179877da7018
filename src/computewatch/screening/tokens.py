"""How similar two tokens are, and why: one function, one level per kind of evidence.

Levels, strongest first (each a similarity in 0..1 and a name for the explanation):

- exact                                        1.0
- spelling variant (`spelling_key`: Alexey / Aleksei, Sukhoi / Suhoi)   0.95
- one given name in another language (Oleksandr / Aleksandr, Mohammed / Muhammad)  0.9
- loose key across scripts (Arabic consonants mhmd / Mohammed; Hangul gim / Kim)  0.85
- initial (A / Alexey), for people                                      0.8
- two renderings of one Han word for a kind of institution (College / Academy: 学院)  0.8
- typo (one edit, two in long words; a swap of neighbours is one edit); in people's
  names never between two different known names (Olga / Oleg) nor in a short common
  family name (Li / Lin).

Every level is a pure function of the two tokens (and the scripts they came from), so
a batch of pairs can be scored column by column.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA

from computewatch.names.glossary import default_glossary
from computewatch.names.people import is_common_name, name_groups
from computewatch.names.spelling import loose_key, spelling_key

TYPO_MIN_LENGTH: Final = 4
LONG_WORD: Final = 9  # from this length on, two typos are tolerated
SPELLING_SIMILARITY: Final = 0.95
NAME_SYMBOL_SIMILARITY: Final = 0.9
LOOSE_SIMILARITY: Final = 0.85
LOOSE_TYPO_SIMILARITY: Final = 0.8
LOOSE_TYPO_MIN: Final = 4  # loose keys this long may differ by one letter (ברקוביץ brkbz / Berkovitz brkz)
INITIAL_SIMILARITY: Final = 0.8
KIND_RENDERING_SIMILARITY: Final = 0.8
COMMON_NAME_TYPO_MAX: Final = 6  # a slip in a common family name this short is another name (Li / Lin, Wang / Wan)

LOOSE_NAMES = {"abjad": "consonants (vowels unwritten)", "hangul": "Korean romanisation", "kana": "kana romanisation"}


def typo_similarity(a: str, b: str) -> float:
    """1 - edits / length when a and b are one typo apart (two for long words), else 0.

    Edits count a swap of neighbouring letters as one (OSA distance)."""
    shortest = min(len(a), len(b))
    if shortest < TYPO_MIN_LENGTH or a.isdigit() or b.isdigit():
        return 0.0
    allowed = 2 if shortest >= LONG_WORD else 1
    edits = OSA.distance(a, b, score_cutoff=allowed)
    if edits > allowed:
        return 0.0
    return 1.0 - edits / max(len(a), len(b))


def _plural_slip(q: str, c: str) -> float:
    """A misspelt plural the stemmer could not take the 's' off ('airwais' against listed
    'airway', from 'Airways'): one typo in the word without its 's'."""
    if q.endswith("s") and not c.endswith("s") and len(q) > len(c):
        return typo_similarity(q[:-1], c)
    return 0.0


def different_known_names(a: str, b: str) -> bool:
    """Both are known given names, and not the same one: Olga / Oleg, Hasan / Hussein."""
    sa, sb = name_groups(a), name_groups(b)
    return bool(sa) and bool(sb) and not (sa & sb)


@lru_cache(maxsize=262144)  # pure: the same pairs of words come back query after query
def token_match(q: str, c: str, q_family: str = "", c_family: str = "", person: bool = False) -> tuple[float, str]:
    """(similarity, how) for a query token against a candidate token; (0, '') when they do not meet."""
    if q == c:
        return 1.0, "exact"
    if q.isdigit() or c.isdigit():
        return 0.0, ""
    if len(q) == 1 or len(c) == 1:
        if person and q[0] == c[0] and q.isalpha() and c.isalpha():
            return INITIAL_SIMILARITY, "initial"
        return 0.0, ""
    qk, ck = spelling_key(q), spelling_key(c)
    if qk == ck:
        return SPELLING_SIMILARITY, "spelling variant"
    if person and len(q) >= 3 and len(c) >= 3 and name_groups(q) & name_groups(c):
        return NAME_SYMBOL_SIMILARITY, "same given name"
    family = q_family or c_family
    if family and q_family != c_family:
        lq, lc = loose_key(q, family), loose_key(c, family)
        if lq and lq == lc:
            return LOOSE_SIMILARITY, LOOSE_NAMES[family]
        if lq and lc and max(len(lq), len(lc)) >= LOOSE_TYPO_MIN and min(len(lq), len(lc)) >= 3 and OSA.distance(lq, lc, score_cutoff=1) <= 1:
            return LOOSE_TYPO_SIMILARITY, LOOSE_NAMES[family] + ", one letter apart"
    han = default_glossary().kind_renderings.get((q, c))
    if han is not None:
        return KIND_RENDERING_SIMILARITY, f"both render {han}"
    if min(len(q), len(c)) < TYPO_MIN_LENGTH or abs(len(q) - len(c)) > 2:
        return 0.0, ""
    # In people's names a slip is also forgiven between spelling keys (Hnatiuk / Gnatyuk -> hnatiuk / gnatiuk)
    sim = max(typo_similarity(q, c), typo_similarity(qk, ck) if person else 0.0, _plural_slip(q, c))
    if not sim:
        return 0.0, ""
    if person and different_known_names(q, c):
        return 0.0, ""
    if person and any(len(t) <= COMMON_NAME_TYPO_MAX and is_common_name(t) for t in (q, c)):
        return 0.0, ""  # a slip in a longer common name is still a slip (Lebedv / Lebedev)
    if person:
        # a slip in a name part is as likely another name (Polyakov / Polynkov): it counts double
        sim = max(0.0, 1 - 2 * (1 - sim))
    return sim, "typo"
