"""The command line: keys create, cases import/list/decide, report, audit verify, serve (CONTRACTS.md exit codes)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cases_helpers import alert, tender

from computewatch.cases.db import open_case_db
from computewatch.cases.keys import find_api_key
from computewatch.settings import Settings


def cli(*args: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    code = "from computewatch.cli import main; main()"
    env = {**os.environ, "COLUMNS": "400"}  # one problem per line, unwrapped
    return subprocess.run([sys.executable, "-c", code, *args, "--workspace", str(workspace)],
                          capture_output=True, text=True, timeout=180, env=env)  # fmt: skip


def _jsonl(path: Path, *records: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_keys_create_prints_a_working_key_once(tmp_path: Path) -> None:
    done = cli("keys", "create", "ann", "--role", "analyst", workspace=tmp_path)
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert key.startswith("cw_") and "shown once" in done.stderr
    with open_case_db(tmp_path, Settings()) as db, db.session() as s:
        found = find_api_key(s, key)
        assert found is not None and found.role == "analyst"
    assert key not in (tmp_path / "cases.sqlite").read_bytes().decode("latin-1")
    bad = cli("keys", "create", "bob", "--role", "root", workspace=tmp_path)
    assert bad.returncode == 2 and "viewer, analyst, admin" in bad.stderr


def test_import_decide_report_and_verify(tmp_path: Path) -> None:
    alerts = _jsonl(tmp_path / "alerts.jsonl", alert("a1"), alert("a2", "low"), tender())
    done = cli("cases", "import", str(alerts), workspace=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "3 new cases" in done.stdout
    again = cli("cases", "import", str(alerts), workspace=tmp_path)
    assert "0 new cases, 3 already open or decided" in again.stdout
    listed = json.loads(cli("cases", "list", "--json", workspace=tmp_path).stdout)
    assert listed["total"] == 3
    cid = str(listed["results"][0]["id"])
    decided = cli("cases", "decide", cid, "true", "--reason", "confirmed", "--actor", "ann", workspace=tmp_path)
    assert decided.returncode == 0 and "closed_true" in decided.stdout
    out = tmp_path / "r" / "case.html"
    rep = cli("report", cid, "--format", "html", "--out", str(out), workspace=tmp_path)
    assert rep.returncode == 0, rep.stderr
    html = out.read_text()
    assert "Closed as true" in html and "confirmed" in html and "ann" in html
    pdf = tmp_path / "case.pdf"
    assert cli("report", cid, "--format", "pdf", "--out", str(pdf), workspace=tmp_path).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli("report", cid, "--format", "docx", "--out", str(pdf), workspace=tmp_path).returncode == 2
    assert cli("report", "999", "--out", str(pdf), workspace=tmp_path).returncode == 1
    ok = cli("audit", "verify", workspace=tmp_path)
    assert ok.returncode == 0 and "intact" in ok.stdout


def test_audit_verify_exits_1_naming_the_tampered_record(tmp_path: Path) -> None:
    cli("cases", "import", str(_jsonl(tmp_path / "a.jsonl", alert("a1"), alert("a2"))), workspace=tmp_path)
    with sqlite3.connect(tmp_path / "cases.sqlite") as con:
        con.execute("UPDATE audit_log SET details = '{}' WHERE seq = 1")
    bad = cli("audit", "verify", workspace=tmp_path)
    assert bad.returncode == 1 and "audit record 1" in bad.stderr and "edited" in bad.stderr


def test_bad_lines_exit_1_with_file_and_line_and_good_lines_import(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(alert("ok")) + "\n{not json\n" + json.dumps({"x": 1}) + "\n")
    done = cli("cases", "import", str(path), workspace=tmp_path)
    assert done.returncode == 1
    assert "mixed.jsonl, line 2: not valid JSON" in done.stderr and "mixed.jsonl, line 3: not an alert" in done.stderr
    assert "1 new cases" in done.stdout


def test_decide_needs_true_or_false_and_a_reason(tmp_path: Path) -> None:
    cli("cases", "import", str(_jsonl(tmp_path / "a.jsonl", alert("a1"))), workspace=tmp_path)
    assert cli("cases", "decide", "1", "maybe", "--reason", "x", workspace=tmp_path).returncode == 2
    empty = cli("cases", "decide", "1", "true", "--reason", " ", workspace=tmp_path)
    assert empty.returncode == 1 and "needs a reason" in empty.stderr


def test_serve_answers_health_and_refuses_without_a_key(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "from computewatch.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port), "--workspace", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{base}/cases").status_code == 401
        assert httpx.get(f"{base}/ui/", follow_redirects=False).status_code == 303
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_queue_is_a_table_in_80_columns(tmp_path: Path) -> None:
    records = [alert(f"q{i}", sev) for i, sev in enumerate(["critical", "high", "low", "medium"])]
    assert cli("cases", "import", str(_jsonl(tmp_path / "alerts.jsonl", *records)), workspace=tmp_path).returncode == 0
    env = {**os.environ, "COLUMNS": "80"}
    code = "from computewatch.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "cases", "list", "--workspace", str(tmp_path)],
                          capture_output=True, text=True, timeout=180, env=env, check=True)  # fmt: skip
    lines = done.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    header = next(line for line in lines if "severity" in line)
    assert header.split()[:3] == ["#", "severity", "S"] and "title" in header  # one table, not a block per case
    rows = [line.split() for line in lines[1:] if line.strip()[:1].isdigit()]  # after the title
    assert [r[1] for r in rows] == ["critical", "high", "medium", "low"]  # most severe first, one row each
    assert all("new" in r and "Account" in r for r in rows)  # status and the start of the title on the row
