"""Classify an accelerator and decide the licence requirement, as of a date.

Everything decisive comes from the rule records; this module only walks them:
1. the classification rule in force gives the ECCN band (first band that holds);
2. each licence rule in force whose items hold applies when the destination is
   in its scope or the end user matches (listed, affiliate, headquarters);
3. review rules change the review policy of the licence rules they override;
4. exception rules say which licence exceptions may apply;
5. rules issued but not yet due (compliance date ahead) are reported as pending.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from computewatch.errors import UsageError
from computewatch.policy.catalogue import Accelerator, catalogue, find_chip
from computewatch.policy.conditions import Evaluation, holds
from computewatch.policy.countries import country_groups, is_country_code
from computewatch.policy.performance import Specs
from computewatch.policy.rules import Rule, RuleBook, Status, load_rules


class EndUser(BaseModel):
    """What is known of the party receiving the item."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    listed: bool = Field(False, description="named on the Entity List")
    affiliate_of_listed: bool = Field(False, description="at least 50% owned by listed parties")
    headquarters_country: str | None = None
    ultimate_parent_country: str | None = None

    @field_validator("headquarters_country", "ultimate_parent_country")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if not is_country_code(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value


class RuleRef(BaseModel):
    id: str
    source: str
    effective: str
    role: str
    title: str
    review: str | None = None


class Classification(BaseModel):
    """The answer to "is this compute controlled for this party, at this date?"."""

    chip: str
    kind: str
    tpp: float | None
    tpp_precision: str | None = None
    performance_density: float | None
    memory_bandwidth_density: float | None = None
    eccn: str | None
    destination: str | None
    date: date
    end_user: EndUser | None = None
    license_required: bool
    review_policy: str | None = None
    license_exceptions: list[str] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    rules: list[RuleRef] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        """JSON shape of CONTRACTS.md (classify --json), contract keys first, extras after."""
        data = self.model_dump(mode="json")
        head = ["chip", "tpp", "performance_density", "eccn", "destination", "date", "license_required", "rules"]
        out = {k: data[k] for k in head}
        out["tpp"] = _round(self.tpp, 1)
        out["performance_density"] = _round(self.performance_density, 2)
        out.update({k: v for k, v in data.items() if k not in out})
        return out


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def resolve_specs(chip_or_specs: str | Accelerator | Specs) -> tuple[Specs, Accelerator | None]:
    if isinstance(chip_or_specs, Specs):
        return chip_or_specs, None
    acc = chip_or_specs if isinstance(chip_or_specs, Accelerator) else find_chip(chip_or_specs)
    return catalogue().specs(acc), acc


def classify_accelerator(
    chip_or_specs: str | Accelerator | Specs,
    destination: str | None = None,
    on: date | None = None,
    end_user: EndUser | None = None,
) -> Classification:
    """Classify a catalogue chip (name or alias) or raw specs for a destination and end user on a day.

    Raises UnknownChip for a name not in the catalogue, UsageError for a bad country code.
    """
    specs, acc = resolve_specs(chip_or_specs)
    on = on or date.today()
    dest = _destination(destination)
    book = load_rules()
    walk = _Walk(book, specs, dest, on, end_user)
    walk.classify()
    walk.licences()
    walk.reviews()
    walk.exceptions()
    walk.pending()
    walk.notes_rules()
    if acc is not None:
        walk.catalogue_notes(acc)
    return Classification(
        chip=specs.name,
        kind=specs.kind,
        tpp=specs.tpp,
        tpp_precision=specs.tpp_precision,
        performance_density=specs.performance_density,
        memory_bandwidth_density=specs.memory_bandwidth_density,
        eccn=walk.eccn,
        destination=dest,
        date=on,
        end_user=end_user,
        license_required=bool(walk.required),
        review_policy=book.strictest(list(walk.required.values())),
        license_exceptions=walk.exception_texts,
        pending=walk.pending_texts,
        notes=walk.notes,
        rules=walk.refs,
    )


def _destination(destination: str | None) -> str | None:
    if destination is None or not destination.strip():
        return None
    code = destination.strip().upper()
    if not is_country_code(code):
        raise UsageError(f"destination {destination!r} is not an ISO 3166-1 alpha-2 country code")
    return code


class _Walk:
    """State of one classification: which rules applied and why."""

    def __init__(self, book: RuleBook, specs: Specs, dest: str | None, on: date, end_user: EndUser | None):
        self.book, self.specs, self.dest, self.on, self.end_user = book, specs, dest, on, end_user
        self.facts: dict[str, Any] = specs.facts()
        self.in_force = sorted(book.with_status(on, Status.IN_FORCE), key=lambda r: (r.effective, r.id))
        self.eccn: str | None = None
        self.required: dict[str, str] = {}  # licence rule id -> review policy
        self.refs: list[RuleRef] = []
        self.notes: list[str] = []
        self.exception_texts: list[str] = []
        self.pending_texts: list[str] = []
        self.unknown: set[str] = set()

    def _ref(self, rule: Rule, role: str, review: str | None = None) -> None:
        self.refs.append(RuleRef(**rule.ref(), role=role, title=rule.title, review=review))

    def _holds(self, cond: dict[str, Any] | None) -> bool:
        ev = Evaluation()
        result = cond is not None and holds(cond, self.facts, ev)
        self.unknown |= ev.unknown
        return result

    def _of(self, kind: str) -> list[Rule]:
        return [r for r in self.in_force if r.kind == kind]

    def classify(self) -> None:
        for rule in self._of("classification"):
            self._ref(rule, "classification")
            for band in rule.bands:
                if self._holds(band.when):
                    self.eccn = rule.system_eccn.get(band.eccn) if self.specs.kind == "system" else band.eccn
                    break
            else:
                if not self.specs.datacenter:
                    self.notes.extend(b.note for b in rule.bands if b.note)
            if self.eccn:
                break
        if not self._of("classification"):
            self.notes.append(f"no ECCN 3A090 classification rule was in force on {self.on}")
        self.facts["eccn"] = self.eccn
        if self.unknown and self.eccn is None:
            self.notes.append("could not test (unknown): " + ", ".join(sorted(self.unknown)))

    def _applies(self, rule: Rule) -> str | None:
        """Why a licence-type rule applies to this transaction, or None."""
        if not self._holds(rule.items):
            return None
        groups = country_groups()
        if self.dest and rule.destinations and groups.in_scope(self.dest, rule.destinations, self.on):
            return f"destination {self.dest}"
        eu, scope = self.end_user, rule.end_user
        if eu is None or scope is None:
            return None
        if scope.listed and eu.listed:
            return "end user on the Entity List"
        if scope.affiliate_of_listed and eu.affiliate_of_listed:
            return "end user at least 50% owned by listed parties"
        if scope.headquarters is not None:
            for label, cc in (("headquartered in", eu.headquarters_country), ("ultimate parent in", eu.ultimate_parent_country)):
                if cc and groups.in_scope(cc, scope.headquarters, self.on):
                    return f"end user {label} {cc}"
        return None

    def licences(self) -> None:
        if not self.specs.subject_to_ear:
            self.notes.append(
                f"{self.specs.name} is designed and made outside the US: no EAR licence unless the foreign direct product rules reach it"
            )
            return
        if self.dest is None and self.end_user is None:
            self.notes.append("no destination or end user given: licence requirement not assessed")
        for rule in self._of("licence"):
            why = self._applies(rule)
            if why:
                self.required[rule.id] = rule.review or "not stated"
                self._ref(rule, "licence", rule.review)
                self.notes.append(f"licence required by {rule.id} ({rule.source}): {why}")

    def reviews(self) -> None:
        for rule in self._of("review"):
            hit = [rid for rid in rule.overrides if rid in self.required]
            if hit and self._applies(rule) and rule.review:
                for rid in hit:
                    self.required[rid] = rule.review
                self._ref(rule, "review", rule.review)
                self.notes.append(f"review policy {rule.review} under {rule.id} ({rule.source}); the licence is still required")
                self.notes.extend(rule.notes)

    def exceptions(self) -> None:
        if not self.required:
            return
        blocked = [rid for rid in self.required if self.book.rules[rid].no_exceptions]
        if blocked:
            self.notes.append(f"no licence exceptions: {', '.join(blocked)}")
            return
        for rule in self._of("exception"):
            if self._applies(rule):
                self._ref(rule, "exception")
                self.exception_texts.append(
                    f"{rule.exception} ({rule.basis or rule.source}) may apply. " + " ".join(rule.notes)
                )

    def pending(self) -> None:
        for rule in self.book.with_status(self.on, Status.PENDING):
            why = self._applies(rule) if rule.kind == "licence" else None
            if why:
                self._ref(rule, "pending", rule.review)
                text = (
                    f"{rule.id} ({rule.source}), issued {rule.effective}, compliance from {rule.compliance}: "
                    f"would require a licence ({why})"
                )
                if rule.rescinded:
                    text += f"; later rescinded on {rule.rescinded}"
                self.pending_texts.append(text)

    def notes_rules(self) -> None:
        for rule in self._of("note"):
            if self._holds(rule.items):
                self._ref(rule, "note")
                self.notes.extend(f"{rule.title}: {n}" for n in rule.notes)

    def catalogue_notes(self, acc: Accelerator) -> None:
        if acc.estimated:
            self.notes.append(
                "figures reported or estimated rather than vendor-published: " + ", ".join(acc.estimated)
            )
