"""Settings, read from `SEEN_` environment variables (and an optional `.env`) once, on request.

Nothing here runs at import time: the command line and the tests call `load_settings()` and
pass the result down, so each test can build its own settings and database.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SEEN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default=Path("data"), description="Local folder for the embedded database and demo files."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; SQLite in data_dir when unset, e.g. postgresql+psycopg://...",
    )
    log_level: str = Field(default="WARNING", description="Python logging level name.")
    audit_key: Path | None = Field(
        default=None,
        description="The hub's audit log signing key file; audit-log.key in data_dir when unset.",
    )

    cookie_secure: bool = Field(
        default=True,
        description="Mark session cookies Secure (sent only over HTTPS and to localhost).",
    )
    password_hash_profile: str = Field(
        default="rfc9106-low-memory",
        description="argon2id parameters for passwords: rfc9106-low-memory, or cheapest (tests).",
    )
    answer_target_days: float = Field(
        default=3.0,
        gt=0,
        description="The partnership's target for answering a request to release a record "
        "(the holding agency's or the young person's answer), in days: the report measures "
        "answer times against it.",
    )
    host: str = Field(default="127.0.0.1", description="Address `seen serve` listens on.")
    port: int = Field(default=8000, description="Port `seen serve` listens on.")

    def resolved_database_url(self) -> str:
        """The database to use: the configured URL, or SQLite in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'seen.db').resolve()}"

    def resolved_audit_key(self) -> Path:
        """Where the audit log's signing key lives: the configured file, or one in data_dir."""
        return self.audit_key if self.audit_key is not None else self.data_dir / "audit-log.key"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword arguments win over the environment."""
    return Settings(**overrides)  # type: ignore[arg-type]
