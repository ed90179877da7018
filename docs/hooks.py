"""MkDocs hooks: generate the references that must not drift from the code.

- docs/reference/cli.md: Typer's own Markdown docs of the command line (`typer ... utils docs`);
- docs/reference/openapi.json: the schema the HTTP app serves, rendered by neoteroi's OpenAPI plugin;
- docs/reference/settings.md: every setting, from the typed settings models (name, environment, default, meaning).
They are written before the build and are not committed.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer
import typer.cli

REFERENCE = Path(__file__).parent / "reference"

CLI_INTRO = """\
Generated from the command line itself (`computewatch COMMAND --help` shows the same).
Every command exits 0 on success, 1 when its input has problems (each named by file,
line and field), 2 on usage errors.

"""


def cli_reference() -> str:
    import computewatch.cli as cli

    cli._register_commands()
    command = typer.main.get_command(cli.app)
    docs = typer.cli.get_docs_for_click(obj=command, ctx=typer.Context(command), name="computewatch", title="CLI reference")
    title, _, rest = docs.partition("\n")
    return f"{title}\n\n{CLI_INTRO}{rest.lstrip()}"


def _settings_rows(model: type, prefix: str) -> list[str]:
    from pydantic import BaseModel

    rows = []
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        path = f"{prefix}{name}"
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            rows += _settings_rows(kind, f"{path}.")
            continue
        default = info.get_default(call_default_factory=True)
        shown = json.dumps(default, ensure_ascii=False, default=str) if not isinstance(default, str) else default
        if len(shown) > 80:
            shown = shown[:77] + "..."
        env = "COMPUTEWATCH_" + path.upper().replace(".", "__")
        meaning = (info.description or "").replace("|", "\\|")
        rows.append(f"| `{path}` | `{env}` | `{shown}` | {meaning} |".replace("``", "` `"))
    return rows


def settings_reference() -> str:
    from computewatch.settings import Settings

    head = [
        "# Settings reference",
        "",
        "Generated from the typed settings models (`computewatch.settings`), so it cannot drift.",
        "Each is read from its environment variable, or from the TOML file named by",
        "`COMPUTEWATCH_CONFIG` (the dotted name as `[section]` and key). See [Settings](../settings.md).",
        "",
        "| setting | environment | default | meaning |",
        "|---|---|---|---|",
    ]
    return "\n".join(head + _settings_rows(Settings, "")) + "\n"


def openapi_schema() -> dict:
    from computewatch.api.app import create_app

    with tempfile.TemporaryDirectory() as workspace:
        return create_app(workspace=workspace).openapi()


def on_pre_build(config, **kwargs):  # type: ignore[no-untyped-def]
    REFERENCE.mkdir(exist_ok=True)
    (REFERENCE / "cli.md").write_text(cli_reference(), encoding="utf-8")
    (REFERENCE / "settings.md").write_text(settings_reference(), encoding="utf-8")
    schema = json.dumps(openapi_schema(), indent=1, ensure_ascii=False)
    (REFERENCE / "openapi.json").write_text(schema + "\n", encoding="utf-8")
