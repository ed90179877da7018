"""Settings of the case store and the HTTP API (Settings.cases, Settings.api; COMPUTEWATCH_CASES__..., COMPUTEWATCH_API__...).

The database URL itself is the top-level `Settings.database_url` (COMPUTEWATCH_DATABASE_URL).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class CaseSettings(BaseModel):
    database_file: str = Field("cases.sqlite", description="SQLite file inside the workspace, used when no database URL is set")
    sqlite_busy_timeout_s: float = Field(30.0, gt=0, description="how long a SQLite writer waits for another to finish")
    page_size: int = Field(50, ge=1, le=1000, description="cases per page in the queue and the API")


class ApiSettings(BaseModel):
    rate_limit_per_minute: int = Field(600, ge=1, description="requests per minute per API key (a key may carry its own limit)")
    rate_limit_burst: int = Field(100, ge=1, description="requests a key may send at once before the per-minute rate applies")
    session_hours: float = Field(12.0, gt=0, description="how long a web login lasts")
    max_upload_bytes: int = Field(20_000_000, ge=1, description="largest tender notice accepted by upload")
    max_match_queries: int = Field(500, ge=1, description="largest batch of queries in one /match request")
    screening_slots: int = Field(2, ge=1, description="screening requests worked on at once; the rest wait in arrival order")
    inline_screening_names: int = Field(8, ge=0, description="a screening request of at most this many names runs on the event loop, without a hand-off to a thread")
    workers: int = Field(1, ge=0, description="server processes sharing one index loaded before they fork (`serve --workers`); 0 = one per CPU")
    access_log: bool = Field(True, description="log every request (uvicorn's access log)")
    full_gc_s: float = Field(300.0, ge=0, description="seconds between full garbage collections in a server process (automatic full ones are turned off: they stall every request); 0 = automatic")
    secure_cookies: bool = Field(False, description="mark the web session cookie Secure (serve behind HTTPS)")
    # Hardening (docs/api.md, "What the server refuses"); secure_cookies also sends Strict-Transport-Security
    max_body_bytes: int = Field(10_000_000, ge=1, description="largest request body (JSON, forms), with or without Content-Length; 413 above it. Uploads (multipart) may be max_upload_bytes plus 1 MB")
    error_echo_chars: int = Field(100, ge=0, description="characters of a sent value that a validation error repeats back")
    auth_failures_allowed: int = Field(5, ge=1, description="wrong API keys (or logins) from one client address before it must wait")
    auth_backoff_s: float = Field(1.0, gt=0, description="the first wait after too many wrong keys; doubles with each further one")
    auth_backoff_max_s: float = Field(900.0, gt=0, description="the longest wait after wrong keys")
    auth_failure_window_s: float = Field(900.0, gt=0, description="a client's wrong keys are forgotten after this long without another")
    allowed_origins: list[str] = Field(default_factory=list, description="origins besides the server's own that may post the web app's forms (e.g. https://computewatch.example.org behind a proxy)")
