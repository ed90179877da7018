"""What kind of name a pair is (a person's or an organisation's), and one threshold for both.

People's names are short: one part more or less moves a raw score further than one
word in a company name does. Raw scores are therefore mapped per kind onto one scale,
piecewise linearly through (0, 0), (raw threshold of the kind, 0.80) and (1, 1), so
that the one default threshold (0.80) means the same for both. The raw thresholds
are read off the labelled name pairs (eval/screening/pairs.csv) by
`eval/screening/pairs.py --calibrate`: the lowest raw score at which precision on
that kind's pairs stays at or above the target.
"""

from __future__ import annotations

from computewatch.names.analyze import NameForm
from computewatch.names.latin import is_field_word, is_weak
from computewatch.names.people import is_known_name, is_patronymic

# Raw score that maps onto the reference threshold, per kind of pair.
RAW_THRESHOLDS = {"person": 0.80, "organization": 0.80}
REFERENCE_THRESHOLD = 0.80

PERSON_SCHEMAS = {"Person"}
ORG_SCHEMAS = {"Company", "Organization", "PublicBody", "Vessel", "Airplane"}
_ORG_HOWS = ("glossary", "pinyin-glossary", "world", "cedict", "number")


def name_kind(form: NameForm, schema: str = "", look_up_names: bool = True) -> str:
    """'person', 'organization' or '' (cannot tell) for one name.

    With `look_up_names` a name of plain words holding a known given name or common
    family name is a person's (used for list names, once, when the index is built; a
    query's kind is then taken from the list name it is compared with)."""
    if schema in PERSON_SCHEMAS:
        return "person"
    if schema in ORG_SCHEMAS:
        return "organization"
    if form.legal_forms or any(s.how.startswith(_ORG_HOWS) for s in form.slots):
        return "organization"
    tokens = form.tokens
    if form.titles or any(s.how.startswith("person:") for s in form.slots):
        return "person"
    if len(tokens) >= 3 and any(map(is_patronymic, tokens[1:-1])):
        return "person"  # a patronymic between two parts: Maxim Yevgenevich Ivakin
    if not look_up_names:
        return ""
    if not 2 <= len(tokens) <= 6 or any(not t.isalpha() or is_weak(t) or is_field_word(t) for t in tokens):
        return ""
    # A name with a known given name or common family name among plain words is a person's.
    return "person" if any(is_known_name(t) for t in tokens) else ""


def pair_kind(query_kind: str, list_kind: str) -> str:
    if "organization" in (query_kind, list_kind):
        return "organization"
    if "person" in (query_kind, list_kind):
        return "person"
    return "organization"


def calibrate(raw: float, kind: str, reference: float = REFERENCE_THRESHOLD) -> float:
    """Map a raw score of a pair of this kind onto the common scale."""
    t = RAW_THRESHOLDS.get(kind, reference)
    if raw <= t:
        return raw * reference / t if t else raw
    return reference + (raw - t) * (1 - reference) / (1 - t) if t < 1 else 1.0
