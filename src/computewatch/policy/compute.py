"""Training compute from usage: GPU-hours x dense peak x utilisation, in operations."""

from __future__ import annotations

from dataclasses import dataclass

from computewatch.policy.catalogue import Accelerator, catalogue, find_chip

SECONDS_PER_HOUR = 3600
TERA = 1e12


@dataclass(frozen=True)
class TrainingCompute:
    chip: str
    precision: str
    gpu_hours: float
    utilisation: float
    peak_ops_per_second: float
    operations: float

    def explain(self) -> str:
        return (
            f"{self.gpu_hours:,.0f} GPU-hours x {self.peak_ops_per_second:.3g} ops/s dense {self.precision} "
            f"peak ({self.chip}) x {self.utilisation:.0%} utilisation = {self.operations:.3g} operations"
        )


def training_compute(
    accelerator: str | Accelerator,
    gpu_hours: float,
    utilisation: float,
    precision: str | None = None,
) -> TrainingCompute:
    """Operations performed: GPU-hours x 3600 x dense peak ops/s x utilisation.

    The peak is the chip's dense rate at ``precision`` (default: the catalogue's
    training_precision, else the chip's highest rate). For a system, GPU-hours
    count GPUs, not servers.
    """
    if gpu_hours < 0:
        raise ValueError("gpu_hours must not be negative")
    if not 0 <= utilisation <= 1:
        raise ValueError("utilisation must be between 0 and 1")
    cat = catalogue()
    acc = accelerator if isinstance(accelerator, Accelerator) else find_chip(accelerator)
    if acc.contains is not None:
        acc = cat.accelerators[acc.contains.chip]
    if not acc.dense_tops:
        raise ValueError(f"{acc.name} has no compute rates in the catalogue")
    wanted = precision or cat.training_precision
    if wanted not in acc.dense_tops:
        if precision is not None:
            raise ValueError(f"{acc.name} has no dense rate for {precision!r}; known: {sorted(acc.dense_tops)}")
        wanted = max(acc.dense_tops, key=lambda p: acc.dense_tops[p])
    peak = acc.dense_tops[wanted] * TERA
    ops = gpu_hours * SECONDS_PER_HOUR * peak * utilisation
    return TrainingCompute(acc.name, wanted, gpu_hours, utilisation, peak, ops)
