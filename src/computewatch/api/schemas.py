"""Request and response bodies of the API (pydantic); the /match shapes follow yente's."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["missing credentials: send 'Authorization: ApiKey KEY'"])


class HealthResponse(BaseModel):
    status: str = "ok"


# --- yente-compatible matching ---
NAMED = ({"required": ["name"]}, {"required": ["alias"]}, {"required": ["firstName", "lastName"]})
MAX_MATCH_QUERIES = 500


@lru_cache(maxsize=1)
def ftm_schemata() -> tuple[str, ...]:
    from followthemoney import model

    return tuple(sorted(model.schemata))


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=500, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Company"], json_schema_extra={"enum": list(ftm_schemata())})  # type: ignore[dict-item]
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Qinghe Cloud Computing"], "country": ["cn"]}],
        description="FollowTheMoney properties; a query needs `name`, `alias`, or `firstName` and `lastName`",
        json_schema_extra={"anyOf": list(NAMED)},  # type: ignore[dict-item,arg-type]
    )  # fmt: skip

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, value: str) -> str:
        if value not in ftm_schemata():
            raise ValueError(f"unknown FollowTheMoney schema {value!r}")
        return value

    @field_validator("properties")
    @classmethod
    def _named(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not ("name" in value or "alias" in value or ("firstName" in value and "lastName" in value)):
            raise ValueError("no name in properties (give 'name', 'alias' or 'firstName' and 'lastName')")
        return value


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict, description="accepted for compatibility; not used")
    config: dict[str, Any] = Field(default_factory=dict, description="accepted for compatibility; not used")
    queries: dict[str, EntityExample] = Field(..., min_length=1, max_length=MAX_MATCH_QUERIES,
                                             description="examples keyed by an id of your choice")  # fmt: skip


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class ScoredEntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    score: float
    match: bool
    features: dict[str, float]
    explanation: str = Field("", description="why the score is what it is, in words")
    source: str = Field("", description="the list the entry is on")


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str
    coefficient: float = 1.0
    url: str = ""


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


# --- screening (CONTRACTS.md screening record) ---
class ScreenRequest(BaseModel):
    name: str = Field(..., min_length=1, max_length=500, examples=["Qinghe Cloud Computing Technology"])
    id: str = Field("", max_length=200)
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2; evidence, not a filter")
    schema_: str = Field("", alias="schema", max_length=50, description="Company, Person, Organization...")


class ScreenMatch(BaseModel):
    entity_id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    score: float
    match: bool
    datasets: list[str]
    source: str
    countries: list[str] = Field(default_factory=list)
    explanation: str


class ScreenResponse(BaseModel):
    id: str
    query: dict[str, str]
    matches: list[ScreenMatch]


# --- cases ---
class EntityLink(BaseModel):
    entity_id: str | None
    name: str | None
    role: str
    listed: bool


class EvidenceItem(BaseModel):
    fact: str
    source: str


class NoteOut(BaseModel):
    id: int
    author: str
    text: str
    created_at: str


class AuditEntry(BaseModel):
    seq: int
    ts: str
    actor: str
    action: str
    case_id: int | None
    details: dict[str, Any]


class CaseSummary(BaseModel):
    id: int
    kind: str
    title: str
    scenario: str | None
    detector: str | None
    severity: str
    score: float
    status: str
    assignee: str | None
    decision: str | None
    created_at: str
    updated_at: str
    age_days: float = Field(..., description="days since the case was opened")
    age: str = Field(..., examples=["3 d"], description="the same, for people: min, h or d")
    alerts: int = Field(..., description="how many alerts (or records) the case holds")
    subjects: list[str] = Field(..., description="who or what the case is about: the subjects of its alerts, "
                                "without the list entries they matched; one open case per subject")


class CaseAlertOut(BaseModel):
    id: int
    alert_id: str | None
    kind: str
    detector: str | None
    scenario: str | None
    severity: str
    score: float
    summary: str
    as_of: str | None
    origin: str
    joined_at: str | None = Field(..., description="when the alert joined (or opened) the case")
    evidence: list[EvidenceItem]
    record: dict[str, Any]


class SuppressionOut(BaseModel):
    id: int
    party: str = Field(..., description="the subject naming the party")
    party_name: str
    entity_id: str = Field(..., description="the list entry")
    caption: str
    dataset: str
    party_hash: str = Field(..., description="hash of the party's screened data (name, country, type) decided on")
    entry_hash: str = Field(..., description="hash of the list entry's content decided on")
    case_id: int
    reason: str
    created_by: str
    created_at: str | None
    active: bool
    lifted_at: str | None
    lifted_by: str | None
    lift_reason: str | None


class SuppressionList(BaseModel):
    total: int
    limit: int
    offset: int
    results: list[SuppressionOut]


class Lift(BaseModel):
    reason: str = Field(..., min_length=1, max_length=10_000)


class CaseDetail(CaseSummary):
    summary: str
    as_of: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: str | None
    entities: list[EntityLink]
    evidence: list[EvidenceItem]
    notes: list[NoteOut]
    timeline: list[AuditEntry]
    alert_records: list[CaseAlertOut] = Field(..., description="every alert of the case, with when it joined and its evidence")
    suppressions: list[SuppressionOut] = Field(..., description="the matches this case's false-positive decision suppresses")
    earlier_decisions: list[SuppressionOut] = Field(..., description="decisions of other cases on this case's list matches")
    record: dict[str, Any] = Field(..., description="the record the case was opened from")


class CaseList(BaseModel):
    total: int
    limit: int
    offset: int
    results: list[CaseSummary]


CaseStatus = Literal["new", "in_review", "escalated", "closed_true", "closed_false"]


class StatusChange(BaseModel):
    status: Literal["new", "in_review", "escalated"]


class Assignment(BaseModel):
    assignee: str | None = Field(None, max_length=200, description="null or empty to unassign")


class Decision(BaseModel):
    outcome: bool = Field(..., description="true: a true positive (closed as true); false: closed as false")
    reason: str = Field(..., min_length=1, max_length=10_000)


CaseNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]


class BulkAssignment(BaseModel):
    case_ids: list[CaseNumber] = Field(..., min_length=1, max_length=1000)
    assignee: str | None = Field(None, max_length=200, description="null or empty to unassign")


class BulkDecision(BaseModel):
    case_ids: list[CaseNumber] = Field(..., min_length=1, max_length=1000)
    outcome: bool = Field(..., description="true: close as true positives; false: as false positives")
    reason: str = Field(..., min_length=1, max_length=10_000, description="one reason for every case")


class BulkSkip(BaseModel):
    id: int
    reason: str


class BulkResult(BaseModel):
    done: list[int] = Field(..., description="the cases moved")
    skipped: list[BulkSkip] = Field(..., description="the cases that could not be moved, and why")


class Reopen(BaseModel):
    reason: str = Field(..., min_length=1, max_length=10_000)


class NoteIn(BaseModel):
    text: str = Field(..., min_length=1, max_length=10_000)


class ImportRequest(BaseModel):
    records: list[dict[str, Any]] = Field(..., description="alerts, screening result or tender records (CONTRACTS.md)")


class ImportResponse(BaseModel):
    created: list[int] = Field(..., description="cases opened")
    joined: list[int] = Field(..., description="open cases a new record joined (one entry per record): one open case per subject")
    already: int = Field(..., description="records already in a case")
    suppressed: dict[str, list[int]] = Field(..., description="alert id -> the cases whose false-positive decisions hold it")
    not_flagged: int
    problems: list[str]


# --- alerts (CONTRACTS.md alert record) ---
class AlertEvidence(BaseModel):
    fact: str
    source: str


class ListMatchRecord(BaseModel):
    party: str = Field(..., min_length=1, max_length=200)
    entity_id: str = Field(..., min_length=1, max_length=200)
    party_hash: str = Field("", max_length=64)
    entry_hash: str = Field("", max_length=64)
    party_name: str = Field("", max_length=500)
    caption: str = Field("", max_length=500)
    dataset: str = Field("", max_length=200)


class AlertRecord(BaseModel):
    id: str = Field(..., min_length=1, max_length=180)
    detector: str = Field(..., min_length=1, max_length=100)
    scenario: str = Field(..., pattern=r"^S[1-9]$")
    severity: str = Field(..., min_length=1, max_length=20)
    score: float = Field(..., ge=0, le=1)
    subjects: list[str]
    as_of: str | None = None
    summary: str = Field(..., max_length=100_000)
    evidence: list[AlertEvidence]
    list_matches: list[ListMatchRecord] | None = Field(None, description="the (party, list entry) matches the alert rests on, "
                                                      "with content hashes: what a false-positive decision is made against")


class AlertOut(AlertRecord):
    case_id: int
    status: str


class AlertList(BaseModel):
    total: int
    results: list[AlertOut]


class AlertImport(BaseModel):
    alerts: list[AlertRecord]


# --- re-screening ---
class RescreenRequest(BaseModel):
    as_of: date | None = Field(None, description="judge as of this day (default: today)")
    detectors: bool | None = Field(None, description="re-run the detectors (default: when a list or rule changed)")
    open_cases: bool = Field(True, description="open a case for every new alert")


class RescreenResponse(BaseModel):
    run_id: int
    as_of: date
    first_run: bool
    list_changes: list[str]
    policy_changes: list[str]
    parties: int
    matches: int
    detectors_run: bool
    alerts: list[AlertRecord]
    cases_created: list[int]
    cases_joined: list[int] = Field(default_factory=list, description="open cases that new alerts joined")
    suppressed: list[str] = Field(default_factory=list, description="ids of alerts held by false-positive decisions (not raised)")


# --- keys and audit ---
class KeyRequest(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    role: Literal["viewer", "analyst", "admin"]
    rate_limit_per_minute: int | None = Field(None, ge=1, le=1_000_000, description="requests a minute for this key (default: the server setting)")


class KeyCreated(BaseModel):
    name: str
    role: str
    key: str = Field(..., description="shown once; only its hash is stored")


class AuditVerifyResponse(BaseModel):
    intact: bool
    records: int
    problems: list[str]
