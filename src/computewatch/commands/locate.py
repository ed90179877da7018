"""`computewatch locate verify`: parse arguments, call computewatch.locate, write records."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from computewatch.errors import InputError, InputProblem, UsageError
from computewatch.settings import default_settings

console = Console(stderr=True)


def _write_atomically(path: Path, lines: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(lines)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_keys(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    problems = []
    from computewatch.sources.inputfiles import decoding, open_text, text_encoding

    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as handle:
        reader = csv.DictReader(handle)
        for field in ("chip_id", "public_key"):
            if field not in (reader.fieldnames or []):
                raise InputError(path, 1, field, "required column is missing")
        for row in reader:
            key = (row.get("public_key") or "").strip().lower()
            if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
                problems.append(InputProblem(str(path), reader.line_num, "public_key", "must be 64 hex digits"))
                continue
            keys[(row.get("chip_id") or "").strip()] = key
    if problems:
        raise InputError.many(problems)
    return keys


def register(app: typer.Typer) -> None:
    locate = typer.Typer(no_args_is_help=True, help="Chip location verification from signed round-trip times (S8).")
    app.add_typer(locate, name="locate")

    @locate.command("verify")
    def verify(
        probes: Annotated[Path, typer.Argument(help="probes table: CSV with header, or JSON lines (.jsonl)")],
        out: Annotated[Path, typer.Option("--out", help="verdicts, one JSON line per chip")],
        map_dir: Annotated[Path | None, typer.Option("--map-dir", help="write one HTML map per chip here")] = None,
        keys: Annotated[Path | None, typer.Option("--keys", help="CSV chip_id,public_key: registered device keys")] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", help="verification time (ISO 8601); default: each chip's newest probe")] = None,
        countries: Annotated[str, typer.Option("--countries", help="feasible countries for: all, inconsistent, none")] = "all",
    ) -> None:
        """Decide for every chip whether its claimed site or country fits its round-trip times."""
        from computewatch.locate.map import render_map
        from computewatch.locate.probes import parse_ts, read_probes
        from computewatch.locate.verify import verify_table

        if countries not in ("all", "inconsistent", "none"):
            raise UsageError("--countries must be all, inconsistent or none")
        try:
            when = parse_ts(as_of) if as_of else None
        except ValueError as err:
            raise UsageError(f"--as-of {as_of!r} is not an ISO 8601 timestamp") from err
        table = read_probes(probes)
        registry = _read_keys(keys) if keys else None
        verdicts = verify_table(
            table, default_settings().locate, keys=registry, as_of=when, countries=countries  # type: ignore[arg-type]
        )
        _write_atomically(out, [orjson.dumps(v.to_record()) + b"\n" for v in verdicts])
        if map_dir:
            map_dir.mkdir(parents=True, exist_ok=True)
            for v in verdicts:
                name = "".join(c if c.isalnum() or c in "-_." else "_" for c in v.chip_id)
                _write_atomically(map_dir / f"{name}.html", [render_map(v).encode()])
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.status] = counts.get(v.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        console.print(f"{len(verdicts)} chip(s): {summary} -> {out}", highlight=False)

