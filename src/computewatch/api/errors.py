"""One map from error types to HTTP statuses; every error answers `{"detail": message}`."""

from __future__ import annotations

from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.errors import ComputewatchError, InputError, NotFound, UsageError


class ApiError(ComputewatchError):
    """An error raised by the API layer itself, carrying its HTTP status."""

    status_code = 400

    def __init__(self, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class Unauthorized(ApiError):
    status_code = 401

    def __init__(self, detail: str):
        super().__init__(detail, {"WWW-Authenticate": 'ApiKey realm="computewatch", Bearer realm="computewatch"'})


class Forbidden(ApiError):
    status_code = 403


class RateLimited(ApiError):
    status_code = 429

    def __init__(self, retry_after: int, reason: str = "rate limit exceeded"):
        super().__init__(f"{reason}; retry in {retry_after} s", {"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class Unprocessable(ApiError):
    status_code = 422


class PayloadTooLarge(ApiError):
    status_code = 413


def short_message(text: str, limit: int) -> str:
    """At most `limit` characters of an error message (an error must not repeat a large request back)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} characters more)"


STATUS_BY_TYPE: list[tuple[type[Exception], int]] = [
    (NotFound, 404),
    (CaseConflict, 409),
    (CaseInputError, 422),
    (InputError, 422),
    (UsageError, 422),
]


def status_of(exc: ComputewatchError) -> int:
    if isinstance(exc, ApiError):
        return exc.status_code
    for kind, status in STATUS_BY_TYPE:
        if isinstance(exc, kind):
            return status
    return 400


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "No credentials, or an unknown or revoked key"},
    403: {"description": "The key's role may not do this"},
    413: {"description": "The request body is over the limit (Settings.api.max_body_bytes)"},
    429: {"description": "The key's rate limit is exceeded, or too many wrong keys came from this address"},
}
