"""Country groups (data/country_groups.yaml) as of a date, and destination scopes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from computewatch.errors import InputProblem
from computewatch.policy.datafile import build_records, data_path, raise_if, read_yaml

_CODE = re.compile(r"^[A-Z]{2}$")


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (upper case) that exists."""
    if not _CODE.match(code):
        return False
    from rigour.territories import get_territory

    return get_territory(code.lower()) is not None


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    country: str
    since: date | None = None
    until: date | None = None
    source: str | None = None
    note: str | None = None

    def on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    source: str
    members: list[Member]
    line: int | None = Field(None, exclude=True)

    @field_validator("members", mode="before")
    @classmethod
    def _codes_to_members(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"country": v} if isinstance(v, str) else v for v in value]
        return value


class TreatedAs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    country: str
    as_: str = Field(alias="as")
    since: date
    source: str
    line: int | None = Field(None, exclude=True)


class Scope(BaseModel):
    """Which destinations (or headquarters countries) a rule covers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    worldwide: bool = False
    countries: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    except_countries: list[str] = Field(default_factory=list)
    except_groups: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Scope:
        if not (self.worldwide or self.countries or self.groups):
            raise ValueError("a scope needs worldwide, countries or groups")
        return self


@dataclass(frozen=True)
class CountryGroups:
    groups: dict[str, Group]
    treated_as: tuple[TreatedAs, ...]

    def aliases(self, country: str, day: date) -> set[str]:
        """The country and every destination it is treated as on that day (HK -> CN)."""
        codes = {country}
        for t in self.treated_as:
            if t.country == country and t.since <= day:
                codes.add(t.as_)
        return codes

    def groups_of(self, country: str, day: date) -> set[str]:
        codes = self.aliases(country.upper(), day)
        return {
            g.id for g in self.groups.values() if any(m.country in codes and m.on(day) for m in g.members)
        }

    def in_scope(self, country: str, scope: Scope, day: date) -> bool:
        codes = self.aliases(country.upper(), day)
        groups = self.groups_of(country, day)
        if codes & set(scope.except_countries) or groups & set(scope.except_groups):
            return False
        return scope.worldwide or bool(codes & set(scope.countries)) or bool(groups & set(scope.groups))


@lru_cache(maxsize=4)
def country_groups(path: Path | None = None) -> CountryGroups:
    """Load and validate the country groups once."""
    path = path or data_path("country_groups.yaml")
    raw = read_yaml(path)
    problems: list[InputProblem] = []
    if not isinstance(raw, dict):
        raise_if([InputProblem(str(path), None, None, "expected a mapping at top level")])
    groups = build_records(path, raw.get("groups"), Group, "id", "groups", problems)
    treated = build_records(path, raw.get("treated_as") or [], TreatedAs, "country", "treated_as", problems)
    for g in groups:
        for m in g.members:
            if not is_country_code(m.country):
                problems.append(InputProblem(str(path), g.line, f"{g.id}: members", f"{m.country!r} is not an ISO 3166-1 alpha-2 code"))
    for t in treated:
        for code in (t.country, t.as_):
            if not is_country_code(code):
                problems.append(InputProblem(str(path), t.line, "treated_as", f"{code!r} is not an ISO 3166-1 alpha-2 code"))
    raise_if(problems)
    return CountryGroups({g.id: g for g in groups}, tuple(treated))


def groups_of(country: str, on: date) -> set[str]:
    """Country groups ('A:5', 'D:1', ...) the destination belongs to on that day."""
    return country_groups().groups_of(country, on)


def in_group(country: str, group: str, on: date) -> bool:
    return group in groups_of(country, on)
