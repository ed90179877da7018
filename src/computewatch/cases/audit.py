"""The append-only, hash-chained audit log: every change of state and every view of case data.

Each record's hash is SHA-256 over its own fields and the previous record's hash, so
editing any record breaks its hash, deleting one breaks the chain (and the sequence),
and deleting the newest ones shows against the head row kept beside the log. With an
audit key the head is signed, and anchors exported to a file kept elsewhere show a
truncated or recomputed log (cases/anchor.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from computewatch.cases.anchor import (
    Anchor,
    anchor_problems,
    configured_key,
    head_signature_ok,
    make_anchor,
    sign_head,
)
from computewatch.cases.models import AuditHead, AuditRecord
from computewatch.errors import UsageError

GENESIS = "0" * 64
VERIFY_BATCH = 5000


def canonical(details: dict[str, Any]) -> str:
    return orjson.dumps(details, option=orjson.OPT_SORT_KEYS, default=str).decode()


def record_hash(seq: int, ts: str, actor: str, action: str, case_id: int | None, details: str, prev_hash: str) -> str:
    body = canonical({"seq": seq, "ts": ts, "actor": actor, "action": action, "case_id": case_id,
                      "details": details, "prev_hash": prev_hash})  # fmt: skip
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class AuditProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit record {self.seq}: {self.reason}"


@dataclass
class AuditVerdict:
    records: int
    problems: list[AuditProblem] = field(default_factory=list)
    head_checked: bool = False  # the head's signature was checked (an audit key is configured)
    anchors: int = 0  # anchors checked

    @property
    def intact(self) -> bool:
        return not self.problems


_UNSET: Any = object()


class AuditLog:
    def __init__(self, session: Session, key: bytes | None = _UNSET):
        """`key`: the audit key that signs the head (default: the configured one, see cases/anchor.py)."""
        self.session = session
        self.key: bytes | None = configured_key() if key is _UNSET else key

    def lock(self) -> None:
        """Take the log's write lock now, for the rest of the transaction: moves that look at other cases
        first (which open case a subject has) then run one at a time, in every process."""
        self.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq))

    def append(self, actor: str, action: str, case_id: int | None = None, **details: Any) -> AuditRecord:
        """Add one record in the caller's transaction; the head row is locked so appends stay in order.

        The no-op update takes the write lock before the head is read: SQLite ignores FOR UPDATE, and its
        driver reads outside a transaction until the first write, so two processes (the server's workers)
        would otherwise both read the same head and write the same sequence number."""
        self.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq))
        head = self.session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if head is None:
            head = AuditHead(id=1, seq=0, hash=GENESIS)
            self.session.add(head)
        seq = head.seq + 1
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        body = canonical(details)
        digest = record_hash(seq, ts, actor, action, case_id, body, head.hash)
        rec = AuditRecord(seq=seq, ts=ts, actor=actor, action=action, case_id=case_id, details=body,
                          prev_hash=head.hash, hash=digest)  # fmt: skip
        self.session.add(rec)
        head.seq, head.hash = seq, digest
        head.signature = sign_head(self.key, seq, digest) if self.key else None
        self.session.flush()
        return rec

    def for_case(self, case_id: int, include_views: bool = True) -> list[AuditRecord]:
        query = select(AuditRecord).where(AuditRecord.case_id == case_id)
        if not include_views:
            query = query.where(AuditRecord.action != "view")
        return list(self.session.execute(query.order_by(AuditRecord.seq)).scalars())

    def recent(self, limit: int = 100) -> list[AuditRecord]:
        query = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
        return list(self.session.execute(query).scalars())

    def verify(self, anchors: list[Anchor] | None = None, anchors_file: str = "") -> AuditVerdict:
        """Walk the whole chain; report every record whose hash, link or sequence number is wrong,
        a head whose signature fails (with a key), and every anchor the log no longer matches."""
        verdict = AuditVerdict(0)
        prev_hash, expected_seq = GENESIS, 1
        last_seq = 0
        while True:
            batch = list(
                self.session.execute(
                    select(AuditRecord).where(AuditRecord.seq > last_seq).order_by(AuditRecord.seq).limit(VERIFY_BATCH)
                ).scalars()
            )
            if not batch:
                break
            for rec in batch:
                verdict.records += 1
                if rec.seq != expected_seq:
                    verdict.problems.append(AuditProblem(rec.seq, f"records {expected_seq}-{rec.seq - 1} are missing (deleted)"))
                if rec.prev_hash != prev_hash:
                    verdict.problems.append(AuditProblem(rec.seq, "does not link to the record before it (a record was deleted or altered)"))
                if record_hash(rec.seq, rec.ts, rec.actor, rec.action, rec.case_id, rec.details, rec.prev_hash) != rec.hash:
                    verdict.problems.append(AuditProblem(rec.seq, "its content does not match its hash (edited)"))
                prev_hash, expected_seq, last_seq = rec.hash, rec.seq + 1, rec.seq
        head = self.session.get(AuditHead, 1)
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        if head_seq != last_seq or head_hash != prev_hash:
            verdict.problems.append(
                AuditProblem(head_seq, f"the log ends at record {last_seq} but the head says {head_seq}: newest records deleted or head altered")
            )
        if self.key is not None and head is not None:
            verdict.head_checked = True
            if head.signature is None:
                verdict.problems.append(AuditProblem(head_seq, "the head is not signed: written without the audit key, or its signature was removed"))
            elif not head_signature_ok(self.key, head.seq, head.hash, head.signature):
                verdict.problems.append(AuditProblem(head_seq, "the head's signature does not match: the head was rewritten "
                                                     "(newest records deleted with it, or the chain recomputed) without the audit key"))  # fmt: skip
        if anchors is not None:
            verdict.anchors = len(anchors)
            found = anchor_problems(self.session, anchors, self.key, anchors_file)
            verdict.problems.extend(AuditProblem(seq, reason) for seq, reason in found)
        return verdict

    def anchor(self, actor: str, out: str) -> dict[str, Any]:
        """Record the anchoring, then the signed head to hand out (the caller appends it to the file)."""
        if self.key is None:
            raise UsageError("no audit key: set COMPUTEWATCH_AUDIT_KEY or COMPUTEWATCH_AUDIT_KEY_FILE (computewatch audit keygen makes one)")
        rec = self.append(actor, "anchor", None, out=out)
        return make_anchor(self.key, rec.seq, rec.hash)


def count_records(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(AuditRecord)).scalar_one())
