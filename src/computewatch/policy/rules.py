"""Dated rule records (data/rules.yaml): loading, validation, and what is in force on a day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from computewatch.errors import InputProblem, NotFound
from computewatch.policy.conditions import condition_problems
from computewatch.policy.countries import Scope, country_groups
from computewatch.policy.datafile import build_records, data_path, raise_if, read_yaml

RuleKind = Literal["classification", "licence", "review", "exception", "suspension", "note"]
_ECCN = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z](\.[0-9]+)?)?$")


class Status(StrEnum):
    NOT_YET = "not yet issued"
    PENDING = "issued, compliance pending"
    IN_FORCE = "in force"
    SUSPENDED = "suspended"
    ENDED = "no longer in force"


class Band(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    eccn: str
    when: dict[str, Any]
    note: str | None = None


class HeadquartersScope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    listed: bool | None = None
    affiliate_of_listed: bool | None = None
    headquarters: Scope | None = None


class Rule(BaseModel):
    """One dated rule record. See the header of data/rules.yaml for the meaning of each field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    kind: RuleKind
    title: str
    source: str = Field(min_length=3)
    url: str | None = None
    basis: str | None = None
    published: date | None = None
    effective: date
    compliance: date | None = None
    rescinded: date | None = None
    rescinded_source: str | None = None
    superseded: date | None = None
    superseded_by: str | None = None
    expires: date | None = None
    bands: list[Band] = Field(default_factory=list)
    system_eccn: dict[str, str] = Field(default_factory=dict)
    items: dict[str, Any] | None = None
    destinations: Scope | None = None
    end_user: HeadquartersScope | None = None
    review: str | None = None
    overrides: list[str] = Field(default_factory=list)
    exception: str | None = None
    no_exceptions: bool = False
    suspends: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    line: int | None = Field(None, exclude=True)

    @property
    def ends(self) -> date | None:
        """First day the rule is no longer in force (rescinded, superseded or expired)."""
        days = [d for d in (self.rescinded, self.superseded, self.expires) if d is not None]
        return min(days) if days else None

    def ref(self) -> dict[str, str]:
        """The {id, source, effective} triple of CONTRACTS.md."""
        return {"id": self.id, "source": self.source, "effective": self.effective.isoformat()}


@dataclass(frozen=True)
class RuleBook:
    rules: dict[str, Rule]
    review_policies: tuple[str, ...]

    def status(self, rule: Rule, on: date) -> Status:
        if on < rule.effective:
            return Status.NOT_YET
        ends = rule.ends
        if ends is not None and on >= ends:
            return Status.ENDED
        if any(
            rule.id in s.suspends and self.status(s, on) is Status.IN_FORCE
            for s in self.rules.values()
            if s.kind == "suspension"
        ):
            return Status.SUSPENDED
        if rule.compliance is not None and on < rule.compliance:
            return Status.PENDING
        return Status.IN_FORCE

    def with_status(self, on: date, *wanted: Status, kind: str | None = None) -> list[Rule]:
        return [
            r
            for r in self.rules.values()
            if self.status(r, on) in wanted and (kind is None or r.kind == kind)
        ]

    def strictest(self, policies: list[str]) -> str | None:
        order = {p: i for i, p in enumerate(self.review_policies)}
        return min(policies, key=lambda p: order.get(p, len(order))) if policies else None


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> RuleBook:
    """Load and validate the rule records once. Problems name file, line and rule id."""
    path = path or data_path("rules.yaml")
    raw = read_yaml(path)
    problems: list[InputProblem] = []
    if not isinstance(raw, dict):
        raise_if([InputProblem(str(path), None, None, "expected a mapping at top level")])
    rules = build_records(path, raw.get("rules"), Rule, "id", "rules", problems)
    policies = tuple(str(p) for p in raw.get("review_policies") or ())
    book = RuleBook({r.id: r for r in rules}, policies)
    for rule in rules:
        for field, reason in _rule_problems(rule, book):
            problems.append(InputProblem(str(path), rule.line, f"{rule.id}: {field}", reason))
    raise_if(problems)
    return book


def _rule_problems(rule: Rule, book: RuleBook) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    groups = country_groups().groups
    for name in ("compliance", "rescinded", "superseded", "expires"):
        day = getattr(rule, name)
        if day is not None and day <= rule.effective and name != "compliance":
            out.append((name, f"must be after effective ({rule.effective})"))
    if rule.superseded is not None and rule.superseded_by is None:
        out.append(("superseded_by", "say which rule supersedes it"))
    for ref in [*([rule.superseded_by] if rule.superseded_by else []), *rule.overrides, *rule.suspends]:
        if ref not in book.rules:
            out.append(("references", f"unknown rule id {ref!r}"))
    needs = {
        "classification": ["bands"],
        "licence": ["items", "review"],
        "review": ["items", "destinations", "review", "overrides"],
        "exception": ["items", "destinations", "exception"],
        "suspension": ["suspends"],
        "note": ["items"],
    }[rule.kind]
    for name in needs:
        if getattr(rule, name) in (None, [], {}):
            out.append((name, f"required for a {rule.kind} rule"))
    if rule.kind == "licence" and rule.destinations is None and rule.end_user is None:
        out.append(("destinations", "a licence rule needs destinations or end_user"))
    for i, band in enumerate(rule.bands):
        if not _ECCN.match(band.eccn):
            out.append((f"bands[{i}].eccn", f"{band.eccn!r} is not an ECCN"))
        out.extend((f"bands[{i}].when", p) for p in condition_problems(band.when))
    if rule.items is not None:
        out.extend(("items", p) for p in condition_problems(rule.items))
    if rule.review is not None and rule.review not in book.review_policies:
        out.append(("review", f"{rule.review!r} is not one of review_policies"))
    scopes = [rule.destinations, rule.end_user.headquarters if rule.end_user else None]
    for scope in (s for s in scopes if s is not None):
        for g in [*scope.groups, *scope.except_groups]:
            if g not in groups:
                out.append(("groups", f"unknown country group {g!r}"))
    return out


def get_rule(rule_id: str) -> Rule:
    book = load_rules()
    if rule_id not in book.rules:
        from rapidfuzz import process

        close = [m[0] for m in process.extract(rule_id, list(book.rules), limit=3)]
        raise NotFound("rule", rule_id, close)
    return book.rules[rule_id]


def rules_in_force(on: date) -> list[Rule]:
    """Rules in force on that day (issued, effective, not ended, not suspended, compliance reached)."""
    return load_rules().with_status(on, Status.IN_FORCE)


def pending_rules(on: date) -> list[Rule]:
    """Rules issued but whose compliance date had not arrived on that day."""
    return load_rules().with_status(on, Status.PENDING)


def rule_status(rule: Rule, on: date) -> Status:
    return load_rules().status(rule, on)
