"""The W3C reconciliation service at `/reconcile/{dataset}`, so OpenRefine can reconcile a spreadsheet's
names against the lists: the service manifest, queries (form-encoded `queries=` JSON, or a GET with
`?queries=`), entity/type/property suggestions, an HTML preview of a candidate, and data extension
(pull a candidate's properties into new columns).

OpenRefine sends no Authorization header: the key may come as `?api_key=KEY` on the service URL, and the
manifest carries it on to the suggestion, preview and extension URLs. A key in a URL ends up in logs: use
a viewer key made for the purpose.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse
from followthemoney import model
from followthemoney.types import registry
from pydantic import BaseModel, Field, ValidationError

from computewatch.api.auth import (
    Principal,
    authenticate,
    check_rate,
    presented_key,
    principal_for_key,
)
from computewatch.api.context import ApiContext, get_context
from computewatch.api.errors import ERROR_RESPONSES, Unprocessable
from computewatch.api.list_data import list_entities_by_id
from computewatch.api.list_search import EntityFilter, name_search
from computewatch.api.matching import example_queries, match_example
from computewatch.api.routers.search import dataset_filter
from computewatch.api.schemas import EntityExample, ErrorResponse
from computewatch.api.yente_schemas import (
    EntitySuggestResponse,
    ExtendProposal,
    ExtendResponse,
    PropertySuggestResponse,
    ReconManifest,
    ReconResult,
    TypeSuggestResponse,
)
from computewatch.screening.model import ListEntity

router = APIRouter(prefix="/reconcile/{dataset}", tags=["Reconciliation"])
DatasetPath = Annotated[str, Path(max_length=200, description="'default' for every loaded list, or one list's dataset name")]
MAX_BATCH = 100
RESPONSES: dict[int | str, dict[str, Any]] = {**ERROR_RESPONSES, 404: {"model": ErrorResponse, "description": "Unknown dataset"}}
DEFAULT_TYPE = "LegalEntity"  # companies, organisations and people alike
SCHEMA_SPACE = "https://followthemoney.tech/explorer/schemata/"


async def reconcile_caller(
    request: Request,
    ctx: Annotated[ApiContext, Depends(get_context)],
    api_key: Annotated[str | None, Query(max_length=500, description="the API key, for clients that cannot send a header (OpenRefine)")] = None,
) -> Principal:
    key = presented_key(request) or (api_key.strip() if api_key else None)
    if not key:
        return await authenticate(request, ctx)
    principal = await principal_for_key(ctx, key)
    check_rate(ctx, principal)
    return principal


Caller = Annotated[Principal, Depends(reconcile_caller)]
Ctx = Annotated[ApiContext, Depends(get_context)]


class ReconPropertyValue(BaseModel):
    pid: str = Field(..., max_length=200)
    v: Any = None


class ReconQuery(BaseModel):
    query: str = Field("", max_length=500)
    type: str | list[str] | None = None
    limit: int = Field(5, ge=1, le=50)
    properties: list[ReconPropertyValue] = Field(default_factory=list, max_length=50)
    type_strict: str | None = None


def _key_suffix(request: Request, first: str = "?") -> str:
    key = request.query_params.get("api_key")
    return f"{first}api_key={key}" if key else ""


def _schema_type(name: str) -> dict[str, Any]:
    schema = model.get(name)
    assert schema is not None
    return {"id": schema.name, "name": schema.plural, "description": schema.description or schema.label}


def _loaded_schemata(ctx: ApiContext) -> list[str]:
    return sorted({e.schema for e in ctx.screener().index.entities if model.get(e.schema) is not None})


def _property(name: str) -> Any:
    """A FollowTheMoney property by qualified name ('Company:country') or plain name ('country')."""
    if ":" in name:
        return model.get_qname(name)
    return model.get("LegalEntity").get(name) or model.get("Person").get(name) or model.get("Company").get(name)  # type: ignore[union-attr]


def _values(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):  # {"id": ...} for a reconciled cell, {"str": ...} as some clients send
            item = item.get("id") or item.get("str") or item.get("name")
        if isinstance(item, str | int | float) and str(item).strip():
            out.append(str(item).strip())
    return out


def _description(entity: ListEntity) -> str:
    parts = [entity.source] if entity.source else []
    if entity.countries:
        parts.append(", ".join(registry.country.caption(c) or c for c in entity.countries))
    return " · ".join(parts)


def _candidate(entity: ListEntity, score: float, match: bool) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.caption, "description": _description(entity), "type": [_schema_type(entity.schema)],
            "score": round(score, 4), "match": match}  # fmt: skip


def reconcile_one(ctx: ApiContext, datasets: frozenset[str], key: str, query: ReconQuery) -> dict[str, Any]:
    kind = query.type[0] if isinstance(query.type, list) and query.type else query.type
    schema = kind if isinstance(kind, str) and model.get(kind) is not None and kind != "Thing" else DEFAULT_TYPE
    props: dict[str, list[str]] = {"name": [query.query.strip()]} if query.query.strip() else {}
    for p in query.properties:
        prop = _property(p.pid)
        if prop is not None and prop.type != registry.entity:
            props.setdefault(prop.name, []).extend(_values(p.v))
    try:
        example = EntityExample.model_validate({"schema": schema, "properties": props})
    except ValidationError:  # no name in the row: nothing to screen
        return {"result": []}
    found = match_example(ctx.screener(), example_queries(key, example), set(datasets) or None, set(), set())
    return {"result": [_candidate(m.entity, m.score, m.match) for m in found[: query.limit]]}


def reconcile_batch(ctx: ApiContext, dataset: str, data: str) -> dict[str, Any]:
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise Unprocessable(f"queries: not JSON ({err})") from None
    if not isinstance(raw, dict):
        raise Unprocessable("queries: expected an object of queries keyed by an id, e.g. {\"q0\": {\"query\": \"...\"}}")
    if len(raw) > MAX_BATCH:
        raise Unprocessable(f"queries: too many in one batch (limit: {MAX_BATCH})")
    datasets = dataset_filter(ctx, dataset)
    out = {}
    for key, body in raw.items():
        try:
            query = ReconQuery.model_validate(body)
        except ValidationError as err:
            raise Unprocessable(f"queries.{key}: {err.errors()[0]['msg']}") from None
        out[str(key)] = reconcile_one(ctx, datasets, str(key), query)
    return out


def extend_rows(ctx: ApiContext, data: str) -> dict[str, Any]:
    try:
        raw = orjson.loads(data)
        ids = [str(i) for i in raw["ids"]][:MAX_BATCH]
        wanted = [str(p["id"]) for p in raw["properties"]]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise Unprocessable('extend: expected {"ids": [...], "properties": [{"id": "country"}, ...]}') from None
    with ctx.read_workspace() as ws:
        entities = list_entities_by_id(ws, ids)
    meta: dict[str, dict[str, str]] = {}
    rows: dict[str, dict[str, list[dict[str, str]]]] = {i: {} for i in ids}
    for entity_id in ids:
        entity = entities.get(entity_id)
        if entity is None:
            continue
        for pid in wanted:
            prop = _property(pid)
            if prop is None:
                continue
            meta.setdefault(pid, {"id": pid, "name": prop.label})
            values = entity["properties"].get(prop.name, [])
            rows[entity_id][pid] = [{"str": prop.type.caption(v) or v} for v in values]
    return {"meta": list(meta.values()), "rows": rows}


@router.get("", response_model=ReconManifest | dict[str, ReconResult], responses=RESPONSES,
            summary="Reconciliation service manifest (or, with ?queries=, reconciliation queries)")  # fmt: skip
def manifest(
    request: Request, dataset: DatasetPath, principal: Caller, ctx: Ctx,
    queries: Annotated[str | None, Query(max_length=200_000, description="JSON-encoded queries (as POST)")] = None,
) -> dict[str, Any]:  # fmt: skip
    """The service description OpenRefine reads when the service is added: use the URL
    `https://HOST/reconcile/default?api_key=KEY`."""
    if queries:
        return reconcile_batch(ctx, dataset, queries)
    dataset_filter(ctx, dataset)
    base = str(request.url.replace(query="")).rstrip("/")
    root = str(request.base_url).rstrip("/")
    key = _key_suffix(request, "&")
    return {
        "versions": ["0.2"],
        "name": f"computewatch restricted-party lists ({dataset})",
        "identifierSpace": f"{root}/entities/",
        "schemaSpace": SCHEMA_SPACE,
        "view": {"url": f"{root}/entities/{{{{id}}}}"},
        "preview": {"url": f"{base}/preview?id={{{{id}}}}{key}", "width": 430, "height": 300},
        "suggest": {kind: {"service_url": base, "service_path": f"/suggest/{kind}{_key_suffix(request)}"} for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": base, "service_path": f"/extend/property{_key_suffix(request)}"}, "property_settings": []},
        "defaultTypes": [_schema_type(s) for s in _loaded_schemata(ctx) or [DEFAULT_TYPE]],
        "batchSize": 25,
    }


@router.post("", response_model=dict[str, ReconResult] | ExtendResponse, responses=RESPONSES,
             summary="Reconciliation queries (form field `queries`) or data extension (form field `extend`)")  # fmt: skip
def reconcile(
    dataset: DatasetPath, principal: Caller, ctx: Ctx,
    queries: Annotated[str | None, Form(max_length=200_000, description='JSON: {"q0": {"query": "name", "type": "Company", "limit": 3, "properties": [{"pid": "country", "v": "cn"}]}}')] = None,
    extend: Annotated[str | None, Form(max_length=200_000, description='JSON: {"ids": [...], "properties": [{"id": "country"}]}')] = None,
) -> dict[str, Any]:  # fmt: skip
    """Each query answers `{"result": [{"id", "name", "description", "type", "score", "match"}]}`, best
    first; `match` is true at or above the screening threshold (OpenRefine can then match it automatically)."""
    if extend:
        return extend_rows(ctx, extend)
    if not queries:
        raise Unprocessable("send the form field `queries` (or `extend`)")
    return reconcile_batch(ctx, dataset, queries)


@router.get("/suggest/entity", response_model=EntitySuggestResponse, responses=RESPONSES, summary="Entities whose name starts with the prefix")
def suggest_entity(
    dataset: DatasetPath, principal: Caller, ctx: Ctx,
    prefix: Annotated[str, Query(max_length=200)] = "", limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:  # fmt: skip
    wanted = EntityFilter(datasets=dataset_filter(ctx, dataset))
    screener = ctx.screener()
    out: list[dict[str, Any]] = []
    if prefix.strip():
        for i in name_search(screener).prefixed(prefix):
            entity = screener.index.entities[i]
            if wanted(entity):
                out.append({"id": entity.id, "name": entity.caption, "description": _description(entity), "type": [_schema_type(entity.schema)]})
            if len(out) >= limit:
                break
    return {"prefix": prefix, "result": out}


@router.get("/suggest/type", response_model=TypeSuggestResponse, responses=RESPONSES, summary="Schemata of the lists matching the prefix")
def suggest_type(dataset: DatasetPath, principal: Caller, ctx: Ctx, prefix: Annotated[str, Query(max_length=200)] = "") -> dict[str, Any]:
    dataset_filter(ctx, dataset)
    names = set(_loaded_schemata(ctx)) | {DEFAULT_TYPE}
    key = prefix.casefold()
    result = [_schema_type(n) for n in sorted(names) if _schema_type(n)["id"].casefold().startswith(key) or _schema_type(n)["name"].casefold().startswith(key)]
    return {"prefix": prefix, "result": result}


@router.get("/suggest/property", response_model=PropertySuggestResponse, responses=RESPONSES, summary="Properties matching the prefix")
def suggest_property(dataset: DatasetPath, principal: Caller, ctx: Ctx, prefix: Annotated[str, Query(max_length=200)] = "") -> dict[str, Any]:
    dataset_filter(ctx, dataset)
    key = prefix.casefold()
    seen: dict[str, dict[str, Any]] = {}
    for schema_name in set(_loaded_schemata(ctx)) | {DEFAULT_TYPE}:
        schema = model.get(schema_name)
        assert schema is not None
        for prop in schema.properties.values():
            if prop.hidden or prop.type == registry.entity or prop.name in seen:
                continue
            if prop.name.casefold().startswith(key) or prop.label.casefold().startswith(key):
                seen[prop.name] = {"id": prop.name, "name": prop.label, "description": prop.description}
    return {"prefix": prefix, "result": sorted(seen.values(), key=lambda p: p["id"])[:50]}


@router.get("/extend/property", response_model=ExtendProposal, responses=RESPONSES, summary="Properties a candidate of a type can bring in")
def propose_properties(
    dataset: DatasetPath, principal: Caller, ctx: Ctx,
    type: Annotated[str, Query(max_length=50)] = DEFAULT_TYPE, limit: Annotated[int, Query(ge=0, le=500)] = 0,
) -> dict[str, Any]:  # fmt: skip
    dataset_filter(ctx, dataset)
    schema = model.get(type)
    if schema is None:
        raise Unprocessable(f"unknown type {type!r} (a FollowTheMoney schema)")
    props = [{"id": p.name, "name": p.label} for p in schema.properties.values() if not p.hidden and p.type != registry.entity]
    props.sort(key=lambda p: (p["id"] not in schema.featured, p["id"]))
    return {"type": schema.name, "limit": limit, "properties": props[:limit] if limit else props}


@router.get("/preview", response_model=None,
            responses={**RESPONSES, 200: {"description": "an HTML card", "content": {"text/html": {"schema": {"type": "string"}}}}},
            summary="A small HTML card of a candidate (OpenRefine shows it on hover)")  # fmt: skip
def preview(dataset: DatasetPath, principal: Caller, ctx: Ctx, id: Annotated[str, Query(min_length=1, max_length=200)]) -> HTMLResponse:
    from computewatch.errors import NotFound

    dataset_filter(ctx, dataset)
    with ctx.read_workspace() as ws:
        entity = list_entities_by_id(ws, [id]).get(id)
    if entity is None:
        raise NotFound("entity", id)
    schema = model.get(entity["schema"])
    rows = []
    for name in ("alias", "country", "address", "program", "topics", "notes"):
        values = entity["properties"].get(name)
        prop = schema.get(name) if schema is not None else None
        if values and prop is not None:
            shown = ", ".join(escape(prop.type.caption(v) or v) for v in values[:8])
            rows.append(f"<tr><th>{escape(prop.label)}</th><td>{shown}</td></tr>")
    label = schema.label if schema is not None else entity["schema"]
    body = (f"<!doctype html><meta charset=utf-8><title>{escape(entity['caption'])}</title>"
            "<style>body{font:13px sans-serif;margin:8px}th{text-align:left;vertical-align:top;padding-right:8px}</style>"
            f"<h3>{escape(entity['caption'])}</h3><p>{escape(label)} on {escape(entity.get('source') or ', '.join(entity['datasets']))}</p>"
            f"<table>{''.join(rows)}</table>")  # fmt: skip
    return HTMLResponse(body)
