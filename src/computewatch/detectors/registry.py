"""Load the detector modules and refuse any that lacks its metadata (after pySigma's validators).

Every problem of every module is collected and reported together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from computewatch.alerts.model import RUNS_ON, SEVERITIES, Alert, DetectorMeta
from computewatch.errors import ComputewatchError
from computewatch.settings.detectors import DetectorSettings

# Run order matters only for ops-account-linkage, which reads the others' alerts (it runs before the S7
# shipment detector, whose alerts concern shipments and consignees, not accounts).
DETECTOR_MODULES = (
    "computewatch.detectors.reseller",
    "computewatch.detectors.token_resale",
    "computewatch.detectors.bulk_import",
    "computewatch.detectors.training_run",
    "computewatch.detectors.young_lessee",
    "computewatch.rescreen.detector",
    "computewatch.detectors.account_linkage",
    "computewatch.shipments.detector",
    "computewatch.locate.detector",
)
_SCENARIO = re.compile(r"^S[1-9]$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class DetectorError(ComputewatchError):
    """A detector module is incomplete: it is refused, with every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("refused detector(s):\n" + "\n".join(problems))


@dataclass(frozen=True)
class Detector:
    meta: DetectorMeta
    detect: Callable[[Any], list[Alert]]
    module: str


def check_module(module: ModuleType) -> list[str]:
    """Every reason to refuse the module; empty when it is complete."""
    name = module.__name__
    meta = getattr(module, "METADATA", None)
    problems = []
    if not isinstance(meta, DetectorMeta):
        return [f"{name}: no METADATA (a DetectorMeta with id, title, scenario, severity, references, thresholds)"]
    if not _ID.match(meta.id or ""):
        problems.append(f"{name}: id {meta.id!r} must be lower-case letters, digits and hyphens")
    if not (meta.title or "").strip():
        problems.append(f"{name}: title is empty")
    if not _SCENARIO.match(meta.scenario or ""):
        problems.append(f"{name}: scenario {meta.scenario!r} is not one of S1..S9")
    if meta.severity not in SEVERITIES:
        problems.append(f"{name}: severity {meta.severity!r} is not one of {', '.join(SEVERITIES)}")
    if not meta.references or not all(isinstance(r, str) and r.strip() for r in meta.references):
        problems.append(f"{name}: references must name at least one public source")
    if not isinstance(getattr(DetectorSettings(), meta.thresholds or "", None), BaseModel):
        problems.append(f"{name}: thresholds {meta.thresholds!r} is not a thresholds model in DetectorSettings")
    if meta.runs_on not in RUNS_ON:
        problems.append(f"{name}: runs_on {meta.runs_on!r} is not one of {', '.join(RUNS_ON)}")
    if not callable(getattr(module, "detect", None)):
        problems.append(f"{name}: no detect(ctx) function")
    return problems


def load_detectors(modules: Sequence[str] = DETECTOR_MODULES) -> list[Detector]:
    problems: list[str] = []
    found: list[Detector] = []
    for path in modules:
        try:
            module = import_module(path)
        except ImportError as exc:
            problems.append(f"{path}: cannot be imported ({exc})")
            continue
        issues = check_module(module)
        if issues:
            problems += issues
            continue
        found.append(Detector(module.METADATA, module.detect, path))
    ids = [d.meta.id for d in found]
    problems += [f"duplicate detector id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise DetectorError(problems)
    return found
