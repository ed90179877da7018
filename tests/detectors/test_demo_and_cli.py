"""`computewatch ingest ...`, `computewatch detect`, and the bundled demo data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from ops_helpers import FIXTURES

from computewatch.detectors.demo import demo_detectors
from computewatch.workspace import Workspace


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "computewatch", *args], capture_output=True, text=True, timeout=300)


def test_ingest_and_detect_from_the_command_line(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert _cli("ingest", "entities", str(FIXTURES / "entities.jsonl"), "--workspace", ws).returncode == 0
    for kind in ("accounts", "usage", "access", "leases", "media"):
        done = _cli("ingest", kind, str(FIXTURES / f"{kind}.csv"), "--workspace", ws)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "alerts.jsonl"
    done = _cli("detect", "--as-of", "2026-11-01", "--out", str(out), "--workspace", ws)
    assert done.returncode == 0, done.stderr
    records = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert {r["detector"] for r in records} == {
        "ops-reseller", "ops-token-resale", "ops-bulk-import", "ops-training-run", "ops-young-lessee", "ops-account-linkage",
    }  # fmt: skip
    assert "9 alerts as of 2026-11-01" in " ".join(done.stdout.split())


def test_bad_rows_exit_1_and_usage_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "media.csv"
    bad.write_text("site_country,ts,devices,bytes\nMY,2026-01-01,3,1e12\nXX,2026-01-01,-1,1e12\n")
    done = _cli("ingest", "media", str(bad), "--workspace", str(tmp_path / "ws"))
    assert done.returncode == 1
    stderr = " ".join(done.stderr.split())  # Rich wraps long lines
    assert "line 3, field 'site_country'" in stderr and "line 3, field 'devices'" in stderr
    assert "loaded 1 media rows; 1 rows rejected" in done.stdout
    assert _cli("detect", "--as-of", "soon", "--out", str(tmp_path / "a.jsonl"), "--workspace", str(tmp_path / "ws")).returncode == 2
    assert _cli("detect", "--engine", "oracle", "--out", str(tmp_path / "a.jsonl"), "--workspace", str(tmp_path / "ws")).returncode == 2


def test_demo_shows_s1_s2_and_s5(tmp_path: Path) -> None:
    with Workspace(tmp_path / "demo") as ws:
        lines = demo_detectors(ws)
        again = demo_detectors(ws)
    text = "\n".join(lines)
    assert lines[0].startswith("S1 (") and "Brightwater Compute" in text
    assert "S2 (model tokens resold): 1 alert(s)" in text and "Summit Bridge" in text
    assert "S5 (" in text and "Tanjung Kirana" in text and "4.8 PB" in text
    assert again == lines
