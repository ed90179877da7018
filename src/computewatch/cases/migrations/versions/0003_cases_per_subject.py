"""one open case per subject (case_alerts, case_subjects) and decisions that stick (suppressions)

Every existing case gets one case_alerts row (the record it was opened from, its evidence tagged
with it) and its subjects; duplicate open cases of one subject made before this migration stay
as they are (new alerts join the oldest).

Revision ID: 0003_cases_per_subject
Revises: 0002_signed_head
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_cases_per_subject"
down_revision = "0002_signed_head"
branch_labels = None
depends_on = None

# Alerts of these detectors name the list entry they matched after the party (records made before
# alerts carried `list_matches`); the list entry is not a subject of the case.
LIST_MATCH_DETECTORS = ("party-listed", "rescreen-list-match", "rescreen-list-delisted")


def upgrade() -> None:
    op.create_table(
        "case_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=220), nullable=False),
        sa.Column("alert_id", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detector", sa.String(length=100), nullable=True),
        sa.Column("scenario", sa.String(length=10), nullable=True),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("as_of", sa.String(length=40), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_case_alerts_case_id", "case_alerts", ["case_id"])
    op.create_index("ix_case_alerts_alert_id", "case_alerts", ["alert_id"])
    op.create_table(
        "case_subjects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "subject"),
    )
    op.create_index("ix_case_subjects_case_id", "case_subjects", ["case_id"])
    op.create_index("ix_case_subjects_subject", "case_subjects", ["subject"])
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("party_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("party_name", sa.String(length=500), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_suppressions_party", "suppressions", ["party"])
    op.create_index("ix_suppressions_entity_id", "suppressions", ["entity_id"])
    op.create_index("ix_suppressions_case_id", "suppressions", ["case_id"])
    with op.batch_alter_table("case_evidence") as batch:
        batch.add_column(sa.Column("case_alert_id", sa.Integer(), nullable=True))
        batch.create_index("ix_case_evidence_case_alert_id", ["case_alert_id"])
    _existing_cases_become_case_alerts()


def _subjects(kind: str, record: dict[str, Any], entities: list[dict[str, Any]]) -> list[str]:
    if kind == "alert":
        subjects = [str(s) for s in record.get("subjects") or []]
        if record.get("detector") in LIST_MATCH_DETECTORS:
            subjects = subjects[:1]
        return [s for s in dict.fromkeys(subjects) if s][:50]
    if kind == "tender":
        return [PurePath(str(record.get("file") or "")).name or "notice"]
    query = [e for e in entities if e["role"] == "query"]
    return [str(query[0]["entity_id"] or query[0]["name"] or "")] if query else []


def _existing_cases_become_case_alerts() -> None:
    conn = op.get_bind()
    meta = sa.MetaData()
    cases = sa.Table("cases", meta, autoload_with=conn)
    entities = sa.Table("case_entities", meta, autoload_with=conn)
    evidence = sa.Table("case_evidence", meta, autoload_with=conn)
    case_alerts = sa.Table("case_alerts", meta, autoload_with=conn)
    case_subjects = sa.Table("case_subjects", meta, autoload_with=conn)
    rows = conn.execute(sa.select(cases).order_by(cases.c.id)).mappings().all()
    for case in rows:
        record = case["record"]
        if isinstance(record, str | bytes):  # a JSON column reflected as text
            record = json.loads(record)
        record = record if isinstance(record, dict) else {}
        alert_id = str(record.get("id")) if case["kind"] == "alert" and record.get("id") is not None else None
        new_id = conn.execute(
            sa.insert(case_alerts).values(
                case_id=case["id"], source_key=case["source_key"][:220], alert_id=alert_id, kind=case["kind"],
                detector=case["detector"], scenario=case["scenario"], severity=case["severity"], score=case["score"] or 0.0,
                summary=case["summary"] or "", as_of=case["as_of"], record=record, origin="", joined_at=case["created_at"],
            ).returning(case_alerts.c.id)
        ).scalar_one()  # fmt: skip
        conn.execute(sa.update(evidence).where(evidence.c.case_id == case["id"]).values(case_alert_id=new_id))
        linked = conn.execute(sa.select(entities.c.entity_id, entities.c.name, entities.c.role)
                              .where(entities.c.case_id == case["id"])).mappings().all()  # fmt: skip
        for subject in _subjects(case["kind"], record, [dict(e) for e in linked]):
            if subject:
                conn.execute(sa.insert(case_subjects).values(case_id=case["id"], subject=subject[:200], joined_at=case["created_at"]))


def downgrade() -> None:
    with op.batch_alter_table("case_evidence") as batch:
        batch.drop_index("ix_case_evidence_case_alert_id")
        batch.drop_column("case_alert_id")
    op.drop_table("suppressions")
    op.drop_table("case_subjects")
    op.drop_table("case_alerts")
