"""A name, analysed into slots of canonical tokens that meet across scripts.

Every slot is one word or phrase of the original name with its alternative
renderings in a shared token space (folded English words, numbers, and pinyin
for what has no translation):

    深圳大学         -> [shenzhen] [university]
    Shenzhen Daxue  -> [shenzhen] [university | daxue]
    Shenzhen Univ.  -> [shenzhen] [university]

Company-type forms (有限公司, Co., Ltd., ООО, 주식회사, Sdn. Bhd., FZE...) are taken
out of the slots and kept aside, so that they neither make nor break a match; so are
a person's titles (Mr., Dr., господин).

Other scripts are carried into the same token space by transliteration
(`names.scripts`), with the glossary of other languages' name words
(`names.world`: завод -> plant) and, for Han words the glossary lacks, CC-CEDICT
(`names.cedict`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA
from rigour.names import extract_org_types, remove_person_prefixes

from computewatch.names.glossary import Glossary, GlossaryEntry, default_glossary
from computewatch.names.han import HAN_RUN_RE, has_han, pinyin_token, segment_han, to_simplified
from computewatch.names.latin import (
    fold,
    fold_accents,
    hyphenated_abbreviations,
    join_initialisms,
    latin_token,
    latin_tokens,
    latin_words,
)
from computewatch.names.people import is_title_word, korean_surname, person_words
from computewatch.names.pinyin import is_pinyin, split_pinyin_run
from computewatch.names.scripts import (
    LANGUAGE_NAMES,
    LOOSE_FAMILY,
    WORD_RE,
    cyrillic_stem,
    hangul_syllables,
    language_of,
    oblique_base,
    script_runs,
    transliterations,
)
from computewatch.names.spelling import spelling_key
from computewatch.names.world import WorldEntry, world_words


@dataclass(frozen=True)
class Slot:
    source: str  # the piece of the original name: '大学', 'daxue', 'Technology'
    alternatives: tuple[tuple[str, ...], ...]  # renderings, preferred first
    how: str  # 'word', 'pinyin', 'number', 'glossary:<kind>', 'pinyin-glossary:<kind>', 'cedict',
    # 'translit:<lang>', 'world:<lang>:<kind>', 'person:<part>' (a Han or Hangul personal name)
    family: str = ""  # looser comparison across scripts: 'abjad', 'hangul', 'kana' (spelling.loose_key)
    schemes: str = ""  # which transliterations gave the renderings
    place_readings: int = 0  # how many of the last renderings read an adjective as a place (Кизлярский: Kizlyar)

    def person_alternatives(self) -> tuple[tuple[str, ...], ...]:
        """The renderings for a person's name: a family name is not a place adjective
        (Соболевский is Sobolevsky, not Sobolev)."""
        n = len(self.alternatives) - self.place_readings
        return self.alternatives[:n] if self.place_readings and n > 0 else self.alternatives

    def describe(self) -> str:
        shown = " | ".join(" ".join(a) for a in self.alternatives if a)
        if self.how.startswith("translit:") or self.how.startswith("person:"):
            language = LANGUAGE_NAMES.get(self.how.split(":", 1)[1], self.how.split(":", 1)[1])
            if self.how.startswith("person:"):
                language = {"han": "Chinese personal name, pinyin", "ko": "Korean personal name"}.get(
                    self.how.split(":", 1)[1], language
                )
            return f"{self.source} -> '{shown}' ({language}{', ' + self.schemes if self.schemes else ''})"
        if self.how.startswith("world:"):
            _, lang, kind = self.how.split(":")
            return f"{self.source} -> '{shown}' ({LANGUAGE_NAMES.get(lang, lang)} name word, {kind})"
        if self.how == "cedict":
            return f"{self.source} -> '{shown}' (CC-CEDICT)"
        if self.how == "pinyin":
            return f"{self.source} -> '{shown}' (pinyin)"
        if self.how == "number":
            return f"{self.source} -> {shown} (numeral)"
        if self.how == "hyphenated":
            return f"{self.source} -> '{shown}' (hyphenated, also written joined)"
        kind = self.how.split(":", 1)[-1]
        via = "pinyin of a glossary word" if self.how.startswith("pinyin-") else "glossary"
        return f"{self.source} -> '{shown}' ({via}, {kind})"


@dataclass(frozen=True)
class NameForm:
    original: str
    slots: tuple[Slot, ...]
    legal_forms: tuple[str, ...]
    notes: tuple[str, ...]
    titles: tuple[str, ...] = ()  # a person's titles and honorifics, set aside

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


def _world_slot(source: str, entry: WorldEntry, language: str = "") -> Slot:
    """A translated name word: its English renderings, then the word transliterated
    (a list may write 'Svyaz' where another translates связь)."""
    alternatives: list[tuple[str, ...]] = []
    for english in entry.english:
        toks = tuple(latin_tokens(english))
        if toks and toks not in alternatives:
            alternatives.append(toks)
    if language:
        for latin, _ in transliterations(source, language)[:1]:
            toks = _tokens_of(latin)
            if toks and toks not in alternatives:
                alternatives.append(toks)
    return Slot(source, tuple(alternatives), f"world:{entry.language}:{entry.kind}")


def _cedict_slot(text: str) -> Slot | None:
    from computewatch.names.cedict import cedict

    word = cedict().words.get(text)
    if word is None:
        return None
    english = [tuple(latin_tokens(e)) for e in word.english]
    english = [e for e in english if e]
    pinyin = (word.pinyin,)
    # A proper noun (a place, a brand, a name) is written in pinyin by lists more often than translated.
    alternatives = [pinyin, *english] if word.proper else [*english, pinyin]
    return Slot(text, tuple(dict.fromkeys(alternatives)), "cedict")


def _han_person_slots(run: str, glossary: Glossary) -> list[Slot] | None:
    """王伟 -> [wang] [wei], 欧阳明 -> [ouyang] [ming]: a whole name of 2-4 Han characters that
    opens with a family name and holds no glossary or dictionary word is a person's name."""
    from computewatch.names.cedict import cedict

    if not 2 <= len(run) <= 4:
        return None
    dictionary = cedict()
    family_len = 2 if run[:2] in dictionary.surnames and len(run) >= 3 else 1
    if run[:family_len] not in dictionary.surnames:
        return None
    given = run[family_len:]
    if any(seg.entry is not None and len(seg.text) >= 2 for seg in segment_han(run, glossary)):
        return None
    if any(run[i:j] in dictionary.words and dictionary.words[run[i:j]].proper is False
           for i in range(len(run)) for j in range(i + 2, len(run) + 1) if (i, j) != (0, family_len)):
        return None
    return [
        Slot(run[:family_len], ((pinyin_token(run[:family_len]),),), "person:han", schemes="pypinyin"),
        Slot(given, ((pinyin_token(given),),), "person:han", schemes="pypinyin"),
    ]


def _han_slots(run: str, glossary: Glossary, legal: list[str], notes: list[str], whole: bool = False) -> list[Slot]:
    if whole:
        person = _han_person_slots(run, glossary)
        if person:
            return person
    slots: list[Slot] = []
    for seg in segment_han(run, glossary):
        if seg.number is not None:
            slots.append(Slot(seg.text, ((str(seg.number),),), "number"))
        elif seg.entry is None:
            slots.extend(_unknown_han_slots(seg.text))
        elif seg.entry.kind == "orgtype":
            legal.append(seg.text)
            notes.append(f"company type {seg.text} = {' / '.join(seg.entry.english)}")
        elif seg.entry.is_affix:
            continue
        else:
            slots.append(_entry_slot(seg.text, seg.entry, "glossary"))
    return slots


def _unknown_han_slots(text: str) -> list[Slot]:
    """Han the glossary lacks: CC-CEDICT words where it has them (longest first), pinyin for the rest."""
    from computewatch.names.cedict import cedict

    dictionary = cedict()
    slots: list[Slot] = []
    pending = ""
    i = 0
    while i < len(text):
        for j in range(min(len(text), i + dictionary.max_len), i + 1, -1):
            slot = _cedict_slot(text[i:j]) if text[i:j] in dictionary.words else None
            if slot is not None:
                if pending:
                    slots.append(Slot(pending, ((pinyin_token(pending),),), "pinyin"))
                    pending = ""
                slots.append(slot)
                i = j
                break
        else:
            pending += text[i]
            i += 1
    if pending:
        slots.append(Slot(pending, ((pinyin_token(pending),),), "pinyin"))
    return slots


INITIAL_RE = re.compile(r"(?<![\w.])([^\W\d_])\.(?![\w.])")
_LEGAL_TAIL_WORDS = ("limited", "company", "corporation", "incorporated", "incorporation", "gesellschaft")
_LEGAL_SHORT = frozenset({"co", "ltd", "corp", "inc", "llc", "plc"})


def _peel_misspelt_legal_forms(tokens: list[str], legal: list[str], notes: list[str]) -> list[str]:
    """'Huawei Technologies Co., Limietd': a company-type word one slip away, closing the name."""
    end = len(tokens)
    found = False
    while end > 1:
        t = tokens[end - 1]
        near = None
        if len(t) >= 5 and t not in _LEGAL_TAIL_WORDS:
            near = next((w for w in _LEGAL_TAIL_WORDS if abs(len(w) - len(t)) <= 1 and OSA.distance(t, w, score_cutoff=1) <= 1), None)
        if near:
            notes.append(f"company type {t!r} read as {near!r} (misspelt)")
            found = True
        elif not (found and t in _LEGAL_SHORT):
            break
        legal.append(t)
        end -= 1
    return tokens[:end] if found else tokens


def _org_types(chunk: str) -> list[str]:
    """Company types rigour finds in a chunk, as written there. rigour matches accents
    exactly ('Société Anonyme' but not 'Societe Anonyme'; 'Sirketi' but not 'Şirketi'), so
    a chunk with accents is also searched without them, and the finds mapped back."""
    found = [matched for matched, _ in extract_org_types(chunk)]
    if chunk.isascii():
        return found
    plain: list[str] = []
    origin: list[int] = []  # for each letter of `plain`, where it stands in `chunk`
    for i, ch in enumerate(chunk):
        for out in fold_accents(ch):
            plain.append(out)
            origin.append(i)
    text = "".join(plain)
    for matched, _ in extract_org_types(text):
        start = text.find(matched)
        if start >= 0:
            written = chunk[origin[start] : origin[start + len(matched) - 1] + 1]
            if written not in found:
                found.append(written)
    return found


def _outer_or_distinct_form(form: str, chunk: str) -> bool:
    """A company type rigour finds: two undotted letters count only where a company type
    stands, opening or closing the name; longer or dotted forms count anywhere."""
    if len(form.strip(" .,")) > 2 or "." in form:
        return True
    text = chunk.strip(" ,;()")
    return text.startswith(form) or text.endswith(form)


def _latin_slots(chunk: str, glossary: Glossary, legal: list[str], notes: list[str], first: bool = True) -> list[Slot]:
    chunk = join_initialisms(chunk)
    for found in latin_words().legal_forms.finditer(chunk):
        legal.append(found.group(0))
    chunk = latin_words().legal_forms.sub(" ", chunk)
    whole = chunk
    for matched in _org_types(chunk):
        if spelling_key(fold(matched).strip(" .")) in world_words().by_latin:
            continue  # 'NPO' of a Russian name is a scientific production association, not a non-profit
        if not _outer_or_distinct_form(matched, whole):
            continue  # 'EK' of 'Milandr EK OOO' is part of the name, not a German sole trader (e.K.)
        legal.append(matched)
        chunk = chunk.replace(matched, " ", 1)
    tokens: list[str] = []
    initial_tokens: list[bool] = []
    for piece in INITIAL_RE.split(chunk):
        if len(piece) == 1 and piece.isalpha():
            tokens.append(fold(piece))  # 'A. Polynkov': an initial, never a stop word
            initial_tokens.append(True)
        else:
            more = latin_tokens(piece)
            tokens.extend(more)
            initial_tokens.extend([False] * len(more))
    if first and len(tokens) > 1 and tokens[0] in latin_words().leading_legal_forms:
        legal.append(tokens[0])  # 'OOO Romashka', 'AO Sukhoi', 'JSC Ilyushin'
        tokens, initial_tokens = tokens[1:], initial_tokens[1:]
    if len(tokens) > 1 and tokens[-1] in latin_words().closing_legal_forms:
        legal.append(tokens[-1])  # 'Ekran Scientific Research Institute, FSUE', 'Gazprom Flot, OOO'
        tokens, initial_tokens = tokens[:-1], initial_tokens[:-1]
    tokens = _peel_misspelt_legal_forms(tokens, legal, notes)
    initials = {i for i, is_initial in enumerate(initial_tokens[: len(tokens)]) if is_initial}
    world = world_words()
    slots: list[Slot] = []
    i = 0
    while i < len(tokens):
        entry = world.by_latin.get(spelling_key(tokens[i])) if len(tokens[i]) >= 3 else None
        slot = _world_slot(tokens[i], entry) if entry is not None else None
        if slot is not None and slot.alternatives[0] != (tokens[i],):  # 'company' is its own translation
            # 'Zavod', 'Kontsern' written in Latin letters: the translation, and the word as written
            slots.append(Slot(slot.source, ((tokens[i],), *slot.alternatives), slot.how))
            i += 1
            continue
        if i in initials or not is_pinyin(tokens[i]):
            slots.append(Slot(tokens[i], ((tokens[i],),), "initial" if i in initials else "word"))
            i += 1
            continue
        j = i
        while j < len(tokens) and j not in initials and is_pinyin(tokens[j]):
            j += 1
        run = tokens[i:j]
        cuts = [sum(len(t) for t in run[: k + 1]) for k in range(len(run) - 1)]
        pieces = split_pinyin_run("".join(run), glossary, frozenset(cuts))
        if _partly_glossary(pieces, cuts):
            # a word only partly made of glossary words is a word of its own: Alireza is not
            # 阿里 (Alibaba) + 'reza' (run together, 'Beijingxinchuang' still meets 'Beijing Xinchuang')
            pieces = []
        if not pieces:
            slots.extend(Slot(t, ((t,),), "word") for t in run)
        else:
            for text, gentry in pieces:
                if gentry is None:
                    slots.append(Slot(text, ((text,),), "word"))
                elif gentry.kind == "orgtype":
                    legal.append(text)
                    notes.append(f"company type {text} (pinyin of {gentry.han}) = {' / '.join(gentry.english)}")
                else:
                    slots.append(_entry_slot(text, gentry, "pinyin-glossary"))
        i = j
    return _join_hyphenated(slots, hyphenated_abbreviations(whole))


def _partly_glossary(pieces: list[tuple[str, GlossaryEntry | None]], cuts: list[int]) -> bool:
    """Whether a word of the run is split between a glossary word and leftover syllables
    (`cuts`: where the run's words meet)."""
    bounds = [0, *cuts, sum(len(text) for text, _ in pieces)]
    spans: list[tuple[int, int, bool]] = []
    start = 0
    for text, entry in pieces:
        spans.append((start, start + len(text), entry is not None))
        start += len(text)
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        inside = {is_word for a, b, is_word in spans if a < hi and b > lo}
        if len(inside) == 2:
            return True
    return False


def _join_hyphenated(slots: list[Slot], hyphenated: dict[tuple[str, ...], tuple[str, str]]) -> list[Slot]:
    """The plain-word slots of a hyphenated word with an abbreviated part, as one slot that
    may also be the word written joined: 'Hi-Tech' meets 'Hitech' and 'Hi Tech'."""
    if not hyphenated:
        return slots
    out: list[Slot] = []
    i = 0
    while i < len(slots):
        for tokens, (written, joined) in hyphenated.items():
            run = slots[i : i + len(tokens)]
            if len(run) == len(tokens) and all(s.how == "word" and s.alternatives == ((t,),) for s, t in zip(run, tokens, strict=True)):
                out.append(Slot(written, (tokens, (joined,)), "hyphenated"))
                i += len(tokens)
                break
        else:
            out.append(slots[i])
            i += 1
    return out


def _tokens_of(latin: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in latin.split():
        out.extend(latin_token(raw))
    return tuple(out)


def _translit_slot(word: str, language: str, script: str, oblique: bool = True) -> Slot | None:
    """One word of another script in Latin letters, every common spelling kept (distinct by spelling key)."""
    renderings: list[tuple[str, ...]] = []
    keys: set[tuple[str, ...]] = set()
    schemes: list[str] = []
    found = list(transliterations(word, language))
    if script == "cyrillic" and oblique:
        base = oblique_base(word)
        if base:
            found += [(latin, f"{how}, {word} read as {base}") for latin, how in transliterations(base, language)[:1]]
        stem = cyrillic_stem(word)
        if stem.endswith("ск") and len(stem) >= 6:
            # a place adjective: Рязанское -> Ryazan, Красноборский -> Krasnoborsk
            for place in (stem, stem[:-2]):
                found += [(latin, f"{how}, {word} read as the place {place}") for latin, how in transliterations(place, language)[:1]]
    places = 0
    for latin, how in found:
        tokens = _tokens_of(latin)
        key = tuple(spelling_key(t) for t in tokens)
        if tokens and key not in keys:
            keys.add(key)
            renderings.append(tokens)
            schemes.append(how)
            places += "read as the place" in how
    if not renderings:
        return None
    return Slot(word, tuple(renderings), f"translit:{language}", LOOSE_FAMILY.get(script, ""), " / ".join(dict.fromkeys(schemes)), places)


def _split_word_endings(word: str, language: str) -> tuple[str, list[Slot]]:
    """Glossary words written onto the end of a word, as Korean and Japanese do:
    삼성전자 -> 삼성 + [전자 electronics], ミナトエレクトロニクス -> ミナト + [electronics]."""
    world = world_words()
    tail: list[Slot] = []
    rest = word
    while len(rest) > 2:
        for k in range(len(rest) - 1, 1, -1):
            entry = world.by_phrase.get((rest[-k:],))
            if entry is not None and entry.language == language:
                tail.insert(0, _world_slot(rest[-k:], entry))
                rest = rest[:-k]
                break
        else:
            break
    return rest, tail


def _kana_slots(word: str) -> list[Slot]:
    rest, tail = _split_word_endings(word, "ja")
    entry = world_words().by_phrase.get((rest,))
    if entry is not None and entry.language == "ja":
        return [_world_slot(rest, entry), *tail]
    slot = _translit_slot(rest, "ja", "kana")
    return ([slot] if slot else []) + tail


def _hangul_slots(word: str) -> list[Slot]:
    """A Hangul word: glossary words split off its end (삼성전자 -> 삼성 + 전자), a personal name
    (김정은) split into family name and syllables, anything else romanised whole."""
    rest, tail = _split_word_endings(word, "ko")
    entry = world_words().by_phrase.get((rest,))
    if entry is not None and entry.language == "ko":
        return [_world_slot(rest, entry), *tail]
    syllables = hangul_syllables(rest)
    family_len = 2 if korean_surname(rest[:2]) and len(rest) >= 3 else 1
    surname = korean_surname(rest[:family_len])
    if not tail and surname and 2 <= len(rest) <= 4:
        slots = [Slot(rest[:family_len], tuple((r,) for r in surname), "person:ko", "hangul", "ICU Hangul-Latin, family name")]
        slots += [Slot(ch, ((syl,),), "person:ko", "hangul", "ICU Hangul-Latin") for ch, syl in zip(rest[family_len:], syllables[family_len:], strict=False)]
        return slots
    if not syllables:
        return tail
    return [Slot(rest, (("".join(syllables),),), "translit:ko", "hangul", "ICU Hangul-Latin"), *tail]


def _native_slots(chunk: str, script: str, legal: list[str], notes: list[str], titles: list[str]) -> list[Slot]:
    language = language_of(chunk, script)
    words = WORD_RE.findall(chunk)
    world = world_words()
    slots: list[Slot] = []
    i = 0
    while i < len(words):
        hit = world.lookup(words[i:])
        if hit is not None:
            entry, n = hit
            text = " ".join(words[i : i + n])
            i += n
            if entry.kind == "orgtype":
                legal.append(text)
                notes.append(f"company type {text} = {' / '.join(entry.english)}")
            elif entry.kind == "title":
                titles.append(text)
            elif entry.kind == "word":
                slots.append(_world_slot(text, entry, language))
            continue
        word = words[i]
        i += 1
        if word.isdigit():
            slots.append(Slot(word, ((str(int(word)),),), "number"))
            continue
        if script == "hangul":
            slots.extend(_hangul_slots(word))
            continue
        if script == "kana":
            slots.extend(_kana_slots(word))
            continue
        if script == "arabic" and word == "عبد" and i < len(words) and words[i] == "الله":
            slots.append(Slot("عبد الله", (("abdullah",), ("abd", "allah")), f"translit:{language}", "abjad", "Abdullah"))
            i += 1
            continue
        if script == "arabic" and word == "عبد" and i < len(words) and words[i].startswith("ال") and len(words[i]) > 3:
            # عبد الرحيم: Abdul Rahim, Abd al-Rahim, Abdel Rahim
            slots.append(Slot("عبد ال", (("abdal",), ("abd", "al")), f"translit:{language}", "abjad", "Abd al-"))
            words[i] = words[i][2:]
            continue
        if script == "arabic" and len(word) > 4 and word.startswith(("ال", "لل")):
            slots.append(Slot(word[:2], (("al",),), f"translit:{language}", "abjad", "article"))
            word = word[2:]
        slot = _translit_slot(word.rstrip("."), language, script)
        if slot is not None:
            slots.append(slot)
    return slots


# Cyrillic letters that look like Latin ones: 'Со., Ltd.' typed with a Cyrillic С and о.
_LOOKALIKES = str.maketrans("АВСЕНКМОРТХасеорхуіІ", "ABCEHKMOPTXaceopxyiI")


def _is_lookalike_run(script: str, chunk: str, text: str) -> bool:
    letters = [c for c in chunk if c.isalpha()]
    return (
        script == "cyrillic"
        and 0 < len(letters) <= 3
        and all(c.translate(_LOOKALIKES) != c for c in letters)
        and sum(c.isascii() and c.isalpha() for c in text) > 2 * len(letters)
    )


@lru_cache(maxsize=1)
def _title_openers() -> frozenset[str]:
    """First words of every title rigour knows, and ours: a name opening otherwise has none."""
    from rigour._core import person_name_prefixes_list

    return frozenset(p.split()[0].casefold().strip(".") for p in person_name_prefixes_list()) | person_words().titles


def _strip_titles(text: str, titles: list[str]) -> str:
    """'Mr. Alexey Polynkov', 'Dr Alexey Polynkov' -> 'Alexey Polynkov' (rigour's prefixes and ours)."""
    first = text.split(" ", 1)[0]
    if first.casefold().strip(".,") not in _title_openers() and not (first.endswith(".") and is_title_word(first)):
        return text  # (every title written without a dot is among the openers)
    stripped = remove_person_prefixes(text)
    if stripped != text and stripped.strip():
        titles.append(text[: len(text) - len(stripped)].strip())
        text = stripped
    while True:
        head, _, rest = text.partition(" ")
        if rest.strip() and is_title_word(head):
            titles.append(head)
            text = rest.lstrip()
        else:
            return text


@lru_cache(maxsize=262144)
def analyze_name(name: str, glossary: Glossary | None = None) -> NameForm:
    glossary = glossary or default_glossary()
    text = unicodedata.normalize("NFKC", name).strip()
    notes: list[str] = []
    legal: list[str] = []
    titles: list[str] = []
    text = _strip_titles(text, titles)
    if has_han(text):
        simplified = to_simplified(text)
        if simplified != text:
            notes.append(f"traditional {text} -> simplified {simplified}")
        text = simplified
    runs = script_runs(text)
    # Lookalike Cyrillic letters inside a Latin name are Latin ones.
    if any(_is_lookalike_run(script, chunk, text) for script, chunk in runs):
        text = "".join(chunk.translate(_LOOKALIKES) if _is_lookalike_run(script, chunk, text) else chunk for script, chunk in runs)
        runs = script_runs(text)
    slots: list[Slot] = []
    for position, (script, chunk) in enumerate(runs):
        if script == "latin":
            slots.extend(_latin_slots(chunk, glossary, legal, notes, first=position == 0))
        elif script == "han":
            pos = 0
            for m in HAN_RUN_RE.finditer(chunk):
                if chunk[pos : m.start()].strip():
                    slots.extend(_latin_slots(chunk[pos : m.start()], glossary, legal, notes, first=False))
                slots.extend(_han_slots(m.group(0), glossary, legal, notes, whole=len(runs) == 1 and m.group(0) == chunk.strip()))
                pos = m.end()
            if chunk[pos:].strip():
                slots.extend(_latin_slots(chunk[pos:], glossary, legal, notes, first=False))
        else:
            slots.extend(_native_slots(chunk, script, legal, notes, titles))
    return NameForm(name, tuple(slots), tuple(legal), tuple(notes), tuple(titles))
