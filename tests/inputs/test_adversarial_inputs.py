"""Bad input at every door (issue 13): legacy encodings are read where unambiguous (with a warning),
everything else is refused with the file named, exit 1, no traceback, and the workspace (a copy of
the demo workspace) unchanged byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from adversarial import DOORS, Harness, Result, table


def _unexpected(results: list[Result]) -> list[str]:
    return [f"{r.case.door.name} / {r.case.kind}: {r.verdict} (expected {r.expected}), changed={r.changed}: {r.message}"
            for r in results if not r.as_expected]  # fmt: skip


@pytest.mark.slow
def test_every_door_refuses_bad_input_clearly_and_changes_nothing(tmp_path: Path) -> None:
    harness = Harness(tmp_path, big_field=2 * 2**20)
    results = harness.run()
    print(table(results))
    assert len(results) == 243 and len({r.case.door.name for r in results}) == len(DOORS)
    assert [r for r in results if r.verdict == "traceback"] == []
    assert [r.case.kind for r in results if r.changed and r.failed] == []
    assert _unexpected(results) == []
    legacy = [r for r in results if r.case.kind == "GBK" and r.case.door.suffix != ".txt"]
    assert all("read as GB18030" in r.outcome.stderr for r in legacy)  # the warning names the encoding
    nul = [r for r in results if r.case.kind == "NUL bytes in a field" and r.case.door.suffix != ".txt"]
    assert all("NUL" in r.outcome.stderr and ("field '" in r.outcome.stderr) for r in nul)  # line and field named


@pytest.mark.slow
def test_a_50_mb_field_is_refused_naming_line_and_field(tmp_path: Path) -> None:
    doors = [d for d in DOORS if d.name in ("lists load (CSL CSV)", "ingest usage", "cases import")]
    results = Harness(tmp_path, big_field=50 * 2**20).run(doors, kinds={"a 50 MB field"})
    assert len(results) == 3 and _unexpected(results) == []
    for r in results:
        said = " ".join(r.outcome.stderr.split())
        assert ", line 2, field '" in said or ", line 1, field '" in said, said
        assert "52,428,800 characters long" in said
