"""More names hidden in one list name: 'X (CETC)', 'A (a.k.a. B)', 'C (f.k.a., D)'.

List entries often pack an acronym or a former name into the name field; each
becomes a name of its own, and the name without them is kept too.
"""

from __future__ import annotations

import re

AKA = re.compile(r"\(?\s*\b(?:a\.?k\.?a\.?|f\.?k\.?a\.?|formerly(?: known as)?|also known as|d\.?b\.?a\.?)\s*,?\s*", re.IGNORECASE)
ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&.\-]{1,11})\s*\)")
OWN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&.\-]{2,11})\s*\)\s*$")
PAREN = re.compile(r"\(([^()]*)\)")
DESCRIPTIVE = re.compile(r"^\s*(?:a |an |the )?(?:subsidiary|division|branch|part|unit|affiliate)\b", re.IGNORECASE)


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    if text.count("(") > text.count(")"):
        text = text.replace("(", " ")
    return re.sub(r"\s+", " ", text).strip(" ,;")


def name_variants(name: str) -> list[str]:
    """The name itself first, then the names packed inside it."""
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
        for inner in PAREN.findall(text):
            if DESCRIPTIVE.match(inner):
                out.append(_clean(text.replace(f"({inner})", " ")))
    seen: dict[str, None] = {}
    for variant in out:
        if variant and len(variant) >= 2:
            seen.setdefault(variant, None)
    return list(seen)
