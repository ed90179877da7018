"""The 15 CFR 744.23(a)(3) test: is the entity, or its ultimate parent, headquartered in D:5 or Macau?

The scope (country groups and countries) is read from the rule record named
in GraphSettings.headquarters_rule, and the groups are evaluated as of the date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from computewatch.graph.explain import path_json, path_text
from computewatch.graph.model import Listing
from computewatch.graph.ownership import OwnershipPath, Subgraph
from computewatch.policy.countries import country_groups
from computewatch.policy.rules import Status, get_rule, rule_status
from computewatch.settings.graph import GraphSettings


def in_headquarters_scope(country: str, on: date, settings: GraphSettings) -> bool:
    """True when a headquarters in `country` falls under the rule's scope (D:5 or Macau) on the day."""
    rule = get_rule(settings.headquarters_rule)
    scope = rule.end_user.headquarters if rule.end_user else None
    if not country or scope is None:
        return False
    return country_groups().in_scope(country, scope, on)


def headquarters_flags(
    sub: Subgraph, parent: OwnershipPath, listed: dict[str, list[Listing]], settings: GraphSettings
) -> list[dict[str, Any]]:
    rule = get_rule(settings.headquarters_rule)
    status = rule_status(rule, sub.as_of)
    rule_ref = {"id": rule.id, "source": rule.source, "status": str(status), "binds": status is Status.IN_FORCE}
    flags: list[dict[str, Any]] = []
    root = sub.nodes.get(sub.root)
    if root and in_headquarters_scope(root.country, sub.as_of, settings):
        flags.append({
            "code": "headquarters_d5_or_macau",
            "severity": "high",
            "text": f"{root.name} is headquartered in {root.country}, in D:5 or Macau on {sub.as_of} (15 CFR 744.23(a)(3))",
            "rule": rule_ref,
            "paths": [],
        })  # fmt: skip
    top = sub.nodes.get(parent.owner)
    if parent.edges and top and in_headquarters_scope(top.country, sub.as_of, settings):
        flags.append({
            "code": "ultimate_parent_d5_or_macau",
            "severity": "high",
            "text": f"ultimate parent {top.name} is headquartered in {top.country}, in D:5 or Macau on {sub.as_of}: "
                    + path_text(parent, sub.nodes, listed),
            "rule": rule_ref,
            "paths": [path_json(parent, sub.nodes, listed)],
        })  # fmt: skip
    return flags
