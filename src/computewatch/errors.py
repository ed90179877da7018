"""Error types. Raised deep inside, rendered once for people at the edge (CLI, API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_PROBLEMS_SHOWN = 50


class ComputewatchError(Exception):
    """Root of every error computewatch raises on purpose."""

    exit_code = 1


@dataclass
class InputProblem:
    file: str
    line: int | None
    field: str | None
    reason: str
    refuses_file: bool = False  # damage (bad encoding, NUL bytes, absurd size, truncation): the whole load is refused

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.reason}"


class InputError(ComputewatchError):
    """Bad input data: names file, line and field of every problem found."""

    refused_files: list[str] | None = None  # set when damage refused the whole load

    def __init__(self, file: str | Path, line: int | None, field: str | None, reason: str):
        self.problems = [InputProblem(str(file), line, field, reason)]
        super().__init__(str(self.problems[0]))

    @classmethod
    def many(cls, problems: list[InputProblem]) -> InputError:
        err = cls(problems[0].file, problems[0].line, problems[0].field, problems[0].reason)
        err.problems = list(problems)
        return err

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        if self.refused_files:
            shown.append(f"nothing was loaded: {', '.join(self.refused_files)} cannot be read as a whole")
        return "\n".join(shown)


def refuse_damaged(problems: list[InputProblem]) -> None:
    """Raise for every problem when one of them means a file is damaged (nothing of the load is stored)."""
    if any(p.refuses_file for p in problems):
        damaged = sorted({p.file for p in problems if p.refuses_file})
        shown = sorted(problems, key=lambda p: (not p.refuses_file, p.file, p.line or 0, p.field or ""))
        err = InputError.many(shown)
        err.refused_files = damaged
        raise err


class UsageError(ComputewatchError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


@dataclass
class NotFound(ComputewatchError):
    what: str
    key: str
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        msg = f"unknown {self.what}: {self.key!r}"
        if self.suggestions:
            msg += "; closest: " + ", ".join(self.suggestions)
        return msg
