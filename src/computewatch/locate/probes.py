"""The probes table is read by computewatch.sources.probes (one reader per format); these names stay here."""

from computewatch.sources.probes import (
    OPTIONAL,
    REQUIRED,
    Probe,
    ProbeTable,
    parse_probes,
    parse_ts,
    read_probes,
)

__all__ = ["OPTIONAL", "REQUIRED", "Probe", "ProbeTable", "parse_probes", "parse_ts", "read_probes"]
