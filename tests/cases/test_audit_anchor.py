"""Audit anchoring: a signed head and exported anchors show what the hash chain alone cannot,
deleting the newest records together with the head, and a recomputed chain (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from cases_helpers import alert
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from computewatch.cases.anchor import append_anchor, key_from, read_anchors, sign_head
from computewatch.cases.audit import AuditLog, record_hash
from computewatch.cases.db import CaseDB
from computewatch.cases.importing import import_records
from computewatch.cases.models import AuditHead, AuditRecord
from computewatch.cases.store import CaseStore
from computewatch.errors import InputError, UsageError

KEY = b"k" * 32  # the regulator's deployment keeps this outside the case database
MALLORY_KEY = b"m" * 32


def _history(db: CaseDB, key: bytes | None = KEY, alert_id: str = "reseller-abc123") -> None:
    """Five audit records: create, view, assign, decide, view_queue."""
    with db.session() as s:
        store = CaseStore(s, "ann")
        store.audit = AuditLog(s, key=key)
        [cid] = import_records(store, [alert(alert_id)]).created
        store.get(cid)
        store.assign(cid, "bob")
        store.decide(cid, True, "confirmed")
        store.find()


def _anchor(db: CaseDB, path: Path, key: bytes = KEY) -> dict[str, object]:
    with db.session() as s:
        anchor = AuditLog(s, key=key).anchor("regulator", str(path))
    append_anchor(path, anchor)
    return anchor


def _truncate(s: Session, keep: int) -> None:
    """What someone with write access to the database does to hide the newest records."""
    s.execute(text("DELETE FROM audit_log WHERE seq > :keep"), {"keep": keep})
    last = s.execute(select(AuditRecord).where(AuditRecord.seq == keep)).scalar_one()
    s.execute(text("UPDATE audit_head SET seq = :seq, hash = :h"), {"seq": keep, "h": last.hash})


def _recompute(s: Session, key: bytes | None) -> None:
    """Rewrite record 2 and recompute every hash after it, and the head: the chain checks out again."""
    s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    prev = "0" * 64
    for rec in s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars():
        rec.prev_hash = prev
        rec.hash = record_hash(rec.seq, rec.ts, rec.actor, rec.action, rec.case_id, rec.details, prev)
        prev = rec.hash
    head = s.get(AuditHead, 1)
    assert head is not None
    head.hash = prev
    head.signature = sign_head(key, head.seq, prev) if key else None


def test_the_head_is_signed_with_the_key(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        head = s.get(AuditHead, 1)
        assert head is not None and head.signature == sign_head(KEY, head.seq, head.hash)
        verdict = AuditLog(s, key=KEY).verify()
    assert verdict.intact and verdict.head_checked and verdict.records == 5


def test_deleting_the_newest_records_with_the_head_is_caught_by_the_signature(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        _truncate(s, keep=3)
    with case_db.session() as s:
        assert AuditLog(s, key=None).verify().intact  # the chain alone cannot see it (the old behaviour)
        problems = AuditLog(s, key=KEY).verify().problems
    assert len(problems) == 1 and "signature does not match" in problems[0].reason


def test_a_recomputed_chain_is_caught_by_the_signature(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        _recompute(s, key=None)
    with case_db.session() as s:
        assert AuditLog(s, key=None).verify().intact
        problems = AuditLog(s, key=KEY).verify().problems
    assert [p.seq for p in problems] == [5] and "signature" in problems[0].reason


def test_anchors_catch_truncation_even_when_an_old_signed_head_is_put_back(case_db: CaseDB, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _history(case_db)
    with case_db.session() as s:
        old = s.get(AuditHead, 1)
        assert old is not None
        saved = (old.seq, old.hash, old.signature)  # a copy of the head taken at record 5
    first = _anchor(case_db, anchors)  # record 6: the anchoring itself, signed and kept elsewhere
    with case_db.session() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq > 5"))
        s.execute(text("UPDATE audit_head SET seq = :a, hash = :b, signature = :c"), dict(zip("abc", saved, strict=True)))
    with case_db.session() as s:
        assert AuditLog(s, key=KEY).verify().intact  # a genuine old head: the signature checks out
        problems = AuditLog(s, key=KEY).verify(read_anchors(anchors), str(anchors)).problems
    assert [p.seq for p in problems] == [first["seq"]] and "truncated" in problems[0].reason


def test_anchors_catch_a_chain_recomputed_by_someone_holding_the_key(case_db: CaseDB, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _history(case_db)
    _anchor(case_db, anchors)
    with case_db.session() as s:
        _recompute(s, key=KEY)
    with case_db.session() as s:
        assert AuditLog(s, key=KEY).verify().intact
        problems = AuditLog(s, key=KEY).verify(read_anchors(anchors), str(anchors)).problems
    assert len(problems) == 1 and "rewritten" in problems[0].reason


def test_an_intact_log_matches_every_anchor_and_anchors_only_append(case_db: CaseDB, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _history(case_db)
    _anchor(case_db, anchors)
    first_line = anchors.read_bytes()
    _history(case_db, alert_id="reseller-def456")
    _anchor(case_db, anchors)
    assert anchors.read_bytes().startswith(first_line) and len(anchors.read_bytes().splitlines()) == 2
    with case_db.session() as s:
        verdict = AuditLog(s, key=KEY).verify(read_anchors(anchors), str(anchors))
    assert verdict.intact and verdict.anchors == 2 and verdict.records == 12


def test_an_altered_or_foreign_anchor_is_named(case_db: CaseDB, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _history(case_db)
    _anchor(case_db, anchors)
    data = orjson.loads(anchors.read_bytes())
    data["seq"] = 2
    anchors.write_bytes(orjson.dumps(data) + b"\n")
    with case_db.session() as s:
        problems = AuditLog(s, key=KEY).verify(read_anchors(anchors), str(anchors)).problems
        assert ["signature does not match" in p.reason for p in problems] == [True]
        assert AuditLog(s, key=MALLORY_KEY).verify(read_anchors(anchors), str(anchors)).problems


def test_without_the_key_there_is_no_anchor_and_a_short_key_is_refused(case_db: CaseDB, tmp_path: Path) -> None:
    with case_db.session() as s, pytest.raises(UsageError, match="no audit key"):
        AuditLog(s, key=None).anchor("x", str(tmp_path / "a.jsonl"))
    with pytest.raises(UsageError, match="at least 16 bytes"):
        key_from("short", None)
    key_file = tmp_path / "audit.key"
    key_file.write_text("f" * 64 + "\n")
    assert key_from(None, key_file) == b"f" * 64
    assert key_from("e" * 20, key_file) == b"e" * 20  # the environment's value wins


def test_a_malformed_anchors_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "anchors.jsonl"
    bad.write_text('{"seq": "x", "hash": 1}\n')
    with pytest.raises(InputError, match="anchors.jsonl, line 1"):
        read_anchors(bad)


def _cli(*args: str, workspace: Path, key: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPUTEWATCH_AUDIT_KEY")}
    if key:
        env["COMPUTEWATCH_AUDIT_KEY"] = key
    code = "import sys; from computewatch.cli import main; sys.argv = ['computewatch'] + sys.argv[1:]; main()"
    return subprocess.run([sys.executable, "-c", code, *args, "--workspace", str(workspace)],
                          capture_output=True, text=True, env={**env, "COLUMNS": "200"})  # fmt: skip


def test_the_anchor_and_verify_commands(tmp_path: Path) -> None:
    """`audit anchor --out` and `audit verify --anchors` on the SQLite case store of a workspace."""
    from computewatch.cases.db import open_case_db
    from computewatch.settings import Settings

    key = "regulator-key-" + "9" * 20
    ws, anchors = tmp_path / "ws", tmp_path / "regulator" / "anchors.jsonl"
    with open_case_db(ws, Settings()) as db:
        _history(db, key=key.encode())
    assert _cli("audit", "anchor", "--out", str(anchors), workspace=ws, key=None).returncode == 2
    done = _cli("audit", "anchor", "--out", str(anchors), workspace=ws, key=key)
    assert done.returncode == 0, done.stderr
    assert "anchored audit record 6" in done.stdout and len(anchors.read_text().splitlines()) == 1
    done = _cli("audit", "verify", "--anchors", str(anchors), workspace=ws, key=key)
    assert done.returncode == 0 and "1 anchors checked" in done.stdout and "head signature checked" in done.stdout
    with open_case_db(ws, Settings()) as db, db.session() as s:
        _truncate(s, keep=4)
    done = _cli("audit", "verify", "--anchors", str(anchors), workspace=ws, key=key)
    assert done.returncode == 1
    assert "signature does not match" in done.stderr and "record 6 is gone" in " ".join(done.stderr.split())
    done = _cli("audit", "anchor", "--out", str(anchors), workspace=ws, key=key)  # a broken log is not anchored
    assert done.returncode == 1 and len(anchors.read_text().splitlines()) == 1
