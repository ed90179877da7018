"""Command line: parses arguments, calls the core, formats. No logic of its own."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from computewatch.errors import ComputewatchError

app = typer.Typer(no_args_is_help=True, add_completion=False, help="computewatch: who really uses advanced AI compute.")
console = Console(stderr=True)


def _register_commands() -> None:
    # Each capability owns its commands in its own module and registers them here.
    from computewatch.commands import register_all

    register_all(app)


def main() -> None:
    _register_commands()
    try:
        app(standalone_mode=False)
    except ComputewatchError as err:
        console.print(f"[red]error:[/red] {err}", highlight=False)
        sys.exit(err.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as err:  # click usage errors
        import click

        if isinstance(err, click.exceptions.UsageError):
            err.show()
            sys.exit(2)
        if isinstance(err, click.exceptions.Exit):
            sys.exit(err.exit_code)
        raise
