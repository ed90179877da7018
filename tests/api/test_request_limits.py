"""Request bodies have a configurable limit (413, checked before parsing, chunked bodies too), and error
bodies stay short: a 422 does not repeat a large request back."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from api_fixtures import Api, make_api

from computewatch.settings import Settings

SMALL = Settings(api={"max_body_bytes": 5_000, "max_upload_bytes": 2_000})


@pytest.fixture
def small(tmp_path: Path, built_workspace: Path) -> Iterator[Api]:
    api = make_api(tmp_path, built_workspace, SMALL)
    yield api
    api.db.close()


def _match_body(size: int) -> bytes:
    name = "Qinghe Cloud " + "x" * size
    return orjson.dumps({"queries": {"q1": {"schema": "Company", "properties": {"name": [name]}}}})


def test_a_body_over_the_limit_is_413_with_a_short_message(small: Api) -> None:
    r = small.client.post("/match/default", content=_match_body(6_000), headers={**small.headers("viewer"), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert "5000" in r.json()["detail"] and len(r.content) < 300
    ok = small.client.post("/match/default", content=_match_body(100), headers={**small.headers("viewer"), "Content-Type": "application/json"})
    assert ok.status_code == 200


def test_the_limit_is_checked_before_the_body_is_read(small: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A declared Content-Length over the limit is refused without parsing (nor authenticating) anything."""
    import computewatch.api.auth as auth

    def must_not_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("authenticated a request that should have been refused first")

    monkeypatch.setattr(auth, "authenticate", must_not_run)
    r = small.client.post("/match/default", content=b"{" + b" " * 10_000 + b"}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_a_chunked_body_without_content_length_is_counted(small: Api) -> None:
    def chunks() -> Iterator[bytes]:
        body = _match_body(20_000)
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    r = small.client.post("/match/default", content=chunks(), headers={**small.headers("viewer"), "Content-Type": "application/json"})
    assert r.status_code == 413 and "5000" in r.json()["detail"]


def test_uploads_may_be_as_large_as_the_upload_limit_and_no_larger(small: Api) -> None:
    notice = "采购内容：租用 NVIDIA H100 SXM GPU 云服务器\n".encode() + b" " * 1_500
    assert small.post("/tenders", files={"file": ("n.txt", notice, "text/plain")}).status_code == 200
    r = small.post("/tenders", files={"file": ("n.txt", notice + b" " * 200_000, "text/plain")})
    assert r.status_code == 413


def test_web_forms_are_limited_too(small: Api) -> None:
    r = small.client.post("/ui/login", data={"api_key": "x" * 10_000})
    assert r.status_code == 413


def test_the_default_limit_refuses_a_20_mb_match_body(api: Api) -> None:
    body = _match_body(20_000_000)
    r = api.client.post("/match/default", content=body, headers={**api.headers("viewer"), "Content-Type": "application/json"})
    assert r.status_code == 413 and len(r.content) < 300


def test_a_422_does_not_echo_a_large_body(api: Api) -> None:
    big = "A" * 2_000_000
    r = api.post("/match/default", role="viewer", json={"queries": big})
    assert r.status_code == 422
    assert len(r.content) < 5_000 and big[:1000] not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "queries"]  # still says where and what


def test_a_422_on_many_fields_stays_short(api: Api) -> None:
    queries = {f"q{i}": {"schema": 7, "properties": "x" * 1000} for i in range(2_000)}
    r = api.post("/match/default", role="viewer", json={"queries": queries})
    assert r.status_code == 422 and len(r.content) < 20_000
    assert "more errors" in r.json()["message"]


def test_an_error_message_from_the_core_is_capped(api: Api) -> None:
    name = "n" * 3_000 + ".exe"  # the refusal names the file it was sent, in part
    r = api.post("/tenders", files={"file": (name, b"MZ", "application/octet-stream")})
    assert r.status_code == 422 and ".html" in r.json()["message"] and "nnnnnnnn" in r.json()["message"]
    assert len(r.content) < 1_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_real_server_refuses_a_chunked_body_over_the_limit(tmp_path: Path, built_workspace: Path) -> None:
    """Through uvicorn with a raw HTTP/1.1 client: a chunked body with no Content-Length is cut off at the limit."""
    import uvicorn

    api = make_api(tmp_path, built_workspace, SMALL)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(api.client.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        # The whole chunked request goes out in one sendall, so it sits in the server's socket buffer before
        # the server answers: the answer is then read without racing the upload (no reset mid-stream).
        body = _match_body(20_000)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 4096]), body[i : i + 4096]) for i in range(0, len(body), 4096))
        head = "".join(f"{k}: {v}\r\n" for k, v in {**api.headers("viewer"), "Content-Type": "application/json"}.items())
        request = (f"POST /match/default HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Transfer-Encoding: chunked\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request + chunks + b"0\r\n\r\n")
            response = http.client.HTTPResponse(sock)
            response.begin()
            assert response.status == 413
            assert len(response.read()) < 300
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        api.db.close()
