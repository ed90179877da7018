"""The data behind the shell indicators and the entity reader (data/indicators.yaml: transshipment hubs, free-mail domains), loaded once, lazily."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class IndicatorData:
    transshipment_hubs: frozenset[str]
    hubs_source: str
    free_email_domains: frozenset[str]


@lru_cache(maxsize=1)
def indicator_data() -> IndicatorData:
    text = resources.files("computewatch.sources").joinpath("data", "indicators.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    hubs = raw["transshipment_hubs"]
    return IndicatorData(
        frozenset(str(c).upper() for c in hubs["countries"]),
        str(hubs["source"]).strip(),
        frozenset(str(d).lower() for d in raw["free_email_domains"]["domains"]),
    )
