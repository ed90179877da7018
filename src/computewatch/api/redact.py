"""Responses never name a server path: an uploaded file is called by the name it was sent with (or its
place inside the workspace), the workspace and the temporary folder by a placeholder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from computewatch.errors import InputError, InputProblem

WORKSPACE = "<workspace>"
TMP = "<tmp>"


def server_paths(workspace: Path, extra: dict[str, str] | None = None, tmp: bool = True) -> dict[str, str]:
    """What to replace (server path -> what the client may see), longest first so a file inside the
    workspace is named before the workspace itself. Only absolute paths: a relative one tells nothing.
    `tmp=False` for a record's own text (a notice may well say "/tmp")."""
    found = dict(extra or {})
    for path in {str(workspace.resolve()), str(workspace.absolute())}:
        if len(path) > 1:
            found.setdefault(path, WORKSPACE)
    if tmp:
        for folder in {tempfile.gettempdir(), str(Path(tempfile.gettempdir()).resolve())}:
            found.setdefault(folder + "/", TMP + "/")
    return dict(sorted(found.items(), key=lambda kv: len(kv[0]), reverse=True))


def hide_text(text: str, replacements: dict[str, str]) -> str:
    for path, shown in replacements.items():
        if path in text:
            text = text.replace(path, shown)
    return text


def hide_paths(value: Any, replacements: dict[str, str]) -> Any:
    """`value` (a record: dicts, lists, strings) with every server path replaced."""
    if isinstance(value, str):
        return hide_text(value, replacements)
    if isinstance(value, dict):
        return {k: hide_paths(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [hide_paths(v, replacements) for v in value]
    return value


def upload_record(record: dict[str, Any], workspace: Path, saved: Path, folder: tuple[str, ...]) -> dict[str, Any]:
    """The scan record of an upload kept at `saved` (inside workspace/folder), as the client may see it:
    `file` is its place in the workspace, and no string names a server path (the notice's own words are
    left alone)."""
    shown = Path(*folder, saved.name).as_posix()
    hidden = server_paths(workspace, {str(saved): shown, str(saved.absolute()): shown}, tmp=False)
    public: dict[str, Any] = hide_paths(record, hidden)
    return public


def renamed(exc: InputError, path: Path, name: str) -> InputError:
    """The same input error, naming the uploaded file `name` instead of where the server kept it."""
    problems = [InputProblem(name if p.file == str(path) else p.file, p.line, p.field, p.reason) for p in exc.problems]
    return InputError.many(problems)
