"""Anchoring the audit log outside its database: a signed head, and exported anchors.

The hash chain shows an edited or deleted record, but someone who can write the case
database can also delete the newest records together with the head row, or recompute
the whole chain. Two things stop that:

- the head carries an HMAC-SHA256 signature made with a key kept outside the case
  database (COMPUTEWATCH_AUDIT_KEY, or a key file: COMPUTEWATCH_AUDIT_KEY_FILE); without
  the key nobody can sign a shortened or recomputed head;
- `computewatch audit anchor --out FILE` appends the signed head to a file a regulator
  (or any second party) keeps; `audit verify --anchors FILE` checks that every anchored
  record is still there with the anchored hash, so truncation and recomputed chains show
  even to someone who holds the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from computewatch.cases.models import AuditRecord
from computewatch.errors import InputError, InputProblem, UsageError

MIN_KEY_BYTES = 16
HEAD_CONTEXT = b"computewatch audit head\n"
ANCHOR_CONTEXT = b"computewatch audit anchor\n"


def key_from(secret: str | None, key_file: Path | None) -> bytes | None:
    """The audit key from the environment's value, else from the key file; None when neither is set."""
    if secret:
        key = secret.encode()
        where = "COMPUTEWATCH_AUDIT_KEY"
    elif key_file:
        key = _read_key_file(str(key_file), _mtime(key_file))
        where = str(key_file)
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(f"the audit key ({where}) is {len(key)} bytes; use at least {MIN_KEY_BYTES} bytes (computewatch audit keygen)")
    return key


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError as exc:
        raise UsageError(f"cannot read the audit key file {path}: {exc.strerror or exc}") from None


@lru_cache(maxsize=4)
def _read_key_file(path: str, _mtime: float) -> bytes:
    return Path(path).read_bytes().strip()


def configured_key() -> bytes | None:
    """The audit key of the settings (environment or TOML), or None."""
    from computewatch.settings import default_settings

    settings = default_settings()
    secret = settings.audit_key.get_secret_value() if settings.audit_key else None
    return key_from(secret, settings.audit_key_file)


def sign_head(key: bytes, seq: int, digest: str) -> str:
    return hmac.new(key, HEAD_CONTEXT + f"{seq}\n{digest}".encode(), hashlib.sha256).hexdigest()


def head_signature_ok(key: bytes, seq: int, digest: str, signature: str | None) -> bool:
    return signature is not None and hmac.compare_digest(sign_head(key, seq, digest), signature)


def _anchor_body(anchor: dict[str, Any]) -> bytes:
    fields = {k: anchor[k] for k in ("seq", "hash", "anchored_at")}
    return ANCHOR_CONTEXT + orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def make_anchor(key: bytes, seq: int, digest: str) -> dict[str, Any]:
    anchor: dict[str, Any] = {"seq": seq, "hash": digest, "anchored_at": datetime.now(UTC).isoformat(timespec="seconds")}
    anchor["signature"] = hmac.new(key, _anchor_body(anchor), hashlib.sha256).hexdigest()
    return anchor


def append_anchor(path: Path, anchor: dict[str, Any]) -> None:
    """Append one line and make it durable; the file is never rewritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        fh.write(orjson.dumps(anchor) + b"\n")
        fh.flush()
        os.fsync(fh.fileno())


@dataclass
class Anchor:
    line: int
    seq: int
    hash: str
    anchored_at: str
    signature: str
    data: dict[str, Any]

    def signed_by(self, key: bytes) -> bool:
        expected = hmac.new(key, _anchor_body(self.data), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.signature)


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor of an anchors file; a malformed line is an input error naming it."""
    from computewatch.sources.jsonlines import json_objects

    problems: list[InputProblem] = []
    anchors = []
    for line, data in json_objects(path, problems):
        seq, digest = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or not isinstance(digest, str) or not isinstance(data.get("anchored_at"), str):
            problems.append(InputProblem(str(path), line, None, "an anchor needs seq (a number), hash and anchored_at"))
            continue
        anchors.append(Anchor(line, seq, digest, data["anchored_at"], str(data.get("signature") or ""), data))
    if problems:
        raise InputError.many(problems)
    return anchors


def anchor_problems(session: Session, anchors: list[Anchor], key: bytes | None, file: str) -> list[tuple[int, str]]:
    """(seq, reason) for every anchor the log no longer matches, or whose signature is wrong."""
    found: list[tuple[int, str]] = []
    last_seq = 0
    for a in anchors:
        where = f"anchor of {a.anchored_at} ({file}, line {a.line})"
        if key is not None and not a.signed_by(key):
            found.append((a.seq, f"{where}: its signature does not match (the anchor was altered or not made with this key)"))
            continue
        if a.seq < last_seq:
            found.append((a.seq, f"{where}: anchors go back in sequence (record {last_seq} was anchored before)"))
        last_seq = max(last_seq, a.seq)
        if a.seq == 0:
            continue
        rec = session.execute(select(AuditRecord).where(AuditRecord.seq == a.seq)).scalar_one_or_none()
        if rec is None:
            found.append((a.seq, f"record {a.seq} is gone, but the {where} saw it: the log was truncated"))
        elif rec.hash != a.hash:
            found.append((a.seq, f"record {a.seq} does not have the hash of the {where}: the chain was rewritten (recomputed)"))
    return found
