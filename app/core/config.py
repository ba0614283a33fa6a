"""One settings object, read from the environment variables listed in API.md ("Configuration")."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Settings(BaseSettings):
    """With nothing set, BR SCALE runs on the embedded default: SQLite, in-process jobs and
    events."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    environment: str = Field("development", alias="BRSCALE_ENV")
    data_dir: Path = Field(Path(".brscale"), alias="BRSCALE_DATA_DIR")
    database_url: str | None = Field(None, alias="DATABASE_URL")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    secret_key: str | None = Field(None, alias="BRSCALE_SECRET_KEY")
    public_url: str = Field("http://127.0.0.1:8000", alias="BRSCALE_PUBLIC_URL")
    cors_origins: list[str] = Field(default_factory=list, alias="BRSCALE_CORS_ORIGINS")

    openai_api_key: str | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", alias="OPENAI_MODEL")

    followupboss_api_url: str = Field("https://api.followupboss.com", alias="FOLLOWUPBOSS_API_URL")
    followupboss_app_url: str = Field("https://app.followupboss.com", alias="FOLLOWUPBOSS_APP_URL")
    followupboss_system: str = Field("BRSCALE", alias="FOLLOWUPBOSS_SYSTEM")
    followupboss_system_key: str | None = Field(None, alias="FOLLOWUPBOSS_SYSTEM_KEY")
    followupboss_client_id: str | None = Field(None, alias="FOLLOWUPBOSS_CLIENT_ID")
    followupboss_client_secret: str | None = Field(None, alias="FOLLOWUPBOSS_CLIENT_SECRET")
    hubspot_api_url: str = Field("https://api.hubapi.com", alias="HUBSPOT_API_URL")
    hubspot_app_url: str = Field("https://app.hubspot.com", alias="HUBSPOT_APP_URL")
    hubspot_client_id: str | None = Field(None, alias="HUBSPOT_CLIENT_ID")
    hubspot_client_secret: str | None = Field(None, alias="HUBSPOT_CLIENT_SECRET")

    twilio_api_url: str = Field("https://api.twilio.com", alias="TWILIO_API_URL")
    twilio_account_sid: str | None = Field(None, alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str | None = Field(None, alias="TWILIO_AUTH_TOKEN")
    twilio_from_number: str | None = Field(None, alias="TWILIO_FROM_NUMBER")
    twilio_whatsapp_template_sid: str | None = Field(None, alias="TWILIO_WHATSAPP_TEMPLATE_SID")
    smtp_url: str | None = Field(None, alias="SMTP_URL")
    email_from: str | None = Field(None, alias="EMAIL_FROM")
    inbound_email_domain: str | None = Field(None, alias="INBOUND_EMAIL_DOMAIN")
    mailgun_signing_key: str | None = Field(None, alias="MAILGUN_SIGNING_KEY")
    messages_per_lead_per_day: int = Field(3, alias="MESSAGES_PER_LEAD_PER_DAY")
    messages_per_lead_per_week: int = Field(6, alias="MESSAGES_PER_LEAD_PER_WEEK")
    # A lead reached by e-mail and text gets the agent's own steps (the first message, the
    # follow-ups) by e-mail first and the text this much later (then inside the lead's waking
    # hours), and no text once they have answered.
    text_after_email_minutes: int = Field(180, alias="TEXT_AFTER_EMAIL_MINUTES")

    # A job running longer than this is cut off (a hang guard: healthy jobs finish far sooner,
    # even on a saturated machine). A killed worker's jobs do not wait for it: see the lease.
    job_timeout_seconds: int = Field(600, alias="JOB_TIMEOUT_SECONDS")
    # A running job's claim in Redis lasts this long and its live worker renews it every sixth
    # of it: a job whose worker died (SIGKILL, OOM, a lost host) runs again within this.
    job_lease_seconds: int = Field(60, alias="JOB_LEASE_SECONDS")
    # How long the agent waits for more texts of a burst before it answers them all at once.
    reply_debounce_seconds: float = Field(1.0, alias="REPLY_DEBOUNCE_SECONDS")
    max_concurrent_conversations: int = Field(20, alias="MAX_CONCURRENT_CONVERSATIONS")
    llm_calls_per_minute: int = Field(600, alias="LLM_CALLS_PER_MINUTE")
    import_max_bytes: int = Field(50 * 1024 * 1024, alias="IMPORT_MAX_BYTES")
    # Any request body that is not a multipart upload (a GraphQL operation, a vendor's webhook):
    # refused with 413 past this, while it streams in.
    max_body_bytes: int = Field(2 * 1024 * 1024, alias="BRSCALE_MAX_BODY_BYTES")
    # Worker processes that parse files of a batch (2,000 rows) or more; 0 parses in a thread.
    # Each holds about 40 MB: two keep a 100k-row import under 300 MB in all.
    import_processes: int = Field(
        default_factory=lambda: min(2, _cores()), alias="IMPORT_PROCESSES"
    )
    rate_limit_per_minute: int = Field(600, alias="BRSCALE_RATE_LIMIT_PER_MINUTE")
    # GraphQL operations one caller (user, API key or address) runs at once in one API process,
    # each on one pooled connection: a flood from one caller queues behind its own share.
    operations_per_caller: int = Field(4, alias="BRSCALE_OPERATIONS_PER_CALLER")
    # ... and all of one brokerage's callers together: many users or keys of one brokerage
    # queue behind each other, not in front of other brokerages.
    operations_per_brokerage: int = Field(8, alias="BRSCALE_OPERATIONS_PER_BROKERAGE")
    # Failed log-ins allowed per account and per address within the window (then RATE_LIMITED).
    login_failures_per_account: int = Field(5, alias="BRSCALE_LOGIN_FAILURES_PER_ACCOUNT")
    login_failures_per_address: int = Field(30, alias="BRSCALE_LOGIN_FAILURES_PER_ADDRESS")
    login_window_seconds: int = Field(900, alias="BRSCALE_LOGIN_WINDOW_SECONDS")
    # Database connections per process; waiting longer than the timeout for one answers
    # SERVICE_UNAVAILABLE (a request, or a job retried later) instead of hanging.
    database_pool_size: int = Field(20, alias="DATABASE_POOL_SIZE")
    database_max_overflow: int = Field(10, alias="DATABASE_MAX_OVERFLOW")
    database_pool_timeout: float = Field(5.0, alias="DATABASE_POOL_TIMEOUT")
    token_ttl_hours: int = Field(24 * 7, alias="BRSCALE_TOKEN_TTL_HOURS")
    # How long the activity history is kept (the feed, and what a reconnecting subscriber
    # can catch up on); older events are pruned hourly.
    activity_retention_days: int = Field(30, alias="BRSCALE_ACTIVITY_RETENTION_DAYS")
    # Live results one subscriber may have waiting to be sent; past it, it is told it fell
    # behind (SUBSCRIBER_TOO_SLOW) and catches up from its last event id.
    subscriber_queue_size: int = Field(100, alias="BRSCALE_SUBSCRIBER_QUEUE_SIZE")
    # Outgoing webhooks: the first retry's delay (then x4 each time), and how many failed
    # attempts in a row disable a subscription.
    webhook_retry_base_seconds: float = Field(30.0, alias="BRSCALE_WEBHOOK_RETRY_BASE_SECONDS")
    webhook_disable_after: int = Field(15, alias="BRSCALE_WEBHOOK_DISABLE_AFTER")
    # Partner webhooks may point to loopback (127.0.0.1, ::1, localhost): tests and local
    # development only, whose receivers run on this machine. Private ranges are never allowed.
    webhook_allow_loopback: bool = Field(False, alias="BRSCALE_WEBHOOK_ALLOW_LOOPBACK")
    # How long an API process trusts what it read about a token or API key: a session ended or
    # a key revoked through another process stops working within this; in the same one, at once.
    principal_cache_seconds: float = Field(10.0, alias="BRSCALE_PRINCIPAL_CACHE_SECONDS")

    @property
    def is_development(self) -> bool:
        return self.environment != "production"

    @property
    def embedded(self) -> bool:
        """No Redis: jobs and events run inside the serving process."""
        return self.redis_url is None

    @cached_property
    def async_database_url(self) -> str:
        """The SQLAlchemy URL, with the async driver made explicit."""
        if not self.database_url:
            return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'brscale.sqlite3'}"
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url.removeprefix(prefix)
        return url

    @property
    def is_postgres(self) -> bool:
        return self.async_database_url.startswith("postgresql")

    @cached_property
    def checkpoint_dsn(self) -> str:
        """Where LangGraph keeps its threads: the same PostgreSQL, or a SQLite file of its own."""
        if self.is_postgres:
            return "postgresql://" + self.async_database_url.split("://", 1)[1]
        return str(self.data_dir.resolve() / "checkpoints.sqlite3")

    @cached_property
    def signing_keys(self) -> list[str]:
        """`BRSCALE_SECRET_KEY` (several keys comma-separated, newest first, while rotating),
        or a dev key generated once into the data directory."""
        if self.secret_key:
            keys = [key.strip() for key in self.secret_key.split(",") if key.strip()]
            if keys:
                return keys
        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return [key_file.read_text().strip()]

    @property
    def signing_key(self) -> str:
        """The newest key: everything new is signed and encrypted with it."""
        return self.signing_keys[0]


def load_settings() -> Settings:
    """The settings of this process, from its environment."""
    return Settings()  # type: ignore[call-arg]
