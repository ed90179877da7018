"""Where is the chip? Delay-based location verification from signed round-trip times.

Python API:
    read_probes(path) -> ProbeTable
    verify_table(table, settings, keys=..., as_of=..., countries=...) -> list[Verdict]
    verify_probes(probes, ...) -> list[Verdict]
    decide(DiskBatch) -> BatchDecision          (vectorised core, numpy arrays)
    render_map(verdict) -> str                   (self-contained HTML with inline SVG)
    ChipAgent, Landmark, simulate_probes         (protocol reference implementation)
"""

from computewatch.locate.agent import ChipAgent, Site, simulate_probes
from computewatch.locate.batch import BatchDecision, DiskBatch, decide
from computewatch.locate.bounds import Bestline, fit_bestline, physical_bound_km
from computewatch.locate.probes import Probe, ProbeTable, read_probes
from computewatch.locate.protocol import Answer, Challenge, Landmark, challenge_message
from computewatch.locate.verify import Verdict, verify_probes, verify_table

__all__ = [
    "Answer", "BatchDecision", "Bestline", "Challenge", "ChipAgent", "DiskBatch", "Landmark",
    "Probe", "ProbeTable", "Site", "Verdict", "challenge_message", "decide", "fit_bestline",
    "physical_bound_km", "read_probes", "simulate_probes", "verify_probes", "verify_table",
]
