"""Show untrusted notice text with the evidence highlighted: every piece is escaped, then the marks added."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

MIN_TERM = 2
MIN_CELL = 6


def evidence_terms(record: dict[str, object]) -> list[str]:
    """Words of the notice that the findings rest on: item texts and chips, parties, providers."""
    terms: list[str] = []
    for item in record.get("items") or []:  # type: ignore[attr-defined]
        if not isinstance(item, dict):
            continue
        for key in ("chip", "cloud_provider"):
            if item.get(key):
                terms += [str(item[key]), str(item[key]).split("-")[0]]
        # table rows come as cells joined by " | ": mark the telling cells, not the row numbers
        terms += [cell for cell in str(item.get("text") or "").split(" | ") if len(cell.strip()) >= MIN_CELL]
    for party in record.get("parties_screened") or []:  # type: ignore[attr-defined]
        if isinstance(party, dict) and party.get("listed") and party.get("name"):
            terms.append(str(party["name"]))
    return [t for t in dict.fromkeys(t.strip() for t in terms) if len(t) >= MIN_TERM]


def highlight(text: str, terms: Iterable[str]) -> Markup:
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
