"""The command line (CONTRACTS.md output and exit codes) and the bundled S6 demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph_helpers import FIXTURES

from computewatch.graph.demo import demo_graph, s6_file
from computewatch.workspace import Workspace


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from computewatch.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_ingest_then_owners_json_has_the_contract_fields(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    done = cli("ingest", "entities", str(s6_file()), "--workspace", ws)
    assert done.returncode == 0, done.stderr
    assert "loaded 22 entities, 10 relationships and 1 listings" in done.stdout
    done = cli("graph", "owners", "s6-kestrel-my", "--as-of", "2025-12-01", "--json", "--workspace", ws)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data)[:5] == ["entity_id", "as_of", "owners", "restricted_ownership_pct", "flags"]
    assert (data["entity_id"], data["as_of"], data["restricted_ownership_pct"]) == ("s6-kestrel-my", "2025-12-01", 100.0)
    owner = data["owners"][1]
    assert list(owner)[:6] == ["entity_id", "name", "country", "effective_percentage", "paths", "listed"]
    assert (owner["entity_id"], owner["effective_percentage"], owner["listed"]) == ("s6-tianrui", 60.0, True)
    assert owner["paths"] == [["s6-kestrel-my", "s6-harbourline", "s6-tianrui"]]
    assert {"affiliate_of_listed", "ultimate_parent_d5_or_macau", "successor"} <= {f["code"] for f in data["flags"]}
    text = cli("graph", "owners", "202501004455", "--as-of", "2025-12-01", "--workspace", ws)  # by registration number
    assert text.returncode == 0 and "Entity List since 2024-12-02" in text.stdout


def test_bad_rows_exit_1_naming_file_line_and_field_and_good_rows_load(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    done = cli("ingest", "entities", str(FIXTURES / "bad-rows.jsonl"), "--workspace", ws)
    assert done.returncode == 1
    assert "12 rows rejected" in done.stdout
    err = " ".join(done.stderr.split())
    assert "bad-rows.jsonl, line 7, field 'properties.percentage': 150% is outside 0-100" in err
    assert "line 8, field 'properties.asset': 'ok-a' owns itself" in err
    done = cli("graph", "owners", "ok-a", "--json", "--workspace", ws)
    assert done.returncode == 0 and json.loads(done.stdout)["owners"][0]["entity_id"] == "ok-b"


def test_usage_errors_and_unknown_entities(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert cli("graph", "owners", "x", "--as-of", "31/12/2025", "--workspace", ws).returncode == 2
    done = cli("graph", "owners", "no-such-entity", "--workspace", ws)
    assert done.returncode == 1 and "unknown entity" in done.stderr


def test_demo_shows_s6(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        lines = demo_graph(ws)
    text = "\n".join(lines)
    assert ("Kestrel Compute Sdn. Bhd. (MY) <- 100% Harbourline Holdings Limited (HK) <- 60% "
            "Tianrui Zhisuan Technology Co., Ltd. (CN, Entity List since 2024-12-02)") in text  # fmt: skip
    assert "Affiliates rule suspended, risk evidence only" in text
    assert "Affiliates rule in force, binds" in text
    assert any(line.startswith("S6 successor: successor") and "re-registered from SG to MY" in line for line in lines)
    assert any(line.startswith("S6 takeover, not a successor") and "Brightlake" in line for line in lines)
