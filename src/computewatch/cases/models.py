"""The case store's tables (SQLAlchemy 2 declarative). Schema changes go through migrations/."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("new", "in_review", "escalated", "closed_true", "closed_false")
OPEN_STATUSES = ("new", "in_review", "escalated")
KINDS = ("alert", "screening", "tender")
ROLES = ("viewer", "analyst", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def as_utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="seconds")


class Base(DeclarativeBase):
    pass


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_key: Mapped[str] = mapped_column(String(200), unique=True)  # of the record it opened from: "alert:<id>", ...
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    scenario: Mapped[str | None] = mapped_column(String(10), index=True)
    detector: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(20), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    as_of: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True, default="new")
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    decision: Mapped[str | None] = mapped_column(String(20))  # "true" or "false" (closed as true/false positive)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    record: Mapped[dict[str, object]] = mapped_column(JSON)  # the record the case was made from, as imported
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    entities: Mapped[list[CaseEntity]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEntity.position"
    )
    evidence: Mapped[list[CaseEvidence]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvidence.position"
    )
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.id"
    )
    alerts: Mapped[list[CaseAlert]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAlert.id"
    )
    subjects: Mapped[list[CaseSubject]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseSubject.id"
    )


class CaseAlert(Base):
    """A record in a case: the alert (or screening result, or notice) that opened it, and every alert on
    one of its subjects that joined it while it was open."""

    __tablename__ = "case_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source_key: Mapped[str] = mapped_column(String(220), unique=True)  # "alert:<id>" (+ "#n" when it came back)
    alert_id: Mapped[str | None] = mapped_column(String(200), index=True)  # the alert's id; None for other records
    kind: Mapped[str] = mapped_column(String(20))
    detector: Mapped[str | None] = mapped_column(String(100))
    scenario: Mapped[str | None] = mapped_column(String(10))
    severity: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    summary: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[str | None] = mapped_column(String(40))
    record: Mapped[dict[str, object]] = mapped_column(JSON)  # as imported
    origin: Mapped[str] = mapped_column(String(200), default="")  # where it came from: a file name, a run
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="alerts")


class CaseSubject(Base):
    """Who or what a case is about: the subjects of its alerts (list entries they matched are not subjects).
    At most one open case per subject: a new alert on a subject joins that case."""

    __tablename__ = "case_subjects"
    __table_args__ = (UniqueConstraint("case_id", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="subjects")


class CaseEntity(Base):
    """A party linked to a case: the alert's subjects, a notice's parties, a screened name and its matches."""

    __tablename__ = "case_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    entity_id: Mapped[str | None] = mapped_column(String(200), index=True)
    name: Mapped[str | None] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(50))  # subject, buyer, supplier, query, list_match...
    listed: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="entities")


class CaseEvidence(Base):
    __tablename__ = "case_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    fact: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    case_alert_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the CaseAlert it came with

    case: Mapped[Case] = relationship(back_populates="evidence")


class MatchSuppression(Base):
    """A (party, list entry) match closed as a false positive, with what it was decided against:
    content hashes of the party's screened data and of the list entry. While active and while both
    hashes are unchanged, the pair is not alerted again (alerts/suppress.py). Lifting keeps the row."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party: Mapped[str] = mapped_column(String(200), index=True)
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    party_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    party_name: Mapped[str] = mapped_column(String(500), default="")
    caption: Mapped[str] = mapped_column(String(500), default="")
    dataset: Mapped[str] = mapped_column(String(200), default="")
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class CaseNote(Base):
    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")


class AuditRecord(Base):
    """One line of the append-only audit log; `hash` covers every field and the previous record's hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, stored as text so the hash input is exact
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The newest record's seq and hash, updated with every append: deleting the tail shows as a mismatch."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(64), nullable=True)  # HMAC of (seq, hash) with the audit key


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    key_id: Mapped[str] = mapped_column(String(32), unique=True)  # public part of the key, for lookup
    secret_hash: Mapped[str] = mapped_column(String(128))  # scrypt of the secret part
    salt: Mapped[str] = mapped_column(String(64))
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A web login: the cookie carries a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
