"""The one endpoint that answers without credentials."""

from __future__ import annotations

from fastapi import APIRouter

from computewatch.api.schemas import HealthResponse

router = APIRouter(tags=["System"])


@router.get("/healthz", response_model=HealthResponse, summary="Is the service up (no credentials needed)")
def health() -> HealthResponse:
    return HealthResponse(status="ok")
