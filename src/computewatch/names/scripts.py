"""Writing systems other than Latin and Han: script runs, language, transliteration.

Every word is carried into Latin letters through ICU (PyICU, the engine under
normality) and rigour's transliteration:

- Cyrillic: rigour's spelling (Алексей -> Aleksei, Сухой -> Suhoi) and ICU's BGN/PCGN
  romanisation for the language the letters show (Russian -> Aleksey, Sukhoy;
  Ukrainian і ї є ґ; Belarusian ў), so both common spellings are at hand;
- Greek, Armenian, Georgian: rigour's spelling and ICU's (UNGEGN / BGN);
- Arabic, Persian, Hebrew: ICU's consonantal romanisation (محمد -> mhmd), compared
  on consonant skeletons (`spelling.loose_key`), vowels being unwritten;
- Hangul: ICU's Revised Romanization, syllable by syllable (김정은 -> gim jeong eun);
- kana: ICU's Hepburn (トヨタ -> toyota).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.text.scripts import codepoint_script
from rigour.text.translit import maybe_ascii

# Script of a run -> the family used for looser comparison, or '' for alphabets.
SCRIPT_NAMES = {
    "Cyrillic": "cyrillic",
    "Greek": "greek",
    "Arabic": "arabic",
    "Hebrew": "hebrew",
    "Georgian": "georgian",
    "Armenian": "armenian",
    "Hangul": "hangul",
    "Hiragana": "kana",
    "Katakana": "kana",
    "Han": "han",
    "Latin": "latin",
}
LOOSE_FAMILY = {"arabic": "abjad", "hebrew": "abjad", "hangul": "hangul", "kana": "kana"}
LANGUAGE_NAMES = {
    "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "el": "Greek", "ar": "Arabic",
    "fa": "Persian", "he": "Hebrew", "ko": "Korean", "ja": "Japanese", "ka": "Georgian", "hy": "Armenian",
}
_ICU_SCHEMES = {
    "ru": "Russian-Latin/BGN",
    "uk": "Ukrainian-Latin/BGN",
    "be": "Belarusian-Latin/BGN",
    "el": "Greek-Latin/UNGEGN",
    "hy": "Armenian-Latin/BGN",
    "ka": "Georgian-Latin/BGN",
    "ar": "Arabic-Latin",
    "fa": "Arabic-Latin",
    "he": "Hebrew-Latin",
    "ko": "Hangul-Latin",
    "ja": "Any-Latin",
}
# Persian reads ض ظ ذ as z, ث ص as s, ق as gh: ICU's Arabic romanisation would give d, s, q.
_PERSIAN_SOUNDS = str.maketrans({"ض": "ز", "ظ": "ز", "ذ": "ز", "ث": "س", "ص": "س", "ق": "غ"})
# Hangul syllable-final consonants as pronounced (Revised Romanization): 빛 -> bit, 옷 -> ot.
_HANGUL_FINAL = re.compile(r"(?<=[aeiouy])(?:ch|j|ss|s|h|t)$")
# The prolonged sound mark (グループ, ソニー) belongs to no script in Unicode but is part of kana words.
KANA_MARKS = frozenset("ーｰ")
WORD_RE = re.compile(r"[^\W\d_]+(?:[.'’\"][^\W\d_]+)*\.?|\d+")


def char_script(ch: str) -> str:
    """'latin', 'cyrillic', 'han', 'hangul', 'kana'... or '' for digits, spaces, punctuation."""
    if ch in KANA_MARKS:
        return "kana"
    name = codepoint_script(ord(ch)) or ""
    return SCRIPT_NAMES.get(name, "other" if ch.isalpha() else "")


def script_runs(text: str) -> list[tuple[str, str]]:
    """Split text into (script, chunk) runs; digits and punctuation go with the run before them."""
    if text.isascii():
        return [("latin", text)]
    runs: list[tuple[str, str]] = []
    current, start = "", 0
    for i, ch in enumerate(text):
        script = char_script(ch)
        if not script or script == current:
            continue
        if current:
            runs.append((current, text[start:i]))
            start = i
        current = script
    if text[start:]:
        runs.append((current or "latin", text[start:]))
    return runs


def language_of(chunk: str, script: str) -> str:
    """The language whose romanisation fits the letters best."""
    if script == "cyrillic":
        letters = set(chunk.lower())
        if "ў" in letters or ("і" in letters and "ы" in letters):
            return "be"
        if letters & set("іїєґ"):
            return "uk"
        return "ru"
    if script == "arabic":
        return "fa" if set(chunk) & set("پچژگکی") else "ar"
    return {"greek": "el", "hebrew": "he", "hangul": "ko", "kana": "ja", "georgian": "ka", "armenian": "hy"}.get(script, "")


@lru_cache(maxsize=32)
def _icu(scheme: str):  # type: ignore[no-untyped-def]
    import icu

    return icu.Transliterator.createInstance(f"{scheme}; Latin-ASCII")


@lru_cache(maxsize=131072)
def transliterations(word: str, language: str) -> tuple[tuple[str, str], ...]:
    """A word's Latin spellings, each with the scheme that gave it: (('aleksei', 'rigour'), ('aleksey', 'BGN'))."""
    found: list[tuple[str, str]] = []
    if language in ("ru", "uk", "be", "el", "hy", "ka"):
        found.append((maybe_ascii(word), "rigour"))
    scheme = _ICU_SCHEMES.get(language, "Any-Latin")
    if scheme:
        source = word.translate(_PERSIAN_SOUNDS) if language == "fa" else word
        found.append((str(_icu(scheme).transliterate(source)), "ICU " + scheme))
    out: list[tuple[str, str]] = []
    for text, how in found:
        text = text.lower().replace("ʹ", "").replace("ʺ", "").replace("'", "").replace('"', "").replace("ʿ", "")
        text = re.sub(r"[^a-z0-9 ]", "", text)
        if text and text not in [t for t, _ in out]:
            out.append((text, how))
    return tuple(out)


def hangul_syllables(word: str) -> list[str]:
    """Each Hangul syllable romanised on its own (Revised Romanization): 김정은 -> ['gim', 'jeong', 'eun']."""
    out = []
    for ch in word:
        latin = transliterations(ch, "ko")
        if latin:
            out.append(_HANGUL_FINAL.sub("t", latin[0][0]))
    return out


# Russian, Ukrainian and Belarusian case endings, longest first: glossary words are
# looked up by stem so that 'завода' (of the plant) finds 'завод'.
_CYRILLIC_ENDINGS = tuple(
    sorted(
        "ого его ому ему ими ыми ами ями ией ою ею ой ей ий ый ій ая яя ое ее ые ие ую юю ом ем ам ям ах ях ов ев ів ых их ью а я у ю е ы и і ї о ь й".split(),
        key=len,
        reverse=True,
    )
)


def cyrillic_stem(word: str) -> str:
    """'авиационного' -> 'авиационн', 'завода' -> 'завод'; short words are kept whole."""
    word = word.lower().replace("ё", "е")
    for ending in _CYRILLIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


OBLIQUE_ENDINGS = ("ого", "его", "ых", "их", "а", "я")  # the genitive of "им. С. В. Ильюшина"


def oblique_base(word: str) -> str | None:
    """'Ильюшина' -> 'Ильюшин': a name word in another case, as in 'им. С. В. Ильюшина' (None if none)."""
    low = word.lower()
    for ending in OBLIQUE_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 4:
            return word[: -len(ending)]
    return None
