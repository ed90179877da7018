"""`computewatch native build|status`: the compiled screening modules (computewatch/native.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from computewatch import native

native_app = typer.Typer(no_args_is_help=True, help="The screening modules compiled to C (mypyc): build them, or say whether they run.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@native_app.command("build")
def build(
    allow_failure: Annotated[bool, typer.Option("--allow-failure", help="Exit 0 when they cannot be built (no C compiler): screening then runs as pure Python.")] = False,
) -> None:
    """Compile the screening modules (a minute or so; needs mypy, from the dev extras, and a C compiler)."""
    try:
        with err.status("compiling the screening modules with mypyc"):
            native.build()
    except Exception as problem:  # no compiler, no headers, no mypyc: screening still works, slower
        err.print(f"[yellow]warning:[/yellow] the compiled screening modules were not built ({type(problem).__name__}: {problem}); screening runs as pure Python")
        raise typer.Exit(0 if allow_failure else 1) from None
    out.print(f"compiled {len(native.NATIVE_MODULES)} screening modules into {native.NATIVE_DIR}")


@native_app.command("status")
def status() -> None:
    """Whether the screening modules run compiled, and if not, why not."""
    import computewatch.screening.screener  # noqa: F401 - imports the hot path

    out.print(native.status())


def register(app: typer.Typer) -> None:
    app.add_typer(native_app, name="native")
