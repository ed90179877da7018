"""Errors of the case store (rendered by the CLI and mapped to HTTP statuses by api/errors.py)."""

from __future__ import annotations

from computewatch.errors import ComputewatchError


class CaseConflict(ComputewatchError):
    """A change that the case's current state does not allow (e.g. deciding a closed case)."""


class CaseInputError(ComputewatchError):
    """A bad value for a case field (an unknown status, an empty reason...)."""
