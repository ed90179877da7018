"""API keys: `cw_<key id>_<secret>`. Only a salted SHA-256 of the secret is stored (the secret is 256 random
bits, so a slow password hash adds nothing); the key is shown once, when created."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from computewatch.cases.audit import AuditLog
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.models import ROLES, ApiKey, WebSession, utcnow
from computewatch.errors import NotFound

PREFIX = "cw"


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def create_api_key(session: Session, name: str, role: str, actor: str = "cli", rate_limit_per_minute: int | None = None) -> tuple[ApiKey, str]:
    """A new key for `name` with `role`; returns the row and the full key (never stored)."""
    name = name.strip()
    if not name:
        raise CaseInputError("a key needs a name")
    if role not in ROLES:
        raise CaseInputError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    if rate_limit_per_minute is not None and rate_limit_per_minute < 1:
        raise CaseInputError("the rate limit must be at least 1 request per minute")
    if session.execute(select(ApiKey.id).where(ApiKey.name == name)).first():
        raise CaseConflict(f"a key named {name!r} exists; revoke it or pick another name")
    key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_hex(16)
    row = ApiKey(name=name, role=role, key_id=key_id, salt=salt, secret_hash=_digest(salt, secret),
                 rate_limit_per_minute=rate_limit_per_minute, created_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    AuditLog(session).append(actor, "key_create", None, name=name, role=role, key_id=key_id)
    return row, f"{PREFIX}_{key_id}_{secret}"


def find_api_key(session: Session, key: str) -> ApiKey | None:
    """The active key row for a presented key, or None (unknown, malformed, wrong secret or revoked)."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    row = session.execute(select(ApiKey).where(ApiKey.key_id == parts[1])).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _digest(row.salt, parts[2])):
        return None
    return row


def revoke_api_key(session: Session, name: str, actor: str = "cli") -> ApiKey:
    row = session.execute(select(ApiKey).where(ApiKey.name == name)).scalar_one_or_none()
    if row is None:
        raise NotFound("API key", name)
    row.revoked_at = utcnow()
    session.execute(delete(WebSession).where(WebSession.api_key_id == row.id))
    AuditLog(session).append(actor, "key_revoke", None, name=name, key_id=row.key_id)
    return row


def list_api_keys(session: Session) -> list[ApiKey]:
    return list(session.execute(select(ApiKey).order_by(ApiKey.id)).scalars())


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, key: ApiKey, hours: float) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(WebSession(token_hash=_token_hash(token), api_key_id=key.id, created_at=now, expires_at=now + timedelta(hours=hours)))
    AuditLog(session).append(key.name, "login", None, key_id=key.key_id)
    return token


def find_session(session: Session, token: str) -> ApiKey | None:
    row = session.get(WebSession, _token_hash(token))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        return None
    key = session.get(ApiKey, row.api_key_id)
    return key if key is not None and key.revoked_at is None else None


def end_session(session: Session, token: str) -> None:
    row = session.get(WebSession, _token_hash(token))
    if row is not None:
        session.delete(row)
