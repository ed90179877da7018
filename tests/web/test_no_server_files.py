"""Imported records never make the server open a path: a tender page shows only what the workspace stored
(the notice text kept at scan time), and no response names a server path."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from api_fixtures import Api
from test_pages import login

from computewatch.cases.db import open_case_db
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore

SECRET = "TOP-SECRET-LINE-4711"
NOTICE = "采购人：青禾云算科技有限公司\n采购内容：租用 NVIDIA H100 SXM GPU 云服务器 64 台\n"


def flagged_tender(file: str, **extra: object) -> dict[str, object]:
    return {"file": file, "title": "GPU cloud rental", "buyer": "Qinghe Cloud", "agency": None, "suppliers": [],
            "amount_cny": None, "date": "2025-11-01", "items": [{"text": "H100 rental", "chip": "H100-SXM"}],
            "flagged": True, "reasons": ["rents H100 compute"], "parties_screened": [], **extra}  # fmt: skip


@pytest.fixture
def secret_files(tmp_path: Path) -> list[Path]:
    files = []
    for suffix in (".txt", ".html", ".pdf"):
        path = tmp_path / f"server-secret{suffix}"
        path.write_text(f"<p>{SECRET}</p>\n" if suffix == ".html" else f"{SECRET}\n")
        files.append(path)
    return files


@pytest.mark.parametrize("index", [0, 1, 2])
def test_an_imported_tender_record_cannot_show_a_server_file(api: Api, secret_files: list[Path], index: int) -> None:
    path = secret_files[index]
    r = api.post("/cases/import", json={"records": [flagged_tender(str(path))]})
    assert r.status_code == 200 and len(r.json()["created"]) == 1, r.text
    [cid] = r.json()["created"]
    login(api, "viewer")
    page = api.client.get(f"/ui/tenders/{cid}")
    assert page.status_code == 200
    assert SECRET not in page.text
    assert "not stored" in page.text  # says why there is no text, instead of opening the path


def test_a_relative_path_in_a_record_is_not_followed_either(api: Api, secret_files: list[Path]) -> None:
    relative = "../" * 12 + str(secret_files[0]).lstrip("/")
    [cid] = api.post("/cases/import", json={"records": [flagged_tender(relative)]}).json()["created"]
    login(api, "viewer")
    assert SECRET not in api.client.get(f"/ui/tenders/{cid}").text


def test_a_record_imported_from_the_command_line_path_cannot_show_a_server_file(api: Api, secret_files: list[Path]) -> None:
    with open_case_db(api.home) as db, db.session() as session:  # what `computewatch cases import` does
        [cid] = import_records(CaseStore(session, "cli"), [flagged_tender(str(secret_files[0]))], "tenders.jsonl").created
    login(api, "viewer")
    assert SECRET not in api.client.get(f"/ui/tenders/{cid}").text


def test_the_text_a_record_carries_is_shown_escaped(api: Api, secret_files: list[Path]) -> None:
    record = flagged_tender(str(secret_files[0]), text="Notice says <b>H100</b> rental")
    [cid] = api.post("/cases/import", json={"records": [record]}).json()["created"]
    login(api, "viewer")
    page = api.client.get(f"/ui/tenders/{cid}").text
    assert "&lt;b&gt;<mark>H100</mark>&lt;/b&gt;" in page and SECRET not in page


def test_an_uploaded_notice_shows_the_text_stored_at_scan_time(api: Api) -> None:
    rec = api.post("/tenders?open_case=true", files={"file": ("s1.txt", NOTICE.encode(), "text/plain")}).json()
    assert rec["case_id"] and "H100" in rec["text"]
    for kept in (api.home / "uploads").rglob("*"):  # the page does not read the saved upload again
        if kept.is_file():
            kept.write_text(SECRET)
    login(api, "viewer")
    page = api.client.get(f"/ui/tenders/{rec['case_id']}").text
    assert "青禾云算科技有限公司" in page and "<mark>" in page and SECRET not in page


def test_a_scanned_notice_keeps_its_text_for_the_case(tmp_path: Path) -> None:
    from computewatch.tenders.scan import NoticeScanner

    path = tmp_path / "notice.txt"
    path.write_text(NOTICE)
    record = NoticeScanner(None).scan_file(path)
    assert "青禾云算科技有限公司" in record["text"]
    json.dumps(record)  # stays one JSON line


def _no_paths(text: str, api: Api) -> None:
    assert str(api.home) not in text and str(api.home.resolve()) not in text
    assert tempfile.gettempdir() + "/" not in text


def test_an_upload_response_names_no_server_path(api: Api) -> None:
    r = api.post("/tenders?open_case=true", files={"file": ("s1.txt", NOTICE.encode(), "text/plain")})
    assert r.status_code == 200
    _no_paths(r.text, api)
    case = api.get(f"/cases/{r.json()['case_id']}")
    _no_paths(case.text, api)


def test_an_upload_keeps_its_own_text_as_it_was(api: Api) -> None:
    notice = NOTICE + f"备注：日志见 {tempfile.gettempdir()}/gpu-logs 与 /srv/data\n"
    rec = api.post("/tenders", files={"file": ("s1.txt", notice.encode(), "text/plain")}).json()
    assert f"{tempfile.gettempdir()}/gpu-logs 与 /srv/data" in rec["text"]
    assert rec["file"].startswith("uploads/tenders/") and rec["file"].endswith("-s1.txt")


def test_a_broken_upload_names_no_server_path(api: Api) -> None:
    for name, content in [("broken.pdf", b"%PDF-1.4\n1 0 obj garbage"), ("bin.txt", bytes(range(256)) * 4),
                          ("x.html", b"\x00\x01\x02<html")]:  # fmt: skip
        r = api.post("/tenders", files={"file": (name, content, "application/octet-stream")})
        assert r.status_code in (200, 422), r.text
        _no_paths(r.text, api)


def test_the_web_upload_pages_name_no_server_path(api: Api) -> None:
    from test_pages import csrf_of

    login(api)
    token = csrf_of(api.client.get("/ui/tenders").text)
    page = api.client.post("/ui/tenders", data={"csrf": token}, files={"file": ("broken.pdf", b"%PDF-1.4 junk", "application/pdf")})
    _no_paths(page.text, api)
    token = csrf_of(api.client.get("/ui/locate").text)
    bad = b"chip_id,claimed_country\nc1,XX\n"
    page = api.client.post("/ui/locate", data={"csrf": token}, files={"file": ("probes.csv", bad, "text/csv")})
    assert page.status_code == 422
    assert "probes.csv" in page.text
    _no_paths(page.text, api)


def test_a_stored_id_cannot_steer_a_link_out_of_its_place(api: Api) -> None:
    from test_pages import _alert

    api.post("/alerts", json={"alerts": [{**_alert("t1", subject="../../docs?x="), "as_of": "2025-12-01&next=//evil.example"}]})
    login(api)
    cid = api.get("/cases").json()["results"][0]["id"]
    page = api.client.get(f"/ui/cases/{cid}").text
    assert 'href="/ui/entities/..%2F..%2Fdocs%3Fx%3D?as_of=2025-12-01"' in page
    assert "/ui/entities/../" not in page
