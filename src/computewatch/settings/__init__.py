"""One typed settings object, read from the environment (COMPUTEWATCH_*) or a TOML file.

Every section lives in this package: screening and locate here, the detectors' thresholds
(settings/detectors.py, with shipments in settings/shipments.py), the graph's (settings/graph.py),
the case store's and the HTTP API's (settings/cases.py). Only the interfaces (commands, api)
build a Settings from the environment (`default_settings()`); they pass it, or its sections,
down to the analysis, which never reads global settings.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

from computewatch.settings.cases import ApiSettings, CaseSettings
from computewatch.settings.detectors import DetectorSettings
from computewatch.settings.graph import GraphSettings
from computewatch.settings.shipments import ShipmentThresholds

__all__ = [
    "ApiSettings",
    "CaseSettings",
    "DetectorSettings",
    "EngineSettings",
    "GraphSettings",
    "LocateSettings",
    "ScreeningSettings",
    "Settings",
    "ShipmentThresholds",
    "default_settings",
]


class ScreeningSettings(BaseModel):
    threshold: float = Field(0.80, ge=0, le=1, description="score at or above which a result is a match")
    min_score: float = Field(0.50, ge=0, le=1, description="results below this score are not reported")
    max_results: int = Field(5, ge=1, description="matches reported per query")
    country_bonus: float = Field(0.05, ge=0, le=0.5, description="added when query and entity share a country")
    country_penalty: float = Field(0.05, ge=0, le=0.5, description="subtracted when both have countries and none agree")
    workers: int = Field(0, ge=0, description="processes for batch screening; 0 = one per CPU")


class EngineSettings(BaseModel):
    spark_master: str = Field(
        "local[2]",
        description="where `--engine spark` runs: local[N] (in this process, N cores), spark://host:7077, yarn, k8s://...; "
        "under spark-submit its --master decides",
    )


class LocateSettings(BaseModel):
    km_per_ms_rtt: float = Field(100.0, gt=0, description="km of distance per ms of round-trip time (light in fibre: ~100)")
    processing_ms: float = Field(0.0, ge=0, description="chip and landmark processing time subtracted from every RTT")
    max_probe_age_s: float = Field(3600.0, gt=0, description="probes older than this before the chip's newest probe (or --as-of) are stale")
    max_clock_skew_s: float = Field(30.0, ge=0, description="largest gap allowed between the chip's signed timestamp and the landmark's")
    min_valid_probes: int = Field(3, ge=1, description="a chip with fewer valid probes is not verified")
    tolerance_km: float = Field(1.0, ge=0, description="slack for coordinate rounding when testing a point against a disk")
    require_signatures: bool = Field(False, description="treat probes as unsigned when the input carries no signature evidence at all")


class InputSettings(BaseModel):
    max_field_chars: int = Field(100_000, ge=1, description="longest field value accepted in any input file; longer ones refuse the file")


class ListSettings(BaseModel):
    max_removed_share: float = Field(
        0.10, ge=0, le=1, description="`lists load` refuses a new version that removes more than this share of a dataset (unless --allow-shrink)"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COMPUTEWATCH_", env_nested_delimiter="__", extra="ignore"
    )

    home: Path = Field(Path("computewatch-data"), description="workspace folder")
    screening: ScreeningSettings = ScreeningSettings()
    engine: EngineSettings = EngineSettings()
    locate: LocateSettings = LocateSettings()
    inputs: InputSettings = InputSettings()
    lists: ListSettings = ListSettings()
    detectors: DetectorSettings = DetectorSettings()
    graph: GraphSettings = GraphSettings()
    database_url: str | None = Field(None, description="case store: SQLAlchemy URL (postgresql+psycopg://...); default SQLite <workspace>/cases.sqlite")
    audit_key: SecretStr | None = Field(None, description="key that signs the audit log's head (HMAC-SHA256); keep it outside the case database")
    audit_key_file: Path | None = Field(None, description="file holding the audit key (used when audit_key is not set)")
    cases: CaseSettings = CaseSettings()
    api: ApiSettings = ApiSettings()

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):  # type: ignore[no-untyped-def,override]
        sources = [init_settings, env_settings]
        toml_file = os.environ.get("COMPUTEWATCH_CONFIG")
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_file)))
        return tuple(sources)


@lru_cache(maxsize=1)
def default_settings() -> Settings:
    return Settings()
