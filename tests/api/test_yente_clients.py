"""yente's clients against a real server: nomenklatura's YenteEnricher matches and expands, and OpenRefine's
calls to the reconciliation service (form-encoded `queries=` JSON) get what the W3C specification says."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import ROOT, build_workspace, live_server, make_key

CLIENTS = ROOT / "tests/clients"
CLIENT_VENV = ROOT / ".venv-clients"


@pytest.fixture(scope="session")
def client_python() -> Path:
    """The clients' own environment (nomenklatura pins duckdb<2), built from exact versions on first use."""
    requirements = CLIENTS / "requirements.txt"
    stamp = CLIENT_VENV / ".installed"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    python = CLIENT_VENV / "bin/python"
    if not python.exists() or not stamp.exists() or stamp.read_text() != digest:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(CLIENT_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements)], check=True)
        stamp.write_text(digest)
    return python


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    home = tmp_path_factory.mktemp("yente-clients")
    build_workspace(home)
    key = make_key(home, "client-test")
    with live_server(home) as live:
        yield live.base, key


def run_client(python: Path, base: str, key: str, entities: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(entities))
    done = subprocess.run([str(python), str(CLIENTS / "yente_client.py"), base, key, str(queries)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def company(entity_id: str, name: str, country: str | None = None) -> dict[str, Any]:
    props = {"name": [name], **({"country": [country]} if country else {})}
    return {"id": entity_id, "schema": "Company", "properties": props}


def test_nomenklatura_yente_client_matches_and_expands(client_python: Path, server: tuple[str, str], tmp_path: Path) -> None:
    base, key = server
    out = run_client(client_python, base, key, [
        company("q-qinghe", "QINGHE CLOUD COMPUTING TECHNOLOGY CO LTD", "cn"),
        company("q-orchid", "Orchid Vale Computing Pte Ltd", "sg"),
        company("q-nobody", "Harbour Light Bakery Cooperative"),
    ], tmp_path)  # fmt: skip
    by_query = {r["query"]: r for r in out}
    assert all("error" not in r for r in out), out

    qinghe = by_query["q-qinghe"]["candidates"]
    assert qinghe and qinghe[0]["match"]["id"] == "fic-qinghe"
    expanded = {e["id"]: e for e in qinghe[0]["expanded"]}
    assert expanded["fic-qinghe"]["properties"]["alias"] == ["青禾云算科技有限公司"]  # the full entity, not the match's summary
    assert expanded["fic-qinghe"]["schema"] == "Company"

    orchid = by_query["q-orchid"]["candidates"]
    assert orchid and orchid[0]["match"]["id"] == "csl-fic-1"
    listing = [e for e in orchid[0]["expanded"] if e["schema"] == "Sanction"]
    # the CSL listing arrives nested, and the client links it back to the party
    assert len(listing) == 1 and listing[0]["properties"]["entity"] == ["csl-fic-1"]
    assert listing[0]["properties"]["startDate"] == ["2025-03-01"] and listing[0]["properties"]["description"] == ["90 FR 12345, 3/1/25"]

    assert by_query["q-nobody"]["candidates"] == []


def test_nomenklatura_client_with_a_wrong_key_is_refused(client_python: Path, server: tuple[str, str], tmp_path: Path) -> None:
    base, _ = server
    out = run_client(client_python, base, "cw_000000000000_not-a-key", [company("q1", "Qinghe Cloud Computing")], tmp_path)
    assert out[0]["error"] == "EnrichmentAbort" and "Authorization" in out[0]["message"]


def test_openrefine_reconciles_a_spreadsheet(server: tuple[str, str]) -> None:
    base, key = server
    service = f"{base}reconcile/default?api_key={key}"  # OpenRefine sends no headers: the key is in the URL
    with httpx.Client(timeout=30) as http:
        manifest = http.get(service).json()
        assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] and manifest["schemaSpace"]
        assert {t["id"] for t in manifest["defaultTypes"]} >= {"Company", "Person"}
        rows = {
            "q0": {"query": "Qinghe Cloud Computing Technology", "type": "Company", "limit": 3,
                   "properties": [{"pid": "country", "v": "cn"}]},
            "q1": {"query": "林巧雨", "type": "Person"},
            "q2": {"query": "Harbour Light Bakery Cooperative", "type": "Company"},
        }  # fmt: skip
        r = http.post(service, data={"queries": json.dumps(rows)})  # form-encoded, as OpenRefine posts
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["q0"]["result"][0]["id"] == "fic-qinghe" and result["q0"]["result"][0]["match"] is True
        assert result["q0"]["result"][0]["type"][0]["id"] == "Company" and 0 < result["q0"]["result"][0]["score"] <= 1
        assert result["q1"]["result"][0]["id"] == "fic-person"
        assert all(not c["match"] for c in result["q2"]["result"])

        suggest = manifest["suggest"]["entity"]
        found = http.get(suggest["service_url"] + suggest["service_path"] + "&prefix=qing").json()
        assert [c["id"] for c in found["result"]] == ["fic-qinghe"]
        preview = http.get(manifest["preview"]["url"].replace("{{id}}", "fic-qinghe"))
        assert preview.status_code == 200 and "Qinghe Cloud Computing" in preview.text and "text/html" in preview.headers["content-type"]
        # OpenRefine shows the preview in a frame of its own origin: it may be framed, and still runs nothing
        assert "X-Frame-Options" not in preview.headers and "frame-ancestors" not in preview.headers["content-security-policy"]
        assert "script-src" not in preview.headers["content-security-policy"] and "default-src 'none'" in preview.headers["content-security-policy"]
        assert http.get(service).headers["X-Frame-Options"] == "DENY"  # the rest of the service is not framed
        extend = http.post(service, data={"extend": json.dumps({"ids": ["fic-qinghe"], "properties": [{"id": "country"}]})}).json()
        assert extend["rows"]["fic-qinghe"]["country"] == [{"str": "China"}]


def test_reconciliation_refuses_without_a_key_and_with_bad_queries(server: tuple[str, str]) -> None:
    base, key = server
    with httpx.Client(timeout=30) as http:
        assert http.get(f"{base}reconcile/default").status_code == 401
        assert http.get(f"{base}reconcile/default?api_key=cw_0_wrong").status_code == 401
        bad = http.post(f"{base}reconcile/default?api_key={key}", data={"queries": "{not json"})
        assert bad.status_code == 422 and "not JSON" in bad.json()["message"]
        assert http.post(f"{base}reconcile/nowhere?api_key={key}", data={"queries": "{}"}).status_code == 404
