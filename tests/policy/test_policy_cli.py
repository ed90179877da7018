"""`computewatch classify` and `computewatch rules`: output shapes and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from computewatch.commands import policy as policy_commands
from computewatch.errors import NotFound, UsageError
from computewatch.policy import UnknownChip

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    policy_commands.register(app)
    return app


def run_json(app: typer.Typer, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_classify_json_matches_the_contract(app: typer.Typer) -> None:
    data = run_json(app, "classify", "H100-SXM", "--destination", "CN", "--date", "2024-06-01")
    assert list(data)[:8] == ["chip", "tpp", "performance_density", "eccn", "destination", "date", "license_required", "rules"]
    assert data["chip"] == "H100-SXM"
    assert data["tpp"] == 15832.0
    assert data["performance_density"] == 19.45
    assert data["eccn"] == "3A090.a"
    assert data["destination"] == "CN"
    assert data["date"] == "2024-06-01"
    assert data["license_required"] is True
    assert {"id": "ac-2023-licence-d5-mo", "source": "88 FR 73458", "effective": "2023-11-17"} in [
        {k: r[k] for k in ("id", "source", "effective")} for r in data["rules"]
    ]


def test_classify_from_specs_with_end_user(app: typer.Typer) -> None:
    data = run_json(app, "classify", "--tpp", "4800", "--die-area", "2000", "--destination", "MY",
                    "--end-user-hq", "CN", "--date", "2024-06-01")
    assert (data["tpp"], data["performance_density"], data["eccn"], data["license_required"]) == (4800.0, 2.4, "3A090.a", True)
    not_dc = run_json(app, "classify", "--tpp", "4000", "--die-area", "500", "--not-datacenter", "--destination", "CN")
    assert not_dc["eccn"] is None and not_dc["license_required"] is False
    listed = run_json(app, "classify", "RTX 3060", "--destination", "DE", "--end-user-listed")
    assert listed["license_required"] is True and listed["rules"][-1]["id"] == "entity-list"


def test_classify_table_output(app: typer.Typer) -> None:
    result = runner.invoke(app, ["classify", "A800 80GB", "--destination", "CN", "--date", "2023-11-16"])
    assert result.exit_code == 0
    assert "A800" in result.output and "not 3A090/4A090" in result.output and "no" in result.output


@pytest.mark.parametrize(
    ("args", "error", "exit_code", "says"),
    [
        (["classify", "H10"], UnknownChip, 2, "closest: H100"),
        (["classify"], UsageError, 2, "CHIP"),
        (["classify", "H100", "--tpp", "5000"], UsageError, 2, "--die-area"),
        (["classify", "H100", "--date", "2024-13-01"], UsageError, 2, "2024-13-01"),
        (["classify", "H100", "--destination", "China"], UsageError, 2, "China"),
        (["classify", "H100", "--end-user-hq", "XX"], UsageError, 2, "XX"),
        (["rules", "show", "no-such-rule"], NotFound, 1, "unknown rule: 'no-such-rule'; closest:"),
    ],
)
def test_usage_problems_raise_typed_errors(app: typer.Typer, args: list[str], error: type[Exception], exit_code: int, says: str) -> None:
    result = runner.invoke(app, args)
    assert type(result.exception) is error, repr(result.exception)  # exactly this type: not any exception
    assert result.exception.exit_code == exit_code  # type: ignore[union-attr]
    assert says in str(result.exception)


def test_unknown_chip_exits_2_with_closest_names() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from computewatch.cli import main; main()", "classify", "H10"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "H100-SXM" in proc.stderr


def test_rules_list_as_of_a_date(app: typer.Typer) -> None:
    data = run_json(app, "rules", "list", "--as-of", "2025-03-01")
    status = {r["id"]: r["status"] for r in data["rules"]}
    assert status["ai-diffusion-2025"] == "issued, compliance pending"
    assert status["ac-2024-12-3a090"] == "in force"
    assert "ac-2023-3a090" not in status
    assert "ac-2026-01-review" not in status
    everything = run_json(app, "rules", "list", "--as-of", "2025-03-01", "--all")
    assert len(everything["rules"]) > len(data["rules"])


def test_rules_show(app: typer.Typer) -> None:
    data = run_json(app, "rules", "show", "ai-diffusion-2025", "--as-of", "2025-06-01")
    assert data["source"] == "90 FR 4544"
    assert data["rescinded"] == "2025-05-13"
    assert data["status"] == "no longer in force"


def test_list_chips(app: typer.Typer) -> None:
    result = runner.invoke(app, ["classify", "--list-chips", "--json"])
    names = [c["name"] for c in json.loads(result.output)]
    assert "H100-SXM" in names and len(names) >= 20
