"""With CI=true set, a test that skips (a missing PostgreSQL URL, browser or package) fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(f"import sys\nsys.path.insert(0, {str(TESTS)!r})\nfrom ci_skips import pytest_runtest_makereport\n")
    (tmp_path / "test_needs_a_service.py").write_text(
        "import os, pytest\n"
        "def test_postgres():\n"
        "    if not os.environ.get('SOME_SERVICE_URL'):\n"
        "        pytest.skip('needs SOME_SERVICE_URL')\n"
        "@pytest.mark.xfail(reason='known')\n"
        "def test_known_bug():\n"
        "    assert False\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SOME_SERVICE_URL")}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip


def test_a_skip_fails_in_ci(tmp_path: Path) -> None:
    done = _run(tmp_path, "true")
    assert done.returncode == 1, done.stdout
    assert "1 failed" in done.stdout and "1 xfailed" in done.stdout
    assert "skipped in CI, where every test must run: needs SOME_SERVICE_URL" in done.stdout


def test_outside_ci_a_skip_is_a_skip(tmp_path: Path) -> None:
    done = _run(tmp_path, None)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "1 xfailed" in done.stdout
