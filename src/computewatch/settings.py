"""One typed settings object, read from the environment (COMPUTEWATCH_*) or a TOML file.

Pass a Settings instance down; nothing reads module globals.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource


class ScreeningSettings(BaseModel):
    threshold: float = Field(0.80, ge=0, le=1, description="score at or above which a result is a match")
    min_score: float = Field(0.50, ge=0, le=1, description="results below this score are not reported")
    max_results: int = Field(5, ge=1, description="matches reported per query")
    country_bonus: float = Field(0.05, ge=0, le=0.5, description="added when query and entity share a country")
    country_penalty: float = Field(0.05, ge=0, le=0.5, description="subtracted when both have countries and none agree")
    workers: int = Field(0, ge=0, description="processes for batch screening; 0 = one per CPU")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COMPUTEWATCH_", env_nested_delimiter="__", extra="ignore"
    )

    home: Path = Field(Path("computewatch-data"), description="workspace folder")
    screening: ScreeningSettings = ScreeningSettings()

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
