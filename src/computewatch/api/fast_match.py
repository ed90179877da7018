"""The common case of `POST /match/{dataset}` without FastAPI's per-request machinery.

A profile of the route put about a third of each request's CPU in resolving dependencies, query parameters
and the body model, more than the screening itself. This route answers the common case, a key already in
the key cache, parameters of the documented kinds and a valid JSON body, with the same code the documented
route runs (`routers.match.screen_examples`). Anything else (no key or an unknown one, a parameter it does not
read, an invalid body, a rate limit) it hands, body and all, to the documented route, which answers exactly
as it always has: errors keep one shape and one place.
"""

from __future__ import annotations

import math
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.routing import Match, Route
from starlette.types import Message, Receive, Scope, Send

from computewatch.api.auth import key_digest, renew_if_due
from computewatch.api.context import ApiContext
from computewatch.api.matching import name_count
from computewatch.api.schemas import EntityMatchQuery

DECLINED = "computewatch.fast_match.declined"
LIST_PARAMS = ("include_dataset", "exclude_schema", "exclude_dataset", "exclude_entity_ids")
MAX_EXCLUDED = 50  # exclude_entity_ids, as the documented route (and yente) allow


class Declined(Exception):
    """The request is not the common case: the documented route answers it."""


class FastMatchRoute(Route):
    def __init__(self) -> None:
        super().__init__("/match/{dataset}", endpoint=FastMatch(), methods=["POST"], include_in_schema=False)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get(DECLINED):
            return Match.NONE, {}
        return super().matches(scope)


def _params(query: Any) -> dict[str, Any]:
    """The documented query parameters, checked as the route checks them (any doubt: Declined)."""
    out: dict[str, Any] = {"limit": 5, "threshold": None}
    for name in LIST_PARAMS:
        values = query.getlist(name)
        out[name] = values or None
    if len(out["exclude_entity_ids"] or ()) > MAX_EXCLUDED:
        raise Declined
    limit = query.get("limit")
    if limit is not None:
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise Declined
        out["limit"] = int(limit)
    threshold = query.get("threshold")
    if threshold is not None:
        try:
            value = float(threshold)
        except ValueError:
            raise Declined from None
        if math.isnan(value) or not 0 <= value <= 1:
            raise Declined
        out["threshold"] = value
    algorithm = query.get("algorithm")
    if algorithm is not None and len(algorithm) > 100:
        raise Declined
    return out


class FastMatch:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.requests import Request
        from starlette.responses import Response

        from computewatch.api.routers.match import screen_examples

        request = Request(scope, receive)
        body: bytes | None = None
        try:
            ctx: ApiContext = request.app.state.context
            dataset = scope["path_params"]["dataset"]
            header = request.headers.get("authorization", "")
            scheme, _, key = header.partition(" ")
            content_type = request.headers.get("content-type", "")
            if scheme.lower() not in ("apikey", "bearer") or not key.strip() or len(dataset) > 200 \
                    or not content_type.startswith("application/json") or not ctx.screener_ready():  # fmt: skip
                raise Declined
            key = key.strip()
            digest = key_digest(key)
            principal = ctx.key_cache.get(digest)
            if principal is None or not principal.can("viewer"):
                raise Declined
            renew_if_due(ctx, key, digest)
            params = _params(request.query_params)
            body = await request.body()
            try:
                query = EntityMatchQuery.model_validate_json(body)
            except ValidationError:
                raise Declined from None
            if len(query.queries) > ctx.settings.api.max_match_queries:
                raise Declined
            per_minute = principal.rate_limit_per_minute or ctx.settings.api.rate_limit_per_minute
            if ctx.limiter.take(principal.key_id, per_minute):
                raise Declined  # (no token was taken) the route answers 429 with its Retry-After
        except Declined:
            await self.decline(scope, receive, send, body)
            return
        result = await ctx.run_screening(
            screen_examples, query, dataset, ctx, params["limit"], params["threshold"], params["include_dataset"],
            params["exclude_schema"], params["exclude_dataset"], params["exclude_entity_ids"],
            names=name_count(list(query.queries.values())),
        )  # fmt: skip
        response = Response(orjson.dumps(result), media_type="application/json", headers={"x-batch-size": str(len(query.queries))})
        await response(scope, receive, send)

    async def decline(self, scope: Scope, receive: Receive, send: Send, body: bytes | None) -> None:
        """Route the request again, to the documented route, with the body if it was read already."""
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed and body is not None:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        scope[DECLINED] = True
        await scope["app"].router(scope, replay, send)
