"""The browser tests' server: it answers when it started, and the tests fail when it did not."""

from __future__ import annotations

import urllib.request

import pytest
from ui_server import live_server


async def _hello(scope, receive, send):  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello"})


def test_the_live_server_answers() -> None:
    with live_server(_hello) as url, urllib.request.urlopen(url, timeout=5) as response:
        assert response.read() == b"hello"


def test_a_server_that_never_starts_fails_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)  # returns at once, never serves
    with pytest.raises(pytest.fail.Exception, match="did not start"), live_server(_hello, timeout_s=2):
        pass
