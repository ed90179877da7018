"""A name, analysed into slots of canonical tokens that meet across scripts.

Every slot is one word or phrase of the original name with its alternative
renderings in a shared token space (folded English words, numbers, and pinyin
for what has no translation):

    深圳大学         -> [shenzhen] [university]
    Shenzhen Daxue  -> [shenzhen] [university | daxue]
    Shenzhen Univ.  -> [shenzhen] [university]

Company-type forms (有限公司, Co., Ltd., Sdn. Bhd., FZE...) are taken out of the
slots and kept aside, so that they neither make nor break a match.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import extract_org_types

from computewatch.names.glossary import Glossary, GlossaryEntry, default_glossary
from computewatch.names.han import HAN_RUN_RE, has_han, pinyin_token, segment_han, to_simplified
from computewatch.names.latin import join_initialisms, latin_tokens, latin_words
from computewatch.names.pinyin import is_pinyin, split_pinyin_run


@dataclass(frozen=True)
class Slot:
    source: str  # the piece of the original name: '大学', 'daxue', 'Technology'
    alternatives: tuple[tuple[str, ...], ...]  # renderings, preferred first
    how: str  # 'word', 'pinyin', 'number', 'glossary:<kind>', 'pinyin-glossary:<kind>'

    def describe(self) -> str:
        shown = " | ".join(" ".join(a) for a in self.alternatives if a)
        if self.how == "pinyin":
            return f"{self.source} -> '{shown}' (pinyin)"
        if self.how == "number":
            return f"{self.source} -> {shown} (numeral)"
        kind = self.how.split(":", 1)[-1]
        via = "pinyin of a glossary word" if self.how.startswith("pinyin-") else "glossary"
        return f"{self.source} -> '{shown}' ({via}, {kind})"


@dataclass(frozen=True)
class NameForm:
    original: str
    slots: tuple[Slot, ...]
    legal_forms: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        """The preferred rendering, flattened."""
        return tuple(t for s in self.slots for t in (s.alternatives[0] if s.alternatives else ()))

    def translations(self) -> list[str]:
        """How the slots that are not plain words were rendered (unchanged pinyin left out)."""
        return [
            s.describe()
            for s in self.slots
            if s.how != "word" and not (len(s.alternatives) == 1 and s.alternatives[0] == (s.source,))
            and not (s.how.startswith("pinyin-") and s.alternatives[0] == (s.source,) and len(s.alternatives) <= 2)
        ]


def _entry_slot(source: str, entry: GlossaryEntry, how: str) -> Slot:
    alternatives: list[tuple[str, ...]] = []
    for english in entry.english:
        toks = tuple(latin_tokens(english))
        if toks and toks not in alternatives:
            alternatives.append(toks)
    if (entry.pinyin,) not in alternatives:
        alternatives.append((entry.pinyin,))
    return Slot(source, tuple(alternatives), f"{how}:{entry.kind}")


def _han_slots(run: str, glossary: Glossary, legal: list[str], notes: list[str]) -> list[Slot]:
    slots: list[Slot] = []
    for seg in segment_han(run, glossary):
        if seg.number is not None:
            slots.append(Slot(seg.text, ((str(seg.number),),), "number"))
        elif seg.entry is None:
            slots.append(Slot(seg.text, ((pinyin_token(seg.text),),), "pinyin"))
        elif seg.entry.kind == "orgtype":
            legal.append(seg.text)
            notes.append(f"company type {seg.text} = {' / '.join(seg.entry.english)}")
        elif seg.entry.is_affix:
            continue
        else:
            slots.append(_entry_slot(seg.text, seg.entry, "glossary"))
    return slots


def _latin_slots(chunk: str, glossary: Glossary, legal: list[str], notes: list[str]) -> list[Slot]:
    chunk = join_initialisms(chunk)
    for found in latin_words().legal_forms.finditer(chunk):
        legal.append(found.group(0))
    chunk = latin_words().legal_forms.sub(" ", chunk)
    for matched, _compare in extract_org_types(chunk):
        legal.append(matched)
        chunk = chunk.replace(matched, " ", 1)
    tokens = latin_tokens(chunk)
    slots: list[Slot] = []
    i = 0
    while i < len(tokens):
        if not is_pinyin(tokens[i]):
            slots.append(Slot(tokens[i], ((tokens[i],),), "word"))
            i += 1
            continue
        j = i
        while j < len(tokens) and is_pinyin(tokens[j]):
            j += 1
        run = tokens[i:j]
        cuts = [sum(len(t) for t in run[: k + 1]) for k in range(len(run) - 1)]
        pieces = split_pinyin_run("".join(run), glossary, frozenset(cuts))
        if not pieces:
            slots.extend(Slot(t, ((t,),), "word") for t in run)
        else:
            for text, entry in pieces:
                if entry is None:
                    slots.append(Slot(text, ((text,),), "word"))
                elif entry.kind == "orgtype":
                    legal.append(text)
                    notes.append(f"company type {text} (pinyin of {entry.han}) = {' / '.join(entry.english)}")
                else:
                    slots.append(_entry_slot(text, entry, "pinyin-glossary"))
        i = j
    return slots


@lru_cache(maxsize=262144)
def analyze_name(name: str, glossary: Glossary | None = None) -> NameForm:
    glossary = glossary or default_glossary()
    text = unicodedata.normalize("NFKC", name).strip()
    notes: list[str] = []
    legal: list[str] = []
    if has_han(text):
        simplified = to_simplified(text)
        if simplified != text:
            notes.append(f"traditional {text} -> simplified {simplified}")
        text = simplified
    slots: list[Slot] = []
    pos = 0
    for m in HAN_RUN_RE.finditer(text):
        if m.start() > pos:
            slots.extend(_latin_slots(text[pos : m.start()], glossary, legal, notes))
        slots.extend(_han_slots(m.group(0), glossary, legal, notes))
        pos = m.end()
    if pos < len(text):
        slots.extend(_latin_slots(text[pos:], glossary, legal, notes))
    return NameForm(name, tuple(slots), tuple(legal), tuple(notes))

