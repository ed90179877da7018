"""The shrink guard (issue 13): the real BIS list cut in half at a row boundary parses cleanly, but
`lists load` refuses it, says what would be removed, records the refusal, and loads it only
with --allow-shrink."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from computewatch.cases.db import open_case_db
from computewatch.cases.models import AuditRecord
from computewatch.settings import Settings
from computewatch.sources.list_guard import ListShrink, list_refusals
from computewatch.workspace import Workspace

REAL_LIST = Path(__file__).resolve().parents[1] / "src/computewatch/data/lists/bis-lists.csl.csv"
CODE = "from computewatch.cli import main; main()"


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "300", **env})  # fmt: skip


def _first_rows(path: Path, share: float, target: Path) -> Path:
    """The file's bytes up to the end of a record (a cut at a row boundary, quoted newlines respected)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        rows = sum(1 for _ in reader) - 1
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        for _ in range(int(rows * share) + 1):  # the header and the first rows
            next(reader)
        lines = reader.line_num
    with path.open("rb") as fh:
        target.write_bytes(b"".join(line for _, line in zip(range(lines), fh, strict=False)))
    return target


def _audit_actions(ws: Path) -> list[str]:
    with open_case_db(ws, Settings()) as db, db.session() as s:
        return [r.action for r in s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("guard") / "ws"
    done = _cli("lists", "load", str(REAL_LIST), "-w", str(ws))
    assert done.returncode == 0, done.stderr
    return ws


def _counts(ws: Path) -> tuple[int, int]:
    with Workspace(ws) as w:
        entries = w.con.execute("SELECT count(*) FROM list_entities WHERE dataset = 'us_trade_csl'").fetchone()[0]  # type: ignore[index]
        return int(entries), len(w.list_versions())


@pytest.mark.slow
def test_the_real_list_cut_in_half_is_refused_and_the_refusal_recorded(loaded: Path, tmp_path: Path) -> None:
    half = _first_rows(REAL_LIST, 0.5, tmp_path / "bis-first-half.csv")
    before = _counts(loaded)
    done = _cli("lists", "load", str(half), "-w", str(loaded))
    assert done.returncode == 1
    said = " ".join(done.stderr.split())
    assert "list load refused, nothing was loaded" in said and "over the 10% limit" in said
    assert "would remove" in said and "Entity List" in said and "for example: '" in said and "--allow-shrink" in said
    assert _counts(loaded) == before  # the list in the workspace is untouched
    with Workspace(loaded) as w:
        [refusal] = list_refusals(w)
    assert refusal["file"] == str(half) and refusal["entries_now"] == before[0]
    assert 0.45 < int(refusal["removed"]) / before[0] < 0.55  # type: ignore[call-overload]
    assert _audit_actions(loaded)[-1] == "list_load_refused"
    listed = _cli("lists", "refusals", "-w", str(loaded))
    assert listed.returncode == 0 and "bis-first-half.csv" in listed.stdout


@pytest.mark.slow
def test_allow_shrink_loads_it_and_a_small_shrink_needs_no_flag(loaded: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    import shutil

    shutil.copytree(loaded, ws)
    entries, versions = _counts(ws)
    most = _first_rows(REAL_LIST, 0.97, tmp_path / "bis-97.csv")  # about 3% removed: under the limit
    done = _cli("lists", "load", str(most), "-w", str(ws))
    assert done.returncode == 0, done.stderr
    assert _counts(ws)[1] == versions + 1 and _counts(ws)[0] < entries
    strict = _cli("lists", "load", str(_first_rows(REAL_LIST, 0.9, tmp_path / "bis-90.csv")), "-w", str(ws),
                  COMPUTEWATCH_LISTS__MAX_REMOVED_SHARE="0.02")  # fmt: skip
    assert strict.returncode == 1 and "over the 2% limit" in " ".join(strict.stderr.split())
    half = _first_rows(REAL_LIST, 0.5, tmp_path / "bis-first-half.csv")
    done = _cli("lists", "load", str(half), "--allow-shrink", "-w", str(ws))
    assert done.returncode == 0, done.stderr
    assert "--allow-shrink" in done.stderr and "removed" in done.stdout
    assert _audit_actions(ws)[-1] == "list_shrink_allowed"


def test_a_version_that_empties_a_dataset_is_over_any_limit() -> None:
    empty = ListShrink("ds", Path("f.csv"), entries_now=10, entries_new=0, limit=1.0, removed=[("a", "A", "x")] * 10)
    assert empty.over_limit and "would leave the dataset empty" in empty.text()
    first = ListShrink("ds", Path("f.csv"), entries_now=0, entries_new=5, limit=0.1)
    assert not first.over_limit  # a first load removes nothing
    tenth = ListShrink("ds", Path("f.csv"), entries_now=10, entries_new=9, limit=0.1, removed=[("a", "A", "x")])
    assert not tenth.over_limit  # exactly the limit is allowed; more is not
