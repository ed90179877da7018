"""Spelling keys: one key for the common Latin spellings of one name word.

Lists and registers write the same Russian, Arabic or Greek name in several Latin
spellings (Alexey / Aleksei / Aleksej, Dmitriy / Dmitry / Dmitrii, Sukhoi / Suhoi,
Yevgeny / Evgeny, Hussein / Husein, Youssef / Yusef). `spelling_key` folds those
differences so they meet; a match on the key alone counts slightly less than an
exact one, and the explanation says it was a spelling variant.

Scripts that leave vowels unwritten (Arabic, Persian, Hebrew) or whose Latin forms
differ in consonants (Hangul: Revised Romanization against McCune-Reischauer) are
compared on a looser key, `loose_key(token, family)`, and only across scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache

Rules = tuple[tuple[re.Pattern[str], str], ...]


def _rules(*pairs: tuple[str, str]) -> Rules:
    """(pattern, replacement) pairs, compiled; applied in order by `_rewrite`."""
    return tuple((re.compile(p), r) for p, r in pairs)


def _rewrite(rules: Rules, key: str) -> str:
    for pattern, replacement in rules:
        key = pattern.sub(replacement, key)
    return key


# Applied in order; each pair is (pattern, replacement) on a folded ASCII word.
_SPELLING_RULES = _rules(
    (r"x", "ks"),  # Alexey / Aleksei
    (r"kh", "h"),  # Sukhoi / Suhoi, Mikhail / Mihail
    (r"ph", "f"),
    (r"tz", "ts"),  # Tzoi / Tsoi
    (r"ck", "k"),
    (r"c(?!h)", "k"),  # Micran / Mikran, Roscosmos / Roskosmos (Russian к in brand names)
    (r"q", "k"),  # Qandeel / Kandil, Qasim / Kasim
    (r"dj", "j"),  # Djamal / Jamal
    (r"(?<=[aeiou])j", "y"),  # Sergej / Sergey, Nikolaj / Nikolay
    (r"ou", "u"),  # Youssef / Yusef, Papadopoulos / Papadopulos
    (r"^ye", "e"),  # Yevgeny / Evgeny, Yelena / Elena
    (r"(?:iy|ii|yi|ij|yj|y)$", "i"),  # Dmitriy / Dmitrii / Dmitry / Dmitri
    (r"y", "i"),  # Chayka / Chaika, Husayn / Husain
    (r"ee", "i"),  # Sameer / Samir
    (r"oo", "u"),
    (r"ei", "ai"),  # Hussein / Husain, Sergei / Sergey
    (r"w", "v"),  # Ivanow / Ivanov
    (r"(.)\1+", r"\1"),  # Mohammed / Mohamed, Abdullah / Abdulah
)


@lru_cache(maxsize=262144)
def spelling_key(token: str) -> str:
    """'alexey', 'aleksei', 'aleksej' -> 'aleksai'. Digits and one-letter tokens stay as they are."""
    if len(token) < 3 or not token.isalpha():
        return token
    return _rewrite(_SPELLING_RULES, token)


# Consonant classes for vowel-less scripts: each Latin spelling of one Arabic letter
# lands in one class ('kh' and 'h', 'q' and 'k', 'th' and 't', 'dh' and 'd'...).
_SKELETON_RULES = _rules(
    (r"['`ʿʾ]", ""),
    (r"h$", ""),  # ta marbuta and a closing ع: Fatimah / Fatima, Sateh / Sati
    (r"[aeiouywv]", ""),  # vowels, and the letters that write long vowels (و is w, v, o or u)
    # then the Latin spellings of one letter fall together, on both sides alike
    (r"[qc]", "k"),  # and 'ch' is 'kh' (Chaim, Cohen / Kohen)
    (r"kh", "k"),  # Arabic خ and Hebrew כ: Khalid, Cohen / Kohen
    (r"gh", "k"),  # Persian ق, Arabic غ: Ghanbar / Qanbar
    (r"[tdz]z|ts", "z"),  # Hebrew צ: Berkovitz / Berkowiz
    (r"sh", "S"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"p", "b"),  # Persian پ is often written b in Latin
    (r"(.)\1+", r"\1"),
)


def _skeleton(token: str) -> str:
    return _rewrite(_SKELETON_RULES, token.lower())


# Hangul: Revised Romanization (gim, jeong, eun, bak) against McCune-Reischauer and
# common spellings (kim, jong, un, pak/park): vowels eo/eu fold, plain stops unvoice.
_KOREAN_RULES = _rules(
    (r"eo", "o"),
    (r"eu", "u"),
    (r"oo", "u"),
    (r"ee", "i"),
    (r"ch", "j"),
    (r"^g", "k"),
    (r"^d", "t"),
    (r"^b", "p"),
    (r"^r", "l"),
    (r"(?<=[aeiou])r(?=$|[^aeiou])", ""),  # Park / Pak
    (r"sh", "s"),
    (r"y", "i"),
    (r"(.)\1+", r"\1"),
)


def _korean(token: str) -> str:
    return _rewrite(_KOREAN_RULES, token.lower())


# Kana: long vowels written out or not (Toukyou / Tokyo), Hepburn against Kunrei (shi / si).
_KANA_RULES = _rules(
    (r"ou", "o"),
    (r"oo", "o"),
    (r"uu", "u"),
    (r"ei", "e"),
    (r"shi", "si"),
    (r"chi", "ti"),
    (r"tsu", "tu"),
    (r"fu", "hu"),
    (r"ji", "zi"),
    (r"j", "zy"),
    (r"sh", "sy"),
    (r"ch", "ty"),
    (r"(.)\1+", r"\1"),
)


def _kana(token: str) -> str:
    return _rewrite(_KANA_RULES, token.lower())


LOOSE_FAMILIES = ("abjad", "hangul", "kana")
_LOOSE = {"abjad": _skeleton, "hangul": _korean, "kana": _kana}
MIN_LOOSE_KEY = {"abjad": 1, "hangul": 2, "kana": 3}  # علي is Ali: one consonant


def deletions(key: str) -> set[str]:
    """The key and the key with one letter left out: two keys one edit apart share one of these."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


@lru_cache(maxsize=262144)
def loose_key(token: str, family: str) -> str:
    """The key of a Latin token in a script family's looser comparison ('' when too short to say anything).

    abjad: consonant skeleton (Mohammed, Muhammad, mhmd -> 'mhmd'); hangul: gim / kim
    -> 'kim'; kana: toukyou / tokyo -> 'tokyo'.
    """
    if not token.isalpha():
        return ""
    key = _LOOSE[family](token)
    return key if len(key) >= MIN_LOOSE_KEY[family] else ""
