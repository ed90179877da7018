"""Questions detectors ask the policy module, cached: is this compute controlled for that country on
that day, is a country of concern, how many operations did this usage perform."""

from __future__ import annotations

from datetime import date

from computewatch.policy import (
    Classification,
    TrainingCompute,
    UnknownChip,
    classify_accelerator,
    groups_of,
    training_compute,
)
from computewatch.settings.detectors import DetectorSettings


class PolicyChecks:
    def __init__(self, settings: DetectorSettings):
        self.settings = settings
        self._classified: dict[tuple[str, str, date], Classification | None] = {}
        self._concern: dict[tuple[str, date], bool] = {}

    def classification(self, chip: str, country: str, day: date) -> Classification | None:
        key = (chip, country, day)
        if key not in self._classified:
            try:
                self._classified[key] = classify_accelerator(chip, country, day)
            except UnknownChip:
                self._classified[key] = None
        return self._classified[key]

    def licence_required(self, chip: str, country: str, day: date) -> bool:
        found = self.classification(chip, country, day)
        return bool(found and found.license_required)

    def band(self, chip: str, day: date) -> str | None:
        """The ECCN band of the chip on the day (3A090.a, 4A090.a...), whatever the destination."""
        found = self.classification(chip, "US", day)
        return found.eccn if found else None

    def licence_text(self, chip: str, country: str, day: date) -> str:
        found = self.classification(chip, country, day)
        if found is None:
            return f"{chip}: not in the accelerator catalogue"
        rules = ", ".join(f"{r.id} ({r.source})" for r in found.rules if r.role == "licence") or "no licence rule"
        needed = "licence required" if found.license_required else "no licence required"
        return f"{chip} ({found.eccn or 'not 3A090/4A090'}) to {country} on {day}: {needed} [{rules}]"

    def concern(self, country: str | None, day: date) -> bool:
        """A country of concern on the day: in a concern group (D:5, via policy data) or listed in settings."""
        if not country:
            return False
        key = (country.upper(), day)
        if key not in self._concern:
            code = key[0]
            self._concern[key] = code in self.settings.concern_countries or bool(
                groups_of(code, day) & set(self.settings.concern_groups)
            )
        return self._concern[key]

    def compute(self, chip: str, gpu_hours: float, utilisation: float) -> TrainingCompute:
        return training_compute(chip, gpu_hours, max(0.0, min(1.0, utilisation)))
