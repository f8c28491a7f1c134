"""The chat model behind one small interface: structured replies, validated and accounted.

``ChatProvider.structured(messages, schema)`` returns a validated pydantic instance and
what it cost. The real provider is langchain-openai's ``ChatOpenAI`` (or
``AzureChatOpenAI``), so the same code talks to OpenAI, Azure OpenAI and compatible
servers (llama.cpp, vLLM, Ollama). Every reply is validated against the schema; an
invalid one gets exactly one repair request (the validation error goes back to the
model), then ``LLMError``. Transient failures are retried with backoff (agent.llm.retry).
Bad credentials or an unknown model are the user's to fix: ``UserError``.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from agent.errors import UserError
from agent.llm.prompts import Prompt, load_prompt
from agent.llm.retry import RetryPolicy, is_transient, with_retries
from agent.llm.settings import LLMSettings, load_settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.runnables import Runnable

T = TypeVar("T", bound=BaseModel)
Messages = Sequence[tuple[str, str]]
ErrorKind = Literal["transport", "rejected", "invalid", "budget", "skipped"]


@dataclass(frozen=True)
class CallUsage:
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cost_usd: float
    #: Prompt tokens the endpoint served from its prompt cache (billed at a discount).
    cached_tokens: int = 0


def total_usage(model: str, usages: Sequence[CallUsage]) -> CallUsage:
    return CallUsage(model, sum(u.prompt_tokens for u in usages),
                     sum(u.completion_tokens for u in usages),
                     sum(u.latency_s for u in usages), sum(u.cost_usd for u in usages),
                     sum(u.cached_tokens for u in usages))


@dataclass(frozen=True)
class Reply(Generic[T]):
    value: T
    usage: CallUsage
    #: Every HTTP-level call this reply took (two when a repair was needed).
    calls: tuple[CallUsage, ...] = ()


class LLMError(Exception):
    """The model gave no usable answer: retries exhausted, invalid after repair, over budget.

    ``kind`` says which: ``transport`` (timeouts, 429, 5xx after retries), ``rejected``
    (the endpoint refused the request), ``invalid`` (output failed validation twice),
    ``budget`` (the next call would exceed the cost cap), ``skipped`` (not attempted: the
    endpoint failed earlier in the run). ``calls`` holds what was spent.
    """

    def __init__(self, message: str, kind: ErrorKind = "invalid",
                 calls: Sequence[CallUsage] = ()) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.calls = tuple(calls)


class ChatProvider(Protocol):
    model: str

    def structured(self, messages: list[tuple[str, str]], schema: type[T]) -> Reply[T]: ...


def estimate_tokens(text: str) -> int:
    """A pre-call estimate: about four characters per token for English and JSON."""
    return math.ceil(len(text) / 4)


@dataclass
class Budget:
    """A cost cap: a call is refused before it starts if it could exceed the cap.

    The estimate is the prompt (characters / 4) plus the full completion allowance
    (``max_completion_tokens``), so the cap holds even if the model writes to the limit.
    """

    max_cost_usd: float
    spent_usd: float = 0.0

    def reserve(self, estimate_usd: float) -> None:
        if self.spent_usd + estimate_usd > self.max_cost_usd:
            raise LLMError(
                f"the next LLM call could cost up to ${estimate_usd:.4f}, which would pass "
                f"the cap of ${self.max_cost_usd:.4f} (spent ${self.spent_usd:.4f})",
                kind="budget")

    def charge(self, cost_usd: float) -> None:
        self.spent_usd += cost_usd


_SECRET_LIKE = re.compile(r"(?:sk|pk|rk)-[A-Za-z0-9_\-*]{3,}|Bearer\s+\S+", re.IGNORECASE)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """Remove anything key-shaped: the configured key, ``sk-...`` tokens, bearer tokens."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _SECRET_LIKE.sub("[redacted]", text)


@dataclass
class _Attempt(Generic[T]):
    value: T | None
    usage: CallUsage
    error: str = ""
    raw_text: str = ""
    #: The server stopped at the completion-token limit (finish_reason "length").
    truncated: bool = False


@dataclass
class LangChainProvider:
    """ChatProvider over a langchain chat model (ChatOpenAI / AzureChatOpenAI)."""

    settings: LLMSettings
    chat: BaseChatModel
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    budget: Budget | None = None
    repair: Prompt = field(default_factory=lambda: load_prompt("repair_structured"))
    calls: list[CallUsage] = field(default_factory=list)
    model: str = ""
    _runnables: dict[type[BaseModel], Runnable[Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.model = self.model or self.settings.model

    def structured(self, messages: list[tuple[str, str]], schema: type[T]) -> Reply[T]:
        first = self._attempt(messages, schema, [])
        if first.value is not None:
            return Reply(first.value, first.usage, (first.usage,))
        if first.truncated:
            # Cut off at the completion limit: a repair would repeat the long reply and be
            # cut off again, so it is not worth a second call.
            limit = self.settings.max_completion_tokens
            raise LLMError(f"the reply was cut off at the {limit}-token completion limit "
                           "(raise MATURITY_LLM_MAX_TOKENS)", "invalid", (first.usage,))
        # One repair: show the model its own reply and what was wrong with it.
        retry = [*messages, ("assistant", first.raw_text or "(no reply)"),
                 *self.repair.render(error=first.error[:1500])]
        second = self._attempt(retry, schema, [first.usage])
        spent = (first.usage, second.usage)
        if second.value is None:
            raise LLMError(f"invalid structured output after one repair: {second.error[:300]}",
                           "invalid", spent)
        return Reply(second.value, total_usage(self.model, spent), spent)

    def _attempt(self, messages: list[tuple[str, str]], schema: type[T],
                 spent: list[CallUsage]) -> _Attempt[T]:
        prompt_estimate = estimate_tokens(
            "".join(c for _, c in messages) + json.dumps(schema.model_json_schema()))
        if self.budget is not None:
            try:
                self.budget.reserve(self.settings.cost(
                    prompt_estimate, self.settings.max_completion_tokens))
            except LLMError as exc:
                raise LLMError(str(exc), "budget", spent) from None
        started = time.perf_counter()
        try:
            out = with_retries(lambda: self._runnable(schema).invoke(messages), self.policy)
        except Exception as exc:
            raise self._translate(exc, spent) from None
        raw: AIMessage = out["raw"]
        usage = self._usage(raw, prompt_estimate, time.perf_counter() - started)
        self.calls.append(usage)
        if self.budget is not None:
            self.budget.charge(usage.cost_usd)
        return _parse(out, schema, usage)

    def _runnable(self, schema: type[BaseModel]) -> Runnable[Any, Any]:
        if schema not in self._runnables:
            if self.settings.method() == "json_schema":
                self._runnables[schema] = self.chat.with_structured_output(
                    strict_response_format(schema), method="json_schema", include_raw=True,
                    strict=True)
            else:
                self._runnables[schema] = self.chat.with_structured_output(
                    schema, method="function_calling", include_raw=True)
        return self._runnables[schema]

    def _usage(self, raw: AIMessage, prompt_estimate: int, latency: float) -> CallUsage:
        meta = raw.usage_metadata
        cached = 0
        if meta:
            prompt, completion = meta["input_tokens"], meta["output_tokens"]
            cached = int((meta.get("input_token_details") or {}).get("cache_read") or 0)
        else:  # some servers send no usage: fall back to the estimate
            prompt, completion = prompt_estimate, estimate_tokens(_raw_text(raw))
        return CallUsage(self.model, prompt, completion, round(latency, 3),
                         self.settings.cost(prompt, completion, cached), cached)

    def _translate(self, exc: Exception, spent: Sequence[CallUsage]) -> Exception:
        import openai

        where = self.settings.endpoint()
        status = getattr(exc, "status_code", None)
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return UserError(f"the LLM endpoint {where} refused the credentials (HTTP {status}); "
                             "check OPENAI_API_KEY")
        if isinstance(exc, openai.NotFoundError):
            return UserError(f"model {self.model!r} not found at {where} (HTTP 404); check "
                             "MATURITY_MODEL and OPENAI_BASE_URL")
        secret = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        if is_transient(exc):
            if isinstance(exc, openai.APITimeoutError):
                what = f"timed out after {self.settings.timeout_s:g} s"
            elif isinstance(exc, openai.APIConnectionError):
                what = f"could not connect to {where}"
            else:
                what = f"HTTP {status}"
            return LLMError(f"{what} (after {self.policy.max_retries} retries)", "transport",
                            spent)
        detail = redact(" ".join(str(exc).split())[:240], [secret])
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"the endpoint rejected the request (HTTP {status}): {detail}",
                            "rejected", spent)
        return LLMError(f"unexpected reply ({type(exc).__name__}): {detail}", "rejected", spent)


#: Keywords OpenAI's strict structured outputs do not accept; pydantic still enforces them.
_NOT_STRICT = frozenset({"maxLength", "minLength"})


def strict_response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """The schema as OpenAI's strict ``json_schema`` response format."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _NOT_STRICT}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return {"name": schema.__name__, "description": " ".join((schema.__doc__ or "").split()),
            "schema": strip(schema.model_json_schema()), "strict": True}


def _parse(out: dict[str, Any], schema: type[T], usage: CallUsage) -> _Attempt[T]:
    """Validate what the model wrote (tool arguments or message text) against ``schema``.

    The raw reply is validated here rather than trusting a parser's partial result, so
    the repair request names the real fault (broken JSON, a missing field, a bad value).
    """
    raw: AIMessage = out["raw"]
    raw_text = _raw_text(raw)
    attempt = _validate(raw, raw_text, schema, usage)
    if attempt.value is None:
        attempt.truncated = raw.response_metadata.get("finish_reason") == "length"
    return attempt


def _validate(raw: AIMessage, raw_text: str, schema: type[T], usage: CallUsage) -> _Attempt[T]:
    try:
        if raw.tool_calls:
            return _Attempt(schema.model_validate(raw.tool_calls[0]["args"]), usage)
        if raw.invalid_tool_calls:
            bad = str(raw.invalid_tool_calls[0].get("error") or "parse error")
            detail = " ".join(bad.split("For troubleshooting")[0].split())[:400]
            return _Attempt(None, usage, f"the tool arguments are not valid JSON: {detail}",
                            raw_text)
        refusal = raw.additional_kwargs.get("refusal")
        if refusal:
            return _Attempt(None, usage, f"the model refused: {str(refusal)[:300]}", raw_text)
        if raw_text.strip():
            return _Attempt(schema.model_validate_json(_unfence(raw_text)), usage)
    except ValidationError as exc:
        return _Attempt(None, usage, _describe(exc), raw_text)
    return _Attempt(None, usage, "the reply held no structured output", raw_text)


def _unfence(text: str) -> str:
    """JSON inside a Markdown code fence (a common habit of small models) is still JSON."""
    match = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", text, re.DOTALL)
    return match.group(1) if match else text


def _describe(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}"
                     for e in error.errors(include_url=False)[:8])


def _raw_text(raw: AIMessage) -> str:
    """What the model wrote: its tool-call arguments, else its text."""
    if raw.tool_calls:
        return json.dumps(raw.tool_calls[0]["args"], ensure_ascii=False)
    if raw.invalid_tool_calls:
        return str(raw.invalid_tool_calls[0].get("args") or "")
    return raw.content if isinstance(raw.content, str) else json.dumps(raw.content)


def make_chat_model(settings: LLMSettings) -> BaseChatModel:
    """langchain-openai's chat model for these settings (OpenAI, Azure or compatible)."""
    from pydantic import SecretStr

    key = settings.api_key
    if key is None:
        if not (settings.base_url or settings.azure_endpoint):
            raise UserError("the llm engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a "
                            "compatible server); or use --engine offline")
        key = SecretStr("not-needed")  # local servers ignore it, the client insists on one
    common: dict[str, Any] = {
        "temperature": settings.temperature, "max_tokens": settings.max_completion_tokens,
        "timeout": settings.timeout_s, "max_retries": 0, "seed": settings.seed,
        "api_key": key,
    }
    if settings.is_azure:
        from langchain_openai import AzureChatOpenAI

        if not settings.api_version:
            raise UserError("Azure OpenAI needs OPENAI_API_VERSION (e.g. 2024-10-21)")
        return AzureChatOpenAI(azure_endpoint=settings.azure_endpoint,
                               api_version=settings.api_version,
                               azure_deployment=settings.model, **common)
    from langchain_openai import ChatOpenAI

    if not settings.is_openai:
        # Compatible servers (llama.cpp among them) know only the older max_tokens name.
        common["extra_body"] = {"max_tokens": settings.max_completion_tokens}
    return ChatOpenAI(model=settings.model, base_url=settings.base_url, **common)


def make_provider(settings: LLMSettings | None = None, *, budget: Budget | None = None,
                  policy: RetryPolicy | None = None) -> ChatProvider:
    settings = settings or load_settings()
    return LangChainProvider(settings, make_chat_model(settings),
                             policy or RetryPolicy(max_retries=settings.max_retries), budget)


@dataclass
class ScriptedProvider:
    """A test fake: replies come from a script, in order.

    Each entry is a pydantic instance (validated against the requested schema), a dict
    (validated likewise; invalid -> LLMError), an exception (raised), or a callable
    ``(messages, schema) -> entry``. Every request is kept in ``requests``.
    """

    replies: list[Any]
    model: str = "scripted"
    requests: list[list[tuple[str, str]]] = field(default_factory=list)

    def structured(self, messages: list[tuple[str, str]], schema: type[T]) -> Reply[T]:
        self.requests.append(list(messages))
        if not self.replies:
            raise LLMError("the script has no more replies", "transport")
        entry = self.replies.pop(0)
        if callable(entry) and not isinstance(entry, BaseModel):
            entry = entry(messages, schema)
        if isinstance(entry, BaseException):
            raise entry
        data = entry.model_dump() if isinstance(entry, BaseModel) else entry
        try:
            value = schema.model_validate(data)
        except ValidationError as exc:
            raise LLMError(f"invalid structured output: {exc.errors()[0]['msg']}") from None
        prompt = estimate_tokens("".join(c for _, c in messages))
        completion = estimate_tokens(value.model_dump_json())
        usage = CallUsage(self.model, prompt, completion, 0.0, 0.0)
        return Reply(value, usage, (usage,))
