"""Where the LLM is and how to talk to it: environment first, then MATURITY_HOME/config.toml.

Precedence (highest first): explicit arguments, environment variables, the ``[llm]``
table of ``MATURITY_HOME/config.toml``, the defaults below. The API key is only ever
read from the environment and held as a ``SecretStr``, so it never reaches a log, an
error message or a report.

Example config file::

    [llm]
    model = "smollm2-135m"
    base_url = "http://127.0.0.1:8765/v1"
    context_tokens = 8192
    max_completion_tokens = 1024

    [llm.prices."my-model"]      # USD per 1M tokens
    prompt = 0.5
    completion = 1.5
"""

from __future__ import annotations

import os
import tomllib
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from agent.errors import UserError
from agent.paths import maturity_home

StructuredMethod = Literal["auto", "json_schema", "function_calling"]

#: A small, current OpenAI model that follows temperature 0 (reasoning models do not).
DEFAULT_MODEL = "gpt-4.1-mini"


class Price(BaseModel):
    """USD per one million tokens; ``cached``: prompt tokens the endpoint served from its
    prompt cache (OpenAI bills them at a discount), else charged as ``prompt``."""

    prompt: float = Field(ge=0)
    completion: float = Field(ge=0)
    cached: float | None = Field(default=None, ge=0)


#: Published OpenAI list prices (USD per 1M tokens) when this table was written; a
#: config file's ``[llm.prices."<model>"]`` overrides or extends them. Models not
#: listed (local servers) cost nothing.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4.1": Price(prompt=2.00, completion=8.00, cached=0.50),
    "gpt-4.1-mini": Price(prompt=0.40, completion=1.60, cached=0.10),
    "gpt-4.1-nano": Price(prompt=0.10, completion=0.40, cached=0.025),
    "gpt-4o": Price(prompt=2.50, completion=10.00, cached=1.25),
    "gpt-4o-mini": Price(prompt=0.15, completion=0.60, cached=0.075),
    "gpt-5": Price(prompt=1.25, completion=10.00, cached=0.125),
    "gpt-5-mini": Price(prompt=0.25, completion=2.00, cached=0.025),
    "gpt-5-nano": Price(prompt=0.05, completion=0.40, cached=0.005),
}

_CONFIG_FILE: ContextVar[Path | None] = ContextVar("maturity_llm_config", default=None)


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore",
                                      case_sensitive=False)

    api_key: SecretStr | None = Field(
        default=None, validation_alias=_env("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY"))
    base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL"))
    #: Azure OpenAI: the resource endpoint and API version; ``model`` is the deployment.
    azure_endpoint: str | None = Field(default=None,
                                       validation_alias=_env("AZURE_OPENAI_ENDPOINT"))
    api_version: str | None = Field(default=None, validation_alias=_env("OPENAI_API_VERSION"))
    model: str = Field(default=DEFAULT_MODEL, min_length=1, validation_alias=_env("MATURITY_MODEL"))
    timeout_s: float = Field(default=60.0, gt=0, validation_alias=_env("MATURITY_LLM_TIMEOUT"))
    max_retries: int = Field(default=3, ge=0, le=10,
                             validation_alias=_env("MATURITY_LLM_MAX_RETRIES"))
    structured_method: StructuredMethod = Field(
        default="auto", validation_alias=_env("MATURITY_LLM_STRUCTURED_METHOD"))
    #: The model's context window; transcripts that do not fit are read in parts.
    context_tokens: int = Field(default=128_000, ge=2048,
                                validation_alias=_env("MATURITY_LLM_CONTEXT_TOKENS"))
    max_completion_tokens: int = Field(default=4096, ge=64,
                                       validation_alias=_env("MATURITY_LLM_MAX_TOKENS"))
    temperature: float = Field(default=0.0, ge=0, le=2)
    seed: int | None = 0
    prices: dict[str, Price] = Field(default_factory=lambda: dict(DEFAULT_PRICES))

    @field_validator("prices", mode="after")
    @classmethod
    def _extend_defaults(cls, value: dict[str, Price]) -> dict[str, Price]:
        return {**DEFAULT_PRICES, **value}

    @field_validator("base_url", "azure_endpoint", "api_version", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))

    # Derived facts the provider needs.
    @property
    def is_azure(self) -> bool:
        return bool(self.azure_endpoint)

    @property
    def is_openai(self) -> bool:
        """The official OpenAI endpoint (the default when no base URL is set)."""
        if self.is_azure:
            return False
        return self.base_url is None or urlparse(self.base_url).hostname == "api.openai.com"

    def method(self) -> Literal["json_schema", "function_calling"]:
        """Structured-output method: json_schema where supported, tool calling elsewhere.

        OpenAI and Azure OpenAI honour ``response_format: json_schema``; compatible
        servers (llama.cpp, vLLM, Ollama) support tool calls far more widely.
        """
        if self.structured_method != "auto":
            return self.structured_method
        return "json_schema" if self.is_openai or self.is_azure else "function_calling"

    def price(self) -> Price | None:
        """The price of ``model``: exact name, else the longest listed prefix (snapshots)."""
        if self.model in self.prices:
            return self.prices[self.model]
        prefixes = [name for name in self.prices if self.model.startswith(f"{name}-")]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(self, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0) -> float:
        """Estimated USD; ``cached_tokens`` (part of ``prompt_tokens``) at the cached rate."""
        price = self.price()
        if price is None:
            return 0.0
        cached = min(cached_tokens, prompt_tokens)
        cached_rate = price.prompt if price.cached is None else price.cached
        return ((prompt_tokens - cached) * price.prompt + cached * cached_rate
                + completion_tokens * price.completion) / 1e6

    def endpoint(self) -> str:
        """Where requests go, for messages (never includes the key)."""
        return self.azure_endpoint or self.base_url or "https://api.openai.com/v1"


class _ConfigFileSource(InitSettingsSource):
    """The ``[llm]`` table of MATURITY_HOME/config.toml (missing file: nothing)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls, _read_config(_config_path()))


def _config_path() -> Path:
    return _CONFIG_FILE.get() or maturity_home() / "config.toml"


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read {path} ({exc}); fix or remove the file") from None
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise UserError(f"{path}: [llm] must be a table of settings, e.g. model = \"...\"")
    if "api_key" in table:
        raise UserError(f"{path}: do not store api_key in a file; set OPENAI_API_KEY instead")
    return table


@contextmanager
def _config_file(path: Path | None) -> Any:
    token = _CONFIG_FILE.set(path)
    try:
        yield
    finally:
        _CONFIG_FILE.reset(token)


def load_settings(home: Path | None = None, **overrides: Any) -> LLMSettings:
    """Settings for a run whose data folder is ``home`` (default MATURITY_HOME)."""
    path = home / "config.toml" if home is not None else None
    try:
        with _config_file(path):
            return LLMSettings(**overrides)
    except ValidationError as exc:
        # Without the input values: a mistyped variable must not echo a secret.
        first = exc.errors(include_input=False, include_url=False)[0]
        where = _setting_name(str(first["loc"][0])) if first["loc"] else "settings"
        raise UserError(f"LLM setting {where}: {first['msg']}; check the environment "
                        f"and {path or _config_path()}") from None


def _setting_name(key: str) -> str:
    """``field (ENV_VAR)`` for an error location that may be a field or an alias."""
    for name, info in LLMSettings.model_fields.items():
        alias = info.validation_alias
        names = list(alias.choices) if isinstance(alias, AliasChoices) else []
        if key == name or key in names:
            return f"{name} ({' or '.join(str(n) for n in names)})" if names else name
    return key


def llm_configured() -> bool:
    """True when an LLM endpoint is configured in the environment."""
    names = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT")
    return any(os.environ.get(name, "").strip() for name in names)
