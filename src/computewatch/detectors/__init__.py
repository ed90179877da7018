"""Detectors over the operational data of cloud providers and data-centre operators (S1, S2, S5).

One module per evasion pattern, each with metadata (``METADATA``: id, title,
scenario, severity, references, thresholds) and ``detect(ctx) -> list[Alert]``.
Their table work goes through ``computewatch.engine`` so it runs on DuckDB or Spark; a detector
whose metadata says ``runs_on="local"`` (S7 shipments, S9 party-listed) runs in this process on
the workspace's DuckDB file whatever the engine, and the run names it (``DetectionRun.local``).

Public API::

    run_detectors(workspace, as_of, engine="duckdb", settings=None) -> DetectionRun
    load_detectors() -> list[Detector]      # refuses a detector lacking metadata
    Alert, Evidence, DetectorMeta
    demo_detectors(workspace) -> list[str]
"""

from __future__ import annotations

from computewatch.alerts.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.demo import demo_detectors
from computewatch.detectors.registry import Detector, load_detectors
from computewatch.detectors.runner import DetectionRun, run_detectors

__all__ = [
    "Alert",
    "DetectionRun",
    "Detector",
    "DetectorMeta",
    "Evidence",
    "demo_detectors",
    "load_detectors",
    "run_detectors",
]
