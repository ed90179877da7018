"""The bilingual glossary of name words (data/glossary.tsv), loaded lazily, once.

Each entry maps a simplified-Han word (大学) to its English renderings (University)
and carries its pinyin, so that Han, pinyin and English forms of a name meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from computewatch.errors import InputError
from computewatch.names.wordfile import word_rows

KINDS = {"word", "place", "orgtype", "institution", "brand", "affix"}
GLOSSARY_FILE = "glossary.tsv"


@dataclass(frozen=True)
class GlossaryEntry:
    han: str
    english: tuple[str, ...]  # renderings, most common first; empty for affixes
    kind: str
    source: str
    pinyin: str  # toneless, no spaces: 'daxue'

    @property
    def is_affix(self) -> bool:
        return not self.english


@dataclass(eq=False)  # hashed by identity: it keys caches
class Glossary:
    by_han: dict[str, GlossaryEntry]
    by_pinyin: dict[str, GlossaryEntry]
    max_han_len: int
    max_pinyin_len: int

    def __len__(self) -> int:
        return len(self.by_han)

    @cached_property
    def english_synonyms(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Tokens of one English rendering of an institution or brand -> all its renderings.

        'Beihang University' and 'Beijing University of Aeronautics and Astronautics' are
        one institution (北京航空航天大学): a list naming it one way is found the other way.
        """
        from computewatch.names.latin import latin_tokens

        found: dict[tuple[str, ...], tuple[str, ...]] = {}
        for entry in self.by_han.values():
            if entry.kind in ("institution", "brand") and len(entry.english) > 1:
                for english in entry.english:
                    tokens = tuple(latin_tokens(english))
                    if len(tokens) >= 2:
                        found.setdefault(tokens, entry.english)
        return found

    @cached_property
    def kind_renderings(self) -> dict[tuple[str, str], str]:
        """(word, other word) -> the Han word both render, for words that name a kind of
        institution ('college' and 'academy' both render 学院): English names made from
        Chinese ones pick either."""
        from computewatch.names.latin import latin_tokens, latin_words

        kinds = latin_words().kind_words
        found: dict[tuple[str, str], str] = {}
        for entry in self.by_han.values():
            words = {tokens[0] for tokens in map(latin_tokens, entry.english) if len(tokens) == 1 and tokens[0] in kinds}
            for a in words:
                for b in words - {a}:
                    found.setdefault((a, b), entry.han)
        return found

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The ordinary words the glossary translates into ('united', 'electronics'), as tokens:
        one of them alone is not a name."""
        from computewatch.names.latin import latin_tokens

        return frozenset(t for e in self.by_han.values() if e.kind == "word" for english in e.english for t in latin_tokens(english))

    @cached_property
    def place_tokens(self) -> frozenset[str]:
        """One-word renderings of places ('beijing', 'shenzhen', 'singapore'), as tokens, and the
        state-group prefixes scored like them (latin_words.yaml `group_prefixes`)."""
        from computewatch.names.latin import latin_tokens, latin_words

        found: set[str] = set(latin_words().place_words) | latin_words().group_prefixes
        for entry in self.by_han.values():
            if entry.kind == "place":
                for english in entry.english:
                    tokens = latin_tokens(english)
                    if len(tokens) == 1:
                        found.add(tokens[0])
                found.add(entry.pinyin)
        return frozenset(found)


def _pinyin_of(han: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(han)).lower()


def read_glossary(path: Path) -> Glossary:
    by_han: dict[str, GlossaryEntry] = {}
    by_pinyin: dict[str, GlossaryEntry] = {}
    for row in word_rows(path, ["han", "english", "kind", "source"], "han", KINDS):
        han, english, kind = row.word, row.english, row.kind
        if not english and kind != "affix":
            raise InputError(path, row.line, "english", "empty (only affixes may be empty)")
        if han in by_han:
            raise InputError(path, row.line, "han", f"duplicate entry {han!r}")
        entry = GlossaryEntry(han, english, kind, row.cells.get("source", ""), _pinyin_of(han))
        by_han[han] = entry
        # Pinyin is ambiguous for one syllable; only words of two or more syllables
        # are looked up from pinyin text.
        if len(han) >= 2 and not entry.is_affix:
            by_pinyin.setdefault(entry.pinyin, entry)
    return Glossary(
        by_han=by_han,
        by_pinyin=by_pinyin,
        max_han_len=max((len(k) for k in by_han), default=1),
        max_pinyin_len=max((len(k) for k in by_pinyin), default=1),
    )


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    path = Path(str(resources.files("computewatch.names") / "data" / GLOSSARY_FILE))
    return read_glossary(path)
