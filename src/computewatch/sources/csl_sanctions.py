"""The listing itself of a Consolidated Screening List entry, as FollowTheMoney Sanction entities.

A CSL row says on which list a party is, since when, under which licence requirement and Federal
Register notice. The list reader keeps those fields as they were read (`source_fields`); this turns them
into Sanction entities (`entity` = the listed party), the shape OpenSanctions gives the same data, so
that clients asking for an entity with its adjacent entities (`GET /entities/{id}?nested=true`) find
the listing where they look for it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from followthemoney import model

# Sanction property <- CSL field
FIELDS = {
    "authority": "source",
    "program": "programs",
    "authorityId": "entity_number",
    "startDate": "start_date",
    "listingDate": "start_date",
    "endDate": "end_date",
    "provisions": "license_requirement",
    "summary": "license_policy",
    "description": "federal_register_notice",
    "sourceUrl": "source_list_url",
}


def _text(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v is not None and not isinstance(v, dict | list) and str(v).strip()]


def is_csl_row(fields: dict[str, Any]) -> bool:
    return "source" in fields and ("start_date" in fields or "federal_register_notice" in fields)


def csl_sanctions(entity_id: str, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """One Sanction per CSL row of the entry (a merged entry has several), without the `entity`
    property pointing back at the party (the caller knows whose sanctions these are)."""
    if not is_csl_row(fields):
        return []
    rows = [fields, *[r for r in fields.get("_more_rows", []) if isinstance(r, dict)]]
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        sanction = model.make_entity("Sanction")
        for prop, column in FIELDS.items():
            for value in _text(row.get(column)):
                sanction.add(prop, value, quiet=True, cleaned=False)
        if not sanction.properties:
            continue
        digest = hashlib.sha1(repr(sorted(sanction.properties.items())).encode()).hexdigest()[:12]
        sanction.id = f"{entity_id}-sanction-{digest}"
        data = sanction.to_dict()
        data["caption"] = sanction.caption
        out[sanction.id] = data
    return list(out.values())
