"""Latin-script tokens: folding, abbreviations, stop words, plural endings, numbers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

TOKEN_RE = re.compile(r"r&d|[a-z0-9]+|&")
ORDINAL_RE = re.compile(r"^(\d+)(st|nd|rd|th)$")
INITIALISM_RE = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?![\w])")


@dataclass(frozen=True)
class LatinWords:
    abbreviations: dict[str, str]
    stopwords: frozenset[str]
    weak_words: frozenset[str]
    field_words: frozenset[str]
    kind_words: frozenset[str]
    place_words: frozenset[str]
    group_prefixes: frozenset[str]
    place_divisions: frozenset[str]
    legal_forms: re.Pattern[str]
    leading_legal_forms: frozenset[str]
    closing_legal_forms: frozenset[str]
    status_prefix: re.Pattern[str]  # see latin_words.yaml status_prefixes


@lru_cache(maxsize=1)
def latin_words() -> LatinWords:
    text = (resources.files("computewatch.names") / "data" / "latin_words.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - the C SafeLoader, when libyaml is there
    abbreviations = {str(k): str(v) for k, v in data["abbreviations"].items()}
    abbreviations.update({str(k): str(v) for k, v in data["ordinals"].items()})
    return LatinWords(
        abbreviations=abbreviations,
        stopwords=frozenset(data["stopwords"]),
        weak_words=frozenset(stem(w) for w in data["weak_words"]),
        field_words=frozenset(stem(w) for w in data["field_words"]),
        kind_words=frozenset(stem(w) for w in data["kind_words"]),
        place_words=frozenset(data["place_words"]),
        group_prefixes=frozenset(data["group_prefixes"]),
        place_divisions=frozenset(stem(w) for w in data["place_divisions"]),
        legal_forms=re.compile(
            r"(?<![\w])(" + "|".join(re.escape(f) for f in sorted(data["legal_forms"], key=len, reverse=True)) + r")(?![\w])",
            re.IGNORECASE,
        ),
        leading_legal_forms=frozenset(data["leading_legal_forms"]),
        closing_legal_forms=frozenset(data["leading_legal_forms"]) | frozenset(data["closing_legal_forms"]),
        status_prefix=re.compile(
            r"^\W*(" + "|".join(re.escape(f) for f in sorted(data["status_prefixes"], key=len, reverse=True))
            + r")\W+(?!(?:of|for|and|on|in)\b)(?=\S+\W+\S)",
            re.IGNORECASE,
        ),
    )


# Latin letters that are not a base letter plus an accent, so NFKD leaves them whole
# (Turkish dotless ı: 'Havacılık' is 'Havacilik' in the lists' ASCII).
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ħ": "h", "ŧ": "t",
                          "Ł": "L", "Ø": "O", "Đ": "D", "Ð": "D", "Þ": "Th", "Æ": "Ae", "Œ": "Oe", "Ħ": "H", "Ŧ": "T"})  # fmt: skip


def fold_accents(text: str) -> str:
    """Accents off, case kept: 'Şirketi' -> 'Sirketi', 'Havacılık' -> 'Havacilik'."""
    text = unicodedata.normalize("NFKD", text).translate(_LETTERS)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Société' -> 'societe', 'Havacılık' -> 'havacilik';
    apostrophes vanish (Xi'an -> xian)."""
    if text.isascii():
        return text.lower().replace("'", "").replace("`", "")
    return fold_accents(text.casefold()).replace("'", "").replace("’", "").replace("`", "")


def stem(token: str) -> str:
    """Plural and adjective endings: technologies -> technology, systems -> system,
    polytechnical -> polytechnic, electronics -> electronic."""
    if len(token) > 8 and token.endswith("ical"):
        return token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=262144)
def latin_token(raw: str) -> tuple[str, ...]:
    """One folded word -> zero or more canonical tokens."""
    words = latin_words()
    if raw in words.stopwords:
        return ()
    expanded = words.abbreviations.get(raw)
    if expanded is not None:
        return tuple(stem(t) for t in expanded.split() if t not in words.stopwords)
    m = ORDINAL_RE.match(raw)
    if m:
        return (str(int(m.group(1))),)
    if raw.isdigit():
        return (str(int(raw)),)
    return (stem(raw),)


def join_initialisms(text: str) -> str:
    """'A.I.' -> 'AI', 'U.S.A' -> 'USA' (before company types are looked for: the S.A of U.S.A is none)."""
    return INITIALISM_RE.sub(lambda m: m.group().replace(".", ""), text)


HYPHENATED_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def hyphenated_abbreviations(text: str) -> dict[tuple[str, ...], tuple[str, str]]:
    """Hyphenated words with an abbreviated part ('Hi-Tech', 'Aero-Hydrodynamic'): their
    tokens (abbreviations expanded: 'hi technology') -> (the word as written, its one token
    written joined: 'hitech'). Lists write such words joined as often as hyphenated, and
    the joined word is no abbreviation any more."""
    words = latin_words()
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    for m in HYPHENATED_RE.finditer(join_initialisms(fold(text))):
        parts = m.group().split("-")
        if not any(p in words.abbreviations for p in parts):
            continue
        tokens = tuple(t for p in parts for t in latin_token(p))
        joined = latin_token("".join(parts))
        if len(tokens) > 1 and len(joined) == 1:
            found.setdefault(tokens, (m.group(), joined[0]))
    return found


def latin_tokens(text: str) -> list[str]:
    out: list[str] = []
    for raw in TOKEN_RE.findall(join_initialisms(fold(text))):
        out.extend(latin_token(raw))
    return out


def is_weak(token: str) -> bool:
    return token in latin_words().weak_words


def is_field_word(token: str) -> bool:
    return token in latin_words().field_words


def is_descriptive(token: str) -> bool:
    """A word that says what an organisation is or does, not which one it is."""
    words = latin_words()
    return token in words.weak_words or token in words.field_words or token in words.kind_words
