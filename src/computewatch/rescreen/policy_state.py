"""What the rules say on a day, as a comparable snapshot: each rule's status and content,
and the digest of the catalogue and country-group data.

Two snapshots differ when a rule record was added, removed or edited (a data change),
when a dated rule took effect, was suspended or ended between two as-of days, or
when the chip catalogue or the country groups changed. Each difference is a sentence.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import orjson

from computewatch.policy.datafile import data_path
from computewatch.policy.rules import load_rules

DATA_FILES = ("accelerators.yaml", "country_groups.yaml")


def policy_snapshot(on: date) -> dict[str, Any]:
    book = load_rules()
    rules = {
        rule.id: {
            "status": str(book.status(rule, on)),
            "digest": hashlib.sha256(
                orjson.dumps(rule.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
            ).hexdigest()[:16],
            "source": rule.source,
        }
        for rule in book.rules.values()
    }
    files = {
        name: hashlib.sha256(data_path(name).read_bytes()).hexdigest()[:16] for name in DATA_FILES
    }
    return {"as_of": on.isoformat(), "rules": rules, "files": files}


def policy_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Sentences naming every difference; empty when the rules say the same thing."""
    if before is None:
        return []
    old, new = before.get("rules", {}), after["rules"]
    changes = []
    for rule_id in sorted(set(old) | set(new)):
        a, b = old.get(rule_id), new.get(rule_id)
        if a is None:
            changes.append(
                f"rule {rule_id} added to the rule data ({b['source']}), {b['status']} on {after['as_of']}"
            )
        elif b is None:
            changes.append(f"rule {rule_id} removed from the rule data ({a['source']})")
        else:
            if a["digest"] != b["digest"]:
                changes.append(f"rule {rule_id} edited in the rule data ({b['source']})")
            if a["status"] != b["status"]:
                changes.append(
                    f"rule {rule_id} ({b['source']}): {a['status']} on {before['as_of']}, {b['status']} on {after['as_of']}"
                )
    for name, digest in after["files"].items():
        if before.get("files", {}).get(name) != digest:
            changes.append(f"policy data {name} changed")
    return changes
