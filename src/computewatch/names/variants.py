"""More names hidden in one list name: 'X (CETC)', 'A (a.k.a. B)', 'C (f.k.a., D)',
'X Co., Ltd (Brand)', 'Brand (Its Long Name)'.

List entries often pack an acronym, a short name or a former name into the name
field; each becomes a name of its own, and the name without them is kept too.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

AKA = re.compile(r"\(?\s*\b(?:a\.?k\.?a\.?|f\.?k\.?a\.?|formerly(?: known as)?|also known as|d\.?b\.?a\.?)\s*,?\s*", re.IGNORECASE)
ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&.\-]{1,11})\s*\)")
OWN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&.\-]{2,11})\s*\)\s*$")
PAREN = re.compile(r"\(([^()]*)\)")
DESCRIPTIVE = re.compile(r"^\s*(?:a |an |the )?(?:subsidiary|division|branch|part|unit|affiliate)\b", re.IGNORECASE)
# a closing parenthetical of a few words: the entity's short name ('(HiSilicon)', '(ZAO SNGB)'), or
# the long name of a short one ('Rostec (Russian Technologies State Corporation)')
CLOSING = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
NOT_A_NAME = re.compile(r"^\s*(?:a |an |the )?(?:see|all|any|including|excluding|located|formerly|subordinate)\b", re.IGNORECASE)
MAX_OWN_NAME_WORDS = 7


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    if text.count("(") > text.count(")"):
        text = text.replace("(", " ")
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _own_names(text: str) -> list[str]:
    """'X Co., Ltd (Brand)': 'Brand' and 'X Co., Ltd'. Not when the parenthetical is a place
    ('(Shenzhen)', '(Hong Kong)'), a company type ('(Limited Partnership)'), only weak words,
    one ordinary word ('(United)'), or a remark ('(See also addresses under Finland)')."""
    # analyze reads the glossary: imported only when needed
    from computewatch.names.analyze import analyze_name
    from computewatch.names.glossary import default_glossary
    from computewatch.names.latin import is_weak

    m = CLOSING.match(text)
    inner = m["inner"] if m else ""
    if not m or len(inner.split()) > MAX_OWN_NAME_WORDS or NOT_A_NAME.match(inner) or AKA.search(inner) or DESCRIPTIVE.match(inner):
        return []
    glossary = default_glossary()
    tokens = analyze_name(inner).tokens
    if not any(not is_weak(t) and t not in glossary.place_tokens and not t.isdigit() for t in tokens):
        return []
    if len(tokens) == 1 and tokens[0] in glossary.vocabulary:
        return []
    head = _clean(m["head"])
    if len(tokens) == 1:
        # another spelling of a word of the name ('Yershov (Ershov)', 'Elkomtekh (Elkomtex)'): the
        # name spelt that way, not the word alone
        words = head.split()
        for i, word in enumerate(words):
            folded = analyze_name(word).tokens
            if len(folded) == 1 and folded[0] != tokens[0] and OSA.distance(folded[0], tokens[0], score_cutoff=2) <= 2:
                return [" ".join([*words[:i], inner.strip(), *words[i + 1 :]]), head]
    return [_clean(inner), head]


def name_variants(name: str, organisation: bool = True) -> list[str]:
    """The name itself first, then the names packed inside it, and the name without the status
    prefix a Russian institution carries ('Federal Research Center ...'). `organisation`: False for a
    person, whose parenthetical is another spelling of one part ('Yershov (Ershov)'), kept as written."""
    out = [name]
    parts = [p for p in AKA.split(name) if p and p.strip(" (),;")]
    if len(parts) > 1:
        out.extend(_clean(p.rstrip(")")) for p in parts)
    for text in list(out):
        if ACRONYM.search(text):
            out.append(_clean(ACRONYM.sub(" ", text)))
            # An acronym closing the name is the entity's own ('... (BUAA)'); one inside it is
            # usually the parent's ('CSSC ... (CSSC) 717th Research Institute') and is not a name.
            own = OWN_ACRONYM.search(text)
            if own:
                out.append(own.group(1).strip("."))
        elif organisation:
            out.extend(_own_names(text))
        for inner in PAREN.findall(text):
            if DESCRIPTIVE.match(inner):
                out.append(_clean(text.replace(f"({inner})", " ")))
    if organisation:
        from computewatch.names.latin import latin_words

        # 'Federal Research Center Boreskov Institute of Catalysis' is also 'Boreskov Institute of Catalysis'
        out.extend(_clean(text[m.end() :]) for text in list(out) if (m := latin_words().status_prefix.match(text)))
    seen: dict[str, None] = {}
    for variant in out:
        if variant and len(variant) >= 2:
            seen.setdefault(variant, None)
    return list(seen)
