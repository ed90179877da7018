"""Uploaded tender notices are kept in the workspace (uploads/tenders/) so their case can show the source text."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from computewatch.api.errors import PayloadTooLarge, Unprocessable, short_message
from computewatch.atomic import atomic_write
from computewatch.sources.tenders.document import SUFFIXES

UPLOAD_DIR = ("uploads", "tenders")


def safe_name(filename: str) -> str:
    base = Path(filename.replace("\\", "/")).name
    stem = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "notice"
    return stem[:120]


def save_notice(workspace: Path, filename: str, content: bytes, max_bytes: int) -> Path:
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"the notice is {len(content)} bytes; the limit is {max_bytes}")
    if not content:
        raise Unprocessable("the uploaded file is empty")
    name = safe_name(filename)
    if not name.lower().endswith(SUFFIXES):
        raise Unprocessable(f"a notice must be one of {', '.join(SUFFIXES)}; got {short_message(filename, 100)!r}")
    digest = hashlib.sha256(content).hexdigest()[:16]
    target = workspace.joinpath(*UPLOAD_DIR) / f"{digest}-{name}"
    if not target.exists():
        with atomic_write(target) as fh:
            fh.write(content)
    return target
