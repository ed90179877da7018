"""Command line: parses arguments, calls the core, formats. No logic of its own."""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from computewatch.errors import ComputewatchError

app = typer.Typer(no_args_is_help=True, add_completion=False, help="computewatch: who really uses advanced AI compute.")
console = Console(stderr=True)


def _register_commands() -> None:
    # Each capability owns its commands in its own module and registers them here.
    from computewatch.commands import register_all

    if not (app.registered_commands or app.registered_groups):  # once, even when main() runs again in-process
        register_all(app)


class _WarningsToConsole(logging.Handler):
    """Warnings of the core (e.g. a file read as GB18030, not UTF-8) shown to the person at the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        console.print(f"[yellow]warning:[/yellow] {record.getMessage()}", highlight=False, soft_wrap=True)


def _show_warnings() -> None:
    logger = logging.getLogger("computewatch")
    if not any(isinstance(h, _WarningsToConsole) for h in logger.handlers):
        logger.addHandler(_WarningsToConsole(logging.WARNING))


def main() -> None:
    """Exit codes: 0 success, 1 problems in the input (named by file, line, field), 2 usage errors."""
    _register_commands()
    _show_warnings()
    try:
        app()  # standalone: click prints usage errors itself and exits 2
    except ComputewatchError as err:
        console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
        sys.exit(err.exit_code)
