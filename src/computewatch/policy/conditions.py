"""A tiny condition language for rule data, evaluated against an item's facts.

A condition is a mapping. Combinators: ``all: [..]``, ``any: [..]``, ``not: {..}``,
``always: true``. Any other key names a fact (``tpp``, ``performance_density``,
``eccn``, ``datacenter``, ``chip``...) and maps to comparisons: ``ge``, ``gt``,
``le``, ``lt``, ``eq``, ``in``. Example from rules.yaml::

    any:
      - tpp: {ge: 4800}
      - all: [{tpp: {ge: 1600}}, {performance_density: {ge: 5.92}}, {datacenter: {eq: true}}]

A fact the item does not have (None) makes its comparison false and is
recorded in ``Evaluation.unknown`` so the caller can say what it could not check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

COMBINATORS = {"all", "any", "not", "always"}
COMPARISONS = {"ge", "gt", "le", "lt", "eq", "in"}


@dataclass
class Evaluation:
    unknown: set[str] = field(default_factory=set)


def condition_problems(cond: Any, where: str = "") -> list[str]:
    """Structural problems of a condition (for the loader); empty when well formed."""
    if not isinstance(cond, Mapping) or not cond:
        return [f"{where or 'condition'}: expected a non-empty mapping"]
    problems: list[str] = []
    for key, value in cond.items():
        here = f"{where}.{key}" if where else str(key)
        if key in ("all", "any"):
            if not isinstance(value, list):
                problems.append(f"{here}: expected a list")
                continue
            for i, sub in enumerate(value):
                problems.extend(condition_problems(sub, f"{here}[{i}]"))
        elif key == "not":
            problems.extend(condition_problems(value, here))
        elif key == "always":
            if value is not True:
                problems.append(f"{here}: must be true")
        elif not isinstance(value, Mapping) or not value:
            problems.append(f"{here}: expected comparisons such as {{ge: 4800}}")
        else:
            bad = set(value) - COMPARISONS
            if bad:
                problems.append(f"{here}: unknown comparison {sorted(bad)}; use {sorted(COMPARISONS)}")
            if "in" in value and not isinstance(value["in"], list):
                problems.append(f"{here}.in: expected a list")
    return problems


def holds(cond: Mapping[str, Any], facts: Mapping[str, Any], ev: Evaluation | None = None) -> bool:
    """True when every entry of the condition holds for the facts."""
    ev = ev if ev is not None else Evaluation()
    return all(_entry(key, value, facts, ev) for key, value in cond.items())


def _entry(key: str, value: Any, facts: Mapping[str, Any], ev: Evaluation) -> bool:
    if key == "all":
        return all(holds(sub, facts, ev) for sub in value)
    if key == "any":
        return any(holds(sub, facts, ev) for sub in value)
    if key == "not":
        return not holds(value, facts, ev)
    if key == "always":
        return bool(value)
    actual = facts.get(key)
    if actual is None:
        ev.unknown.add(key)
        return False
    return all(_compare(op, actual, expected) for op, expected in value.items())


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "in":
        return _norm(actual) in {_norm(e) for e in expected}
    if op == "eq":
        return bool(_norm(actual) == _norm(expected))
    if op == "ge":
        return bool(actual >= expected)
    if op == "gt":
        return bool(actual > expected)
    if op == "le":
        return bool(actual <= expected)
    if op == "lt":
        return bool(actual < expected)
    raise ValueError(f"unknown comparison {op!r}")


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
