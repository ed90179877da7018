"""Response bodies of the rest of yente's API: entities, search, catalog, and the W3C reconciliation
service (OpenRefine). Field names follow yente's, so that its clients read them unchanged."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["csl-226158e3"])
    caption: str = Field(..., examples=["Qinghe Cloud Computing Technology Co., Ltd."])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, list[str | EntityResponse]] = Field(..., description="FollowTheMoney properties; with `nested`, "
                                                              "entity-typed values are entities (e.g. `sanctions`)")  # fmt: skip
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = Field(None, description="when a loaded list version first held the entity (ISO 8601)")
    last_seen: str | None = Field(None, description="the loaded list version that holds it now")
    last_change: str | None = Field(None, description="the list version that last added or changed it")
    source: str | None = Field(None, description="the list the entry is on")


class SearchResult(EntityResponse):
    score: float | None = Field(None, description="the screening score of the query text, or null for a plain name match")


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class FacetItem(BaseModel):
    name: str
    label: str
    count: int


class Facet(BaseModel):
    label: str
    values: list[FacetItem]


class SearchResponse(BaseModel):
    results: list[SearchResult]
    facets: dict[str, Facet]
    total: TotalSpec
    limit: int
    offset: int


class GraphOwnersRecord(BaseModel):
    """CONTRACTS.md graph owners record, plus the entity's cases."""

    model_config = ConfigDict(extra="allow")

    entity_id: str
    as_of: str
    owners: list[dict[str, Any]]
    restricted_ownership_pct: float | None = None
    flags: list[Any] = Field(default_factory=list)
    cases: list[dict[str, Any]] = Field(default_factory=list)


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str] = Field(default_factory=list)
    entity_count: int | None = None
    loaded_at: str | None = None
    file: str | None = None
    file_sha256: str | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


# --- W3C reconciliation (https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/) ---
class ReconType(BaseModel):
    id: str = Field(..., examples=["Company"])
    name: str = Field(..., examples=["Companies"])
    description: str | None = None


class ReconProperty(BaseModel):
    id: str = Field(..., examples=["country"])
    name: str = Field(..., examples=["Country"])
    description: str | None = None


class ReconEntity(BaseModel):
    id: str
    name: str
    description: str | None = None
    type: list[ReconType]


class ReconCandidate(ReconEntity):
    score: float = Field(..., description="0..1, the screening score")
    match: bool = Field(..., description="at or above the match threshold")


class ReconResult(BaseModel):
    result: list[ReconCandidate]


class ServicePath(BaseModel):
    service_url: str
    service_path: str


class Suggest(BaseModel):
    entity: ServicePath
    type: ServicePath
    property: ServicePath


class UrlTemplate(BaseModel):
    url: str


class Preview(BaseModel):
    url: str
    width: int
    height: int


class Extend(BaseModel):
    propose_properties: ServicePath
    property_settings: list[dict[str, Any]] = Field(default_factory=list)


class ReconManifest(BaseModel):
    versions: list[str]
    name: str
    identifierSpace: str  # noqa: N815 - the specification's names
    schemaSpace: str  # noqa: N815
    view: UrlTemplate
    preview: Preview
    suggest: Suggest
    extend: Extend
    defaultTypes: list[ReconType]  # noqa: N815
    batchSize: int = 25  # noqa: N815


class SuggestResponse(BaseModel):
    code: str = "/api/status/ok"
    status: str = "200 OK"
    prefix: str


class EntitySuggestResponse(SuggestResponse):
    result: list[ReconEntity]


class TypeSuggestResponse(SuggestResponse):
    result: list[ReconType]


class PropertySuggestResponse(SuggestResponse):
    result: list[ReconProperty]


class ExtendProposal(BaseModel):
    type: str
    limit: int
    properties: list[ReconProperty]


class ExtendValue(BaseModel):
    str: str


class ExtendResponse(BaseModel):
    meta: list[ReconProperty]
    rows: dict[str, dict[str, list[ExtendValue]]]
