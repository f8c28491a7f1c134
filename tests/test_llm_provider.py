"""The real provider (langchain-openai over HTTP) against a local fake OpenAI server."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_fake_server import FakeOpenAI, Reply, content_reply, error_reply, tool_reply

from agent.errors import UserError
from agent.llm.extraction import Extraction
from agent.llm.provider import (
    Budget,
    LLMError,
    ScriptedProvider,
    make_provider,
    redact,
    strict_response_format,
)
from agent.llm.retry import RetryPolicy
from agent.llm.settings import load_settings

KEY = "sk-test-0123456789abcdef"
GOOD = {"evidence": [{"indicator_id": "data.l2.x", "stance": "supports", "strength": "general",
                      "quote": "We keep a catalogue.", "line": 3, "reason": "catalogue"}],
        "injections": []}
MESSAGES = [("system", "rules"), ("user", "the transcript")]


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def provider(url: str, home: Path, sleeps: Sleeps, budget: Budget | None = None,
             **settings: Any) -> Any:
    settings = {"model": "fake-model", **settings}
    s = load_settings(home, base_url=url, api_key=KEY, **settings)
    policy = RetryPolicy(max_retries=s.max_retries, sleep=sleeps, rng=random.Random(7))
    return make_provider(s, policy=policy, budget=budget)


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[Any] = []

    def start(replies: Any) -> FakeOpenAI:
        fake = FakeOpenAI(replies)
        ctx = fake.running()
        ctx.__enter__()
        servers.append(ctx)
        return fake

    yield start
    for ctx in servers:
        ctx.__exit__(None, None, None)


def test_tool_call_reply_is_validated_and_accounted(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([tool_reply(GOOD, prompt_tokens=1000, completion_tokens=200)])
    reply = provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert reply.value.evidence[0].quote == "We keep a catalogue."
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (1000, 200)
    assert reply.usage.model == "fake-model" and reply.usage.latency_s >= 0
    body = fake.requests[0]
    # Deterministic request: temperature 0, fixed seed, tool forced, no timestamps or ids.
    assert body["temperature"] == 0 and body["seed"] == 0
    assert body["tool_choice"]["function"]["name"] == "Extraction"
    assert body["max_tokens"] == body["max_completion_tokens"]
    assert body["messages"] == [{"role": "system", "content": "rules"},
                                {"role": "user", "content": "the transcript"}]


def test_identical_calls_send_identical_bodies(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([tool_reply(GOOD), tool_reply(GOOD)])
    p = provider(fake.url, home, sleeps)
    p.structured(MESSAGES, Extraction)
    p.structured(MESSAGES, Extraction)
    assert json.dumps(fake.requests[0], sort_keys=True) == json.dumps(fake.requests[1],
                                                                       sort_keys=True)


def test_429_then_success_is_retried_with_backoff(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([error_reply(429, retry_after="2"), error_reply(503), tool_reply(GOOD)])
    reply = provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert reply.value.evidence and len(fake.requests) == 3
    # Retry-After (2 s) beats the first backoff step (1 s); then 2 s; plus up to 25% jitter.
    assert len(sleeps.waits) == 2 and 2.0 <= sleeps.waits[0] <= 2.5 and 2 <= sleeps.waits[1] <= 2.5
    again = Sleeps()
    fake2 = serve([error_reply(429, retry_after="2"), error_reply(503), tool_reply(GOOD)])
    provider(fake2.url, home, again).structured(MESSAGES, Extraction)
    assert again.waits == sleeps.waits  # seeded jitter: the same waits every run


def test_500s_exhaust_the_retries(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([error_reply(500)] * 5)
    with pytest.raises(LLMError) as info:
        provider(fake.url, home, sleeps, max_retries=2).structured(MESSAGES, Extraction)
    assert info.value.kind == "transport" and "HTTP 500" in str(info.value)
    assert len(fake.requests) == 3 and len(sleeps.waits) == 2


def test_slow_reply_times_out_and_is_retried(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([Reply(body={}, delay=1.0), tool_reply(GOOD)])
    reply = provider(fake.url, home, sleeps, timeout_s=0.2, max_retries=1).structured(
        MESSAGES, Extraction)
    assert reply.value.evidence and len(sleeps.waits) == 1
    fake = serve([Reply(body={}, delay=1.0)] * 2)
    with pytest.raises(LLMError, match=r"timed out after 0\.2 s") as info:
        provider(fake.url, home, sleeps, timeout_s=0.2, max_retries=1).structured(
            MESSAGES, Extraction)
    assert info.value.kind == "transport"


def test_invalid_json_gets_one_repair_with_the_error(serve: Any, home: Path,
                                                     sleeps: Sleeps) -> None:
    fake = serve([tool_reply('{"evidence": [ {"indicator_id": '), tool_reply(GOOD)])
    reply = provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert reply.value.evidence and len(reply.calls) == 2
    repair = fake.requests[1]["messages"]
    assert repair[:2] == fake.requests[0]["messages"]
    assert repair[2]["role"] == "assistant" and '{"evidence"' in repair[2]["content"]
    assert repair[3]["role"] == "user" and "not valid JSON" in repair[3]["content"]


def test_a_reply_cut_off_at_the_token_limit_is_not_repaired(serve: Any, home: Path,
                                                            sleeps: Sleeps) -> None:
    cut = tool_reply('{"evidence": [ {"indicator_id": "strat', finish_reason="length")
    fake = serve([cut, tool_reply(GOOD)])
    with pytest.raises(LLMError, match=r"cut off at the \d+-token completion limit") as info:
        provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert info.value.kind == "invalid" and len(info.value.calls) == 1
    assert len(fake.requests) == 1  # no repair request was sent
    # A reply that stopped on its own but is invalid still gets its one repair.
    fake = serve([tool_reply('{"evidence": [ {"indicator_id": '), tool_reply(GOOD)])
    assert len(provider(fake.url, home, sleeps).structured(MESSAGES, Extraction).calls) == 2


def test_invalid_twice_is_an_llm_error_that_keeps_the_usage(serve: Any, home: Path,
                                                            sleeps: Sleeps) -> None:
    wrong = {"evidence": [{"indicator_id": "x", "stance": "maybe"}], "injections": []}
    fake = serve([tool_reply(wrong), tool_reply(wrong, prompt_tokens=10, completion_tokens=5)])
    with pytest.raises(LLMError, match="after one repair") as info:
        provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert info.value.kind == "invalid" and len(info.value.calls) == 2
    assert info.value.calls[1].prompt_tokens == 10
    assert "evidence.0.stance" in fake.requests[1]["messages"][3]["content"]


def test_json_schema_mode_validates_message_content(serve: Any, home: Path,
                                                    sleeps: Sleeps) -> None:
    fake = serve([content_reply("not json at all"),
                  content_reply("```json\n" + json.dumps(GOOD) + "\n```")])
    p = provider(fake.url, home, sleeps, structured_method="json_schema")
    assert p.structured(MESSAGES, Extraction).value.evidence[0].line == 3
    fmt = fake.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert "maxLength" not in json.dumps(fmt) and '"maxItems": 60' in json.dumps(fmt)
    assert "Invalid JSON" in fake.requests[1]["messages"][3]["content"]
    assert strict_response_format(Extraction)["name"] == "Extraction"


def test_bad_credentials_and_unknown_model_are_user_errors_without_the_key(
        serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([error_reply(401, f"Incorrect API key provided: {KEY}")])
    with pytest.raises(UserError, match="OPENAI_API_KEY") as info:
        provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert KEY not in str(info.value)
    fake = serve([error_reply(404, "no such model")])
    with pytest.raises(UserError, match="MATURITY_MODEL"):
        provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)


def test_rejected_requests_never_echo_a_key(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([error_reply(400, f"bad request from key {KEY} and sk-other-99999")])
    with pytest.raises(LLMError) as info:
        provider(fake.url, home, sleeps).structured(MESSAGES, Extraction)
    assert info.value.kind == "rejected" and "HTTP 400" in str(info.value)
    assert KEY not in str(info.value) and "sk-other" not in str(info.value)
    assert fake.headers[0]["authorization"] == f"Bearer {KEY}"  # it was sent, not shown
    assert redact(f"Bearer {KEY} x", [KEY]) == "[redacted] x"


def test_budget_refuses_a_call_before_it_is_made(serve: Any, home: Path, sleeps: Sleeps) -> None:
    fake = serve([tool_reply(GOOD, prompt_tokens=1000, completion_tokens=100)] * 3)
    budget = Budget(max_cost_usd=0.01)
    # gpt-4.1-mini: 0.40 / 1.60 USD per 1M tokens; the estimate includes 4096 completion.
    p = provider(fake.url, home, sleeps, model="gpt-4.1-mini", budget=budget)
    p.structured(MESSAGES, Extraction)
    assert budget.spent_usd == pytest.approx((1000 * 0.40 + 100 * 1.60) / 1e6)
    tight = Budget(max_cost_usd=0.005)
    p = provider(fake.url, home, sleeps, model="gpt-4.1-mini", budget=tight)
    with pytest.raises(LLMError, match="cap") as info:
        p.structured(MESSAGES, Extraction)
    assert info.value.kind == "budget" and len(fake.requests) == 1  # never sent


def test_cached_prompt_tokens_are_priced_at_the_cached_rate(serve: Any, home: Path,
                                                            sleeps: Sleeps) -> None:
    fake = serve([tool_reply(GOOD, prompt_tokens=10_000, completion_tokens=1_000,
                             cached_tokens=8_000)])
    reply = provider(fake.url, home, sleeps, model="gpt-4.1-mini").structured(
        MESSAGES, Extraction)
    # 2,000 fresh at 0.40, 8,000 cached at 0.10, 1,000 completion at 1.60 (USD per 1M).
    assert reply.usage.cached_tokens == 8_000
    assert reply.usage.cost_usd == pytest.approx((2_000 * 0.40 + 8_000 * 0.10 + 1_000 * 1.60)
                                                 / 1e6)


def test_no_key_and_no_endpoint_is_a_user_error(home: Path) -> None:
    with pytest.raises(UserError, match="OPENAI_API_KEY"):
        make_provider(load_settings(home))


def test_scripted_provider_validates_and_raises_in_order() -> None:
    p = ScriptedProvider([GOOD, LLMError("down", "transport"), {"evidence": "nope"}])
    assert p.structured(MESSAGES, Extraction).value.evidence[0].line == 3
    with pytest.raises(LLMError, match="down"):
        p.structured(MESSAGES, Extraction)
    with pytest.raises(LLMError, match="invalid"):
        p.structured(MESSAGES, Extraction)
    with pytest.raises(LLMError, match="no more replies"):
        p.structured(MESSAGES, Extraction)
    assert len(p.requests) == 4 and p.requests[0] == MESSAGES
