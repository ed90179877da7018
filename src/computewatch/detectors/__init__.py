"""Detectors over the operational data of cloud providers and data-centre operators (S1, S2, S5).

One module per evasion pattern, each with metadata (``METADATA``: id, title,
scenario, severity, references, thresholds) and ``detect(ctx) -> list[Alert]``.
Their table work goes through ``computewatch.engine`` so it runs on DuckDB or Spark.

Public API (imported lazily: settings.py imports detectors.settings)::

    run_detectors(workspace, as_of, engine="duckdb", settings=None) -> DetectionRun
    load_detectors() -> list[Detector]      # refuses a detector lacking metadata
    Alert, Evidence, DetectorMeta
    demo_detectors(workspace) -> list[str]
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "run_detectors": "computewatch.detectors.runner",
    "DetectionRun": "computewatch.detectors.runner",
    "load_detectors": "computewatch.detectors.registry",
    "Detector": "computewatch.detectors.registry",
    "Alert": "computewatch.alerts.model",
    "Evidence": "computewatch.alerts.model",
    "DetectorMeta": "computewatch.alerts.model",
    "demo_detectors": "computewatch.detectors.demo",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
