"""The `entities` input table: FollowTheMoney entity JSON lines for the ownership and control graph.

Parties (Company, Person, Organization, ...), Address and Contract entities
become nodes; Ownership, Directorship, Succession, ContractAward and
UnknownLink become relationships; Sanction entities become dated listings.
Every bad row is reported with file, line and field; the good rows are kept.
References are checked by `check_references` once every file has been read,
so a file may refer to an entity in another file or already in the workspace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema

from computewatch.contacts import domain_key, email_key, phone_key
from computewatch.errors import InputError, InputProblem
from computewatch.policy.countries import is_country_code
from computewatch.sources.dates import parse_day
from computewatch.sources.indicators import indicator_data
from computewatch.sources.jsonlines import json_objects

# Relationship schemas: (kind, property of the source end, property of the target end).
EDGES: dict[str, tuple[str, str, str]] = {
    "Ownership": ("ownership", "owner", "asset"),
    "Directorship": ("directorship", "director", "organization"),
    "Succession": ("succession", "predecessor", "successor"),
    "ContractAward": ("holding", "supplier", "contract"),
    "UnknownLink": ("link", "subject", "object"),
}
IDENTIFIERS = ("registrationNumber", "idNumber", "taxNumber", "leiCode", "dunsCode", "vatCode", "innCode", "ogrnCode")
_THING = model.get("Thing")
_INTERVAL = model.get("Interval")


@dataclass
class EntityRow:
    entity_id: str
    schema: str
    name: str
    country: str  # headquarters: mainCountry, else country, else jurisdiction ('' when none)
    countries: list[str]
    incorporation_date: date | None
    dissolution_date: date | None
    topics: list[str]
    properties: dict[str, list[str]]
    file: str
    line: int


@dataclass
class RelationRow:
    rel_id: str
    kind: str  # ownership, directorship, succession, holding, parent, link
    source: str  # owner, director, predecessor, holder (supplier), parent, subject
    target: str  # asset, organization, successor, contract, subsidiary, object
    percentage: float | None
    start_date: date | None
    end_date: date | None
    role: str
    file: str
    line: int


@dataclass
class ListingRow:
    listing_id: str
    entity_id: str
    program: str
    authority: str
    start_date: date | None
    end_date: date | None
    file: str
    line: int


@dataclass
class EntityBatch:
    entities: list[EntityRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    listings: list[ListingRow] = field(default_factory=list)
    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # (entity_id, kind, value)
    problems: list[InputProblem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # schemas the graph does not use
    # references to check once all files are read: (row kind, row id, field, referenced id, range schema)
    references: list[tuple[str, str, str, str, str, str, int]] = field(default_factory=list)


def normalise_address(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def normalise_phone(text: str, country: str | None = None) -> str:
    """E.164 in the record's country (computewatch.contacts.phone_key, the one phone normaliser)."""
    return phone_key(text, country)


def normalise_identifier(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def identifier_keys(text: str) -> list[str]:
    """'202501004455 (1593321-K)' -> the whole number and each part (old and new Malaysian numbers)."""
    parts = [text, *re.split(r"[()/;,]", text)]
    keys = [k for k in (normalise_identifier(p) for p in parts) if len(k) >= 4]
    return list(dict.fromkeys(keys))


def web_domain(url: str) -> str:
    return domain_key(url)


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for v in items:
        text = v.strip() if isinstance(v, str) else ("" if v is None else str(v).strip())
        if text:
            out.append(text)
    return out


@lru_cache(maxsize=4096)
def _property(schema_name: str, name: str) -> str | None:
    """The FollowTheMoney type name of a schema's property; None when it has no such property."""
    schema = model.get(schema_name)
    prop = schema.properties.get(name) if schema else None
    return None if prop is None or prop.stub else str(prop.type.name)


@lru_cache(maxsize=512)
def _range(schema_name: str, prop: str) -> str:
    schema = model.get(schema_name)
    rng = schema.properties[prop].range if schema else None
    return rng.name if rng else "Thing"


@lru_cache(maxsize=512)
def _schema(name: str) -> Schema | None:
    return model.get(name)


class _Reader:
    def __init__(self, batch: EntityBatch, path: Path):
        self.batch = batch
        self.file = str(path)
        self.seen: dict[str, int] = {}

    def problem(self, line: int, fld: str | None, reason: str) -> None:
        self.batch.problems.append(InputProblem(self.file, line, fld, reason))

    def read(self) -> None:
        for lineno, data in json_objects(self.file, self.batch.problems):
            self.row(lineno, data)

    def row(self, line: int, data: dict[str, Any]) -> None:
        eid, schema_name = str(data.get("id") or "").strip(), str(data.get("schema") or "").strip()
        if not eid or not schema_name:
            return self.problem(line, "id" if not eid else "schema", "missing")
        schema = _schema(schema_name)
        if schema is None:
            return self.problem(line, "schema", f"unknown FollowTheMoney schema {schema_name!r}")
        if eid in self.seen:
            return self.problem(line, "id", f"duplicate id {eid!r} (first on line {self.seen[eid]})")
        self.seen[eid] = line
        props = self.properties(line, schema, data.get("properties"))
        if props is None:
            return None
        if schema.name == "Sanction":
            return self.listing(line, eid, props)
        if schema.name in EDGES:
            return self.relation(line, eid, schema.name, props)
        if schema.is_a(_INTERVAL) or not schema.is_a(_THING):
            self.batch.skipped[schema.name] = self.batch.skipped.get(schema.name, 0) + 1
            return None
        return self.entity(line, eid, schema, props, data)

    def properties(self, line: int, schema: Schema, raw: Any) -> dict[str, list[str]] | None:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(line, "properties", "must be an object of property name to list of values")
            return None
        props: dict[str, list[str]] = {}
        ok = True
        for name, value in raw.items():
            kind = _property(schema.name, name)
            if kind is None:
                self.problem(line, f"properties.{name}", f"not a property of {schema.name}")
                ok = False
                continue
            values = _values(value)
            for v in values:
                if kind == "country" and not is_country_code(v.upper()):
                    self.problem(line, f"properties.{name}", f"{v!r} is not an ISO 3166-1 alpha-2 country code")
                    ok = False
                elif kind == "date":
                    try:
                        parse_day(v)
                    except ValueError as err:
                        self.problem(line, f"properties.{name}", str(err))
                        ok = False
            if values:
                props[name] = [v.upper() for v in values] if kind == "country" else values
        return props if ok else None

    def _dates(self, line: int, props: dict[str, list[str]], start_keys: tuple[str, ...]) -> tuple[date | None, date | None, bool]:
        start_raw = next((props[k][0] for k in start_keys if props.get(k)), None)
        start = parse_day(start_raw) if start_raw else None
        end = parse_day(props["endDate"][0], end=True) if props.get("endDate") else None
        if start and end and end < start:
            self.problem(line, "properties.endDate", f"ends ({end}) before it starts ({start})")
            return start, end, False
        return start, end, True

    def relation(self, line: int, rid: str, schema_name: str, props: dict[str, list[str]]) -> None:
        kind, src_prop, dst_prop = EDGES[schema_name]
        ends: list[str] = []
        for prop in (src_prop, dst_prop):
            values = props.get(prop, [])
            if len(values) != 1:
                self.problem(line, f"properties.{prop}", "missing" if not values else f"one {prop} per {schema_name}, found {len(values)}")
                return
            ends.append(values[0])
        source, target = ends
        if source == target:
            what = "owns itself" if kind == "ownership" else f"is its own {dst_prop}"
            return self.problem(line, f"properties.{dst_prop}", f"{source!r} {what}")
        percentage: float | None = None
        if kind == "ownership" and props.get("percentage"):
            text = props["percentage"][0].replace("%", "").replace(",", ".").strip()
            try:
                percentage = float(text)
            except ValueError:
                return self.problem(line, "properties.percentage", f"{props['percentage'][0]!r} is not a number")
            if not 0 <= percentage <= 100:
                return self.problem(line, "properties.percentage", f"{percentage:g}% is outside 0-100")
        start, end, ok = self._dates(line, props, ("startDate", "date"))
        if not ok:
            return None
        role = ", ".join(props.get("role", []) or props.get("ownershipType", []))
        for prop, ref in ((src_prop, source), (dst_prop, target)):
            self.batch.references.append(("relation", rid, f"properties.{prop}", ref, _range(schema_name, prop), self.file, line))
        self.batch.relations.append(RelationRow(rid, kind, source, target, percentage, start, end, role, self.file, line))

    def listing(self, line: int, lid: str, props: dict[str, list[str]]) -> None:
        targets = props.get("entity", [])
        if len(targets) != 1:
            return self.problem(line, "properties.entity", "missing" if not targets else "one entity per Sanction")
        start, end, ok = self._dates(line, props, ("listingDate", "startDate", "date"))
        if not ok:
            return None
        program = (props.get("program") or props.get("programId") or props.get("reason") or [""])[0]
        authority = (props.get("authority") or [""])[0]
        self.batch.references.append(("listing", lid, "properties.entity", targets[0], "Thing", self.file, line))
        self.batch.listings.append(ListingRow(lid, targets[0], program, authority, start, end, self.file, line))

    def entity(self, line: int, eid: str, schema: Schema, props: dict[str, list[str]], data: dict[str, Any]) -> None:
        names = props.get("name", []) or props.get("title", []) or props.get("full", [])
        inc = parse_day(props["incorporationDate"][0]) if props.get("incorporationDate") else None
        dis = parse_day(props["dissolutionDate"][0], end=True) if props.get("dissolutionDate") else None
        countries = [c for k in ("mainCountry", "country", "jurisdiction", "nationality") for c in props.get(k, [])]
        topics = _values(data.get("topics")) + props.get("topics", [])
        self.batch.entities.append(
            EntityRow(eid, schema.name, names[0] if names else eid, countries[0] if countries else "",
                      list(dict.fromkeys(countries)), inc, dis, list(dict.fromkeys(topics)), props, self.file, line)
        )  # fmt: skip
        self.contacts(eid, schema, props)
        for i, parent in enumerate(props.get("parent", [])):
            rid = f"{eid}#parent{i}"
            self.batch.references.append(("relation", rid, "properties.parent", parent, "LegalEntity", self.file, line))
            self.batch.relations.append(RelationRow(rid, "parent", parent, eid, None, None, None, "parent", self.file, line))
        for ref in props.get("addressEntity", []):
            self.batch.references.append(("entity", eid, "properties.addressEntity", ref, "Address", self.file, line))

    def contacts(self, eid: str, schema: Schema, props: dict[str, list[str]]) -> None:
        out = self.batch.contacts
        if schema.name == "Address":
            text = props.get("full") or [" ".join(v for k in ("street", "city", "postalCode", "country") for v in props.get(k, []))]
            key = normalise_address(text[0]) if text else ""
            if key:
                out.append((eid, "address_text", key))
            return
        for value in props.get("address", []):
            if key := normalise_address(value):
                out.append((eid, "address", key))
        for ref in props.get("addressEntity", []):
            out.append((eid, "address_ref", ref))
        region = next(iter(props.get("mainCountry", []) + props.get("country", []) + props.get("jurisdiction", [])), "")
        for value in props.get("phone", []):
            if key := normalise_phone(value, region):  # read in the record's country
                out.append((eid, "phone", key))
        for value in props.get("email", []):
            email = email_key(value) or value.casefold()
            out.append((eid, "email", email))
            domain = domain_key(email)
            if "@" in email and domain and domain not in indicator_data().free_email_domains:
                out.append((eid, "domain", domain))
        for value in props.get("website", []):
            if domain := web_domain(value):
                out.append((eid, "domain", domain))
        for prop in IDENTIFIERS:
            for value in props.get(prop, []):
                for key in identifier_keys(value):
                    out.append((eid, "regnum", key))


def read_entities(paths: Iterable[Path], batch: EntityBatch | None = None) -> EntityBatch:
    """Read every file into one batch: rows that passed, and the problems of the rows that did not."""
    batch = batch or EntityBatch()
    for path in paths:
        before = len(batch.problems) + len(batch.entities) + len(batch.relations) + len(batch.listings) + sum(batch.skipped.values())
        try:
            _Reader(batch, path).read()
        except InputError as err:  # the file cannot be read at all: nothing of this load is stored
            batch.problems.extend(replace(p, refuses_file=True) for p in err.problems)
        after = len(batch.problems) + len(batch.entities) + len(batch.relations) + len(batch.listings) + sum(batch.skipped.values())
        if after == before:
            batch.problems.append(InputProblem(str(path), None, None, "no entities (only blank lines)", refuses_file=True))
    return batch


def check_references(batch: EntityBatch, known: dict[str, str]) -> None:
    """Drop rows whose references point at nothing, or at an entity of the wrong kind, and report them.

    `known` maps entity id to schema for everything the rows may refer to: the
    batch's own entities and those already in the workspace.
    """
    bad: dict[tuple[str, str], InputProblem] = {}
    bad_address_refs: set[tuple[str, str]] = set()
    ranges: dict[tuple[str, str], bool] = {}
    for row_kind, row_id, fld, ref, rng, file, line in batch.references:
        schema_name = known.get(ref)
        if schema_name is None:
            reason = f"refers to {ref!r}, which is not in the input (or was rejected) nor in the workspace"
        else:
            ok = ranges.get((schema_name, rng))
            if ok is None:
                target, want = model.get(schema_name), model.get(rng)
                ok = ranges[(schema_name, rng)] = bool(target and want and target.is_a(want))
            if ok:
                continue
            reason = f"refers to {ref!r}, a {schema_name}, where a {rng} is needed"
        if row_kind == "entity":  # a bad addressEntity costs the entity that link only
            bad_address_refs.add((row_id, ref))
            batch.problems.append(InputProblem(file, line, fld, reason))
            continue
        bad.setdefault((row_kind, row_id), InputProblem(file, line, fld, reason))
    if bad_address_refs:
        batch.contacts = [c for c in batch.contacts if not (c[1] == "address_ref" and (c[0], c[2]) in bad_address_refs)]
    if not bad:
        return
    batch.problems.extend(bad.values())
    drop_rel = {rid for kind, rid in bad if kind == "relation"}
    drop_lst = {rid for kind, rid in bad if kind == "listing"}
    batch.relations = [r for r in batch.relations if r.rel_id not in drop_rel]
    batch.listings = [x for x in batch.listings if x.listing_id not in drop_lst]
