"""Request and response bodies of the API (pydantic); the /match shapes follow yente's."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Literal

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
    subjects: list[str]


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
    record: dict[str, Any]


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


class Reopen(BaseModel):
    reason: str = Field(..., min_length=1, max_length=10_000)


class NoteIn(BaseModel):
    text: str = Field(..., min_length=1, max_length=10_000)


class ImportRequest(BaseModel):
    records: list[dict[str, Any]] = Field(..., description="alerts, screening result or tender records (CONTRACTS.md)")


class ImportResponse(BaseModel):
    created: list[int]
    already: int
    not_flagged: int
    problems: list[str]


# --- alerts (CONTRACTS.md alert record) ---
class AlertEvidence(BaseModel):
    fact: str
    source: str


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
