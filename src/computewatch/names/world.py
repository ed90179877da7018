"""Name words of other languages (data/world_words.tsv): company types, translated words, titles.

Each row is a word or phrase in its own script (ООО, завод, научно-производственное
объединение, شركة, 주식회사...), its language, its English renderings and its kind:

- `orgtype`: a company-type form, set aside like 有限公司 (ООО = LLC, АО = JSC...);
- `word`: a name word that lists translate rather than transliterate (завод = Plant);
- `stop`: a word that carries no identity (имени, 'named after');
- `title`: a person's title or honorific (господин, السيد).

Cyrillic words are looked up by stem, so that inflected forms (завода, авиационного)
find their row. The transliterated form of each single word is looked up too, so that
'Zavod', 'NPO' or 'Kontsern' written in Latin letters meet their translations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from computewatch.errors import InputError
from computewatch.names.scripts import char_script, cyrillic_stem, transliterations
from computewatch.names.spelling import spelling_key
from computewatch.names.wordfile import word_rows

KINDS = {"orgtype", "word", "stop", "title"}
WORLD_FILE = "world_words.tsv"


@dataclass(frozen=True)
class WorldEntry:
    text: str
    language: str
    english: tuple[str, ...]
    kind: str
    source: str


def word_key(word: str) -> str:
    """Lower-cased, dots and quotes dropped, Cyrillic reduced to its stem."""
    word = re.sub(r"[.\"'’«»„“]", "", word.casefold())
    if word and char_script(word[0]) == "cyrillic":
        return cyrillic_stem(word)
    return word


def phrase_key(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word_key(p) for w in words for p in w.replace("-", " ").split() if word_key(p))


@dataclass
class WorldWords:
    by_phrase: dict[tuple[str, ...], WorldEntry]
    by_latin: dict[str, WorldEntry]  # spelling key of a single word's transliteration -> entry
    max_words: int

    def lookup(self, words: list[str]) -> tuple[WorldEntry, int] | None:
        """The longest row matching the words at the start of `words`, and how many words it took."""
        for n in range(min(self.max_words, len(words)), 0, -1):
            key = phrase_key(words[:n])
            if key and key in self.by_phrase:
                return self.by_phrase[key], n
        return None


def read_world_words(path: Path) -> WorldWords:
    by_phrase: dict[tuple[str, ...], WorldEntry] = {}
    by_latin: dict[str, WorldEntry] = {}
    for row in word_rows(path, ["word", "lang", "english", "kind", "source"], "word", KINDS):
        text, english, kind, language = row.word, row.english, row.kind, row.cells.get("lang", "")
        if not english and kind in ("orgtype", "word"):
            raise InputError(path, row.line, "english", f"empty (a {kind} needs a rendering)")
        key = phrase_key([text])
        if key in by_phrase and by_phrase[key].language == language:
            raise InputError(path, row.line, "word", f"duplicate entry {text!r}")
        entry = WorldEntry(text, language, english, kind, row.cells.get("source", ""))
        by_phrase.setdefault(key, entry)
        if kind == "word" and len(key) == 1 and language in ("ru", "uk", "be"):
            for latin, _ in transliterations(text, language):
                if len(latin) >= 3 and " " not in latin:
                    by_latin.setdefault(spelling_key(latin), entry)
    return WorldWords(by_phrase, by_latin, max(len(k) for k in by_phrase))


@lru_cache(maxsize=1)
def world_words() -> WorldWords:
    return read_world_words(Path(str(resources.files("computewatch.names") / "data" / WORLD_FILE)))
