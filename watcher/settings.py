"""Effective settings: defaults in code, then `config/watcher.toml` (or the file named by
`$WATCHER_CONFIG`), then environment variables `WATCHER_<SECTION>__<KEY>`.

`load_settings()` is the one entry point; it turns every validation problem into a
`ConfigError` naming the key and where its value came from.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from watcher.errors import ConfigError
from watcher.vocab import Severity

DEFAULT_CONFIG_FILE = Path("config/watcher.toml")
ENV_PREFIX = "WATCHER_"
ENV_DELIMITER = "__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = "sqlite:///data/watcher.db"
    echo: bool = False


class SourcesSettings(_Section):
    file: Path = Path("config/feeds.yaml")
    allow_local: bool = False
    # A redirect off a source's configured origin may lead to a loopback, private or
    # link-local address only with this (it is then never stored as a permanent move).
    allow_internal_redirects: bool = False
    user_agent: str = "capex-watcher/0.1 (+https://github.com/capex-watcher; ops@example.com)"
    max_bytes: int = Field(20 * 1024 * 1024, gt=0)
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    fetch_deadline: float = Field(60.0, gt=0)
    concurrency: int = Field(8, ge=1, le=256)
    backoff_base: float = Field(60.0, gt=0, description="seconds after the first failure")
    backoff_cap: float = Field(6 * 3600.0, gt=0, description="longest wait between failing polls")
    jitter: float = Field(0.1, ge=0, le=1, description="fraction of the interval added at random")
    # A document whose extraction fails is tried again after extract_backoff_base seconds,
    # doubling with each failure in a row, at most extract_backoff_cap.
    extract_backoff_base: float = Field(60.0, gt=0, description="seconds after the first failure")
    extract_backoff_cap: float = Field(
        4 * 3600.0, gt=0, description="longest wait between failing extractions of a document"
    )
    # A document whose extraction takes longer fails (recorded, retried with the backoff
    # above) and the cycle goes on. Only documents over 64K characters are bounded so (they are
    # extracted in a worker process); smaller ones run in-process, where their size bounds
    # their time.
    # No transaction is open while extracting on SQLite (its write lock stays free); on
    # PostgreSQL the document's row stays locked meanwhile (watcher/pipeline.py).
    extract_timeout: float = Field(
        20.0, gt=0, description="seconds one document's extraction may take"
    )
    # A source failing this many polls in a row raises a `source-health` meta-alert; a failing
    # source is polled at most once per interval, so that is about this many intervals.
    stale_after_intervals: int = Field(6, ge=1)


class SecSettings(_Section):
    # SEC EDGAR wants a User-Agent naming who we are and how to reach us; SEC sources (and
    # feeds on sec.gov) are not polled without it.
    contact: str | None = None

    @field_validator("contact")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        if value is not None and "@" not in value:
            raise ValueError("must include an e-mail address (the SEC's fair-access rule)")
        return value

    # The SEC allows at most 10 requests a second per client; every SEC request of the
    # process shares this limit.
    max_requests_per_second: float = Field(10.0, gt=0, le=10)
    # Where filing folders (index.json, exhibits) are read; a mirror or test server may stand in.
    archives_url: str = "https://www.sec.gov/Archives/edgar/data/"


class RulesSettings(_Section):
    dir: Path = Path("rules")


class CompaniesSettings(_Section):
    file: Path = Path("config/companies.yaml")


class SlackSettings(_Section):
    token: SecretStr | None = None
    channel: str = "#capex-alerts"
    api_url: str = "https://slack.com/api/"
    timeout: float = Field(30.0, gt=0)
    # An incoming webhook instead of a bot token: messages go to the webhook's own channel,
    # and updates are follow-up messages (a webhook cannot reply in a thread).
    webhook_url: SecretStr | None = None
    # Retries inside one send (rate limits, connections never made); the outbox's own backoff
    # takes over after these, and handles alone what may have posted (timeouts, 5xx, resets).
    max_retries: int = Field(2, ge=0, le=10)
    # A rate limit asking to wait longer than this is left to the outbox's backoff rather than
    # slept through while the delivery job holds its lease.
    max_retry_after: float = Field(30.0, ge=0)

    @field_validator("api_url")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("webhook_url")
    @classmethod
    def _webhook_is_http(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @property
    def enabled(self) -> bool:
        return self.token is not None or self.webhook_url is not None


class WebhookSettings(_Section):
    """The `webhook` channel: a JSON POST of each event, signed with `secret`."""

    url: str | None = None
    secret: SecretStr | None = None
    timeout: float = Field(10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value


class AppriseSettings(_Section):
    """The `apprise` channel: Apprise URLs (they hold tokens, so each is a secret)."""

    urls: list[SecretStr] = Field(default_factory=list)

    @field_validator("urls")
    @classmethod
    def _urls_have_a_scheme(cls, urls: list[SecretStr]) -> list[SecretStr]:
        for index, url in enumerate(urls):
            if "://" not in url.get_secret_value():
                raise ValueError(f"item {index} is not an Apprise URL (scheme://...)")
        return urls


class RouteSettings(_Section):
    """One `[[routes]]` table: events matching every given condition go to `channels`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    severity: Severity | None = None  # a minimum
    companies: list[str] | None = None
    rules: list[str] | None = None
    channels: list[str] = Field(min_length=1)
    # False: the first matching route decides; true: later routes are tried as well.
    continue_: bool = Field(False, alias="continue")

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, channels: list[str]) -> list[str]:
        from watcher.alerts.channels import name_error  # the registry knows the channels

        for channel in channels:
            problem = name_error(channel)
            if problem:
                raise ValueError(problem)
        return channels

    @field_validator("companies")
    @classmethod
    def _upper(cls, companies: list[str] | None) -> list[str] | None:
        return None if companies is None else [company.upper() for company in companies]


class EmailSettings(_Section):
    host: str | None = None
    port: int = Field(587, gt=0, lt=65536)
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "capex-watcher@localhost"
    to: list[str] = Field(default_factory=list)
    security: Literal["starttls", "tls", "none"] = "starttls"
    # CA certificates (PEM) to trust instead of the system's, for a relay with a private CA;
    # certificates are always verified.
    ca_file: Path | None = None
    timeout: float = Field(30.0, gt=0, description="seconds for connecting and each reply")
    # Events at or above this severity get an immediate email; all go to the digest.
    min_severity: Severity = Severity.HIGH
    digest_cron: str = Field("0 7 * * *", description="crontab schedule; empty turns it off")
    timezone: str = "UTC"
    digest_send_empty: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("digest_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        if value.strip():
            try:
                CronTrigger.from_crontab(value.strip(), timezone="UTC")
            except ValueError as exc:
                raise ValueError(f"not a crontab schedule: {exc}") from None
        return value.strip()


class HttpSettings(_Section):
    # The web view (readable by anyone who reaches it), /metrics and the health endpoints
    # listen on this machine only, unless told otherwise (0.0.0.0 in the container image).
    host: str = "127.0.0.1"
    port: int = Field(8321, ge=0, lt=65536, description="0 turns the endpoints off")


class WebSettings(_Section):
    """The analyst's web view (`watcher web`, and `watcher run` on `http.port`)."""

    # Bearer token for writes (adding and expiring silences), also the password of the login
    # form; without it, writes are off and the view is read-only.
    token: SecretStr | None = None

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (it guards writes)")
        return value


class SchedulerSettings(_Section):
    tick_seconds: float = Field(30.0, gt=0, description="how often due sources are looked for")
    deliver_seconds: float = Field(15.0, gt=0, description="how often pending deliveries are sent")
    # No cycle finished for this long (at least two ticks): the daemon is stuck, /healthz
    # answers 503 and the process exits with status 70 so that systemd or docker restarts it.
    stall_seconds: float = Field(600.0, ge=1)


class AlertsSettings(_Section):
    max_delivery_age_hours: float = Field(48.0, gt=0)
    retry_base_seconds: float = Field(30.0, gt=0)
    retry_cap_seconds: float = Field(3600.0, gt=0)


class ReplicasSettings(_Section):
    """Claims on shared work (a source being polled, a delivery being sent): a claim lapses
    `lease_seconds` after its holder's last heartbeat, and a holder beats every
    `heartbeat_seconds` while the work runs, however long it takes. A replica that dies
    loses its claims within `lease_seconds`."""

    lease_seconds: float = Field(15.0, gt=0, le=3600)
    heartbeat_seconds: float = Field(5.0, gt=0)

    @field_validator("heartbeat_seconds")
    @classmethod
    def _beats_within_the_lease(cls, value: float, info: ValidationInfo) -> float:
        # Three beats per lease: a beat delayed by a busy database, or one lost, does not
        # cost a live replica its claims.
        lease = info.data.get("lease_seconds")
        if lease is not None and value * 3 > lease:
            raise ValueError(
                f"must be at most a third of replicas.lease_seconds ({lease:g}), "
                f"so that a late heartbeat does not lose a live replica's claims"
            )
        return value


class LoggingSettings(_Section):
    # `json` is the key's name; the attribute is `json_` (BaseModel has a `json` method).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_: bool = Field(
        False, alias="json", description="one JSON object per line instead of plain text"
    )


class Settings(BaseSettings):
    """All settings of the service, one section per concern."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_DELIMITER,
        extra="forbid",
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    sec: SecSettings = Field(default_factory=SecSettings)
    rules: RulesSettings = Field(default_factory=RulesSettings)
    companies: CompaniesSettings = Field(default_factory=CompaniesSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    apprise: AppriseSettings = Field(default_factory=AppriseSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    alerts: AlertsSettings = Field(default_factory=AlertsSettings)
    replicas: ReplicasSettings = Field(default_factory=ReplicasSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    # Ordered: the first matching route decides unless it says `continue`.
    routes: list[RouteSettings] = Field(default_factory=list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = config_file_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def config_file_path() -> Path | None:
    """The settings file in use: `$WATCHER_CONFIG`, else `config/watcher.toml` when present."""
    named = os.environ.get("WATCHER_CONFIG")
    if named:
        return Path(named)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Read the effective settings; raise `ConfigError` naming the key and its source."""
    toml_file = config_file_path()
    toml_data = _read_toml(toml_file) if toml_file is not None else {}
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise _explain(exc, toml_file, toml_data) from None
    except SettingsError as exc:  # an environment value that is not the JSON a list needs
        raise _explain_unparsable(exc) from None


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError("settings file not found", file=str(path))
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None


def _explain(
    exc: ValidationError, toml_file: Path | None, toml_data: dict[str, Any]
) -> ConfigError:
    """Name the first bad key, its source (environment variable or settings file) and why."""
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"])
    env_name = _env_name_for(error["loc"])
    if env_name is not None:
        source = f"environment variable {env_name}"
    elif toml_file is not None and _has_key(toml_data, error["loc"]):
        source = str(toml_file)
    else:
        source = str(toml_file) if toml_file is not None else "defaults"
    return ConfigError(f"{error['msg']} (from {source})", field=key)


def _env_name_for(loc: tuple[Any, ...]) -> str | None:
    """The environment variable that set this key: its own, or its section's JSON."""
    for length in range(len(loc), 0, -1):
        name = ENV_PREFIX + ENV_DELIMITER.join(str(part) for part in loc[:length]).upper()
        if name in os.environ:
            return name
    return None


def _explain_unparsable(exc: SettingsError) -> ConfigError:
    match = re.search(r'field "(\w+)"', str(exc))
    section = match.group(1) if match else "?"
    prefix = f"{ENV_PREFIX}{section.upper()}"
    names = sorted(name for name in os.environ if name.startswith(prefix))
    return ConfigError(
        f"cannot parse {', '.join(names) or 'an environment variable'}: lists and tables are "
        'written as JSON, e.g. ["ops@example.com"]',
        field=section,
    )


def _has_key(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def masked_dump(settings: Settings) -> dict[str, Any]:
    """The settings as plain data with every secret replaced by a mask."""
    dumped = settings.model_dump(mode="python")

    def mask(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: mask(value) for key, value in node.items()}
        if isinstance(node, SecretStr):
            return "**********" if node.get_secret_value() else ""
        if isinstance(node, str) and "://" in node:
            return _hide_url_password(node)
        if isinstance(node, Path):
            return str(node)
        if isinstance(node, list):
            return [mask(item) for item in node]
        return node

    return mask(dumped)


def _hide_url_password(url: str) -> str:
    """`postgresql://app:s3cret@db/w` -> `postgresql://app:***@db/w`."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
