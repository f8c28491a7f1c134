"""The executive summary phrased by a model and held to the assessment by code.

A scripted provider plays the model: a faithful paragraph is stored and shown; a paragraph
with an invented figure or a wrong level, or a failed call, leaves the rules' summary and a
warning. One test goes through the real client to the local fake OpenAI server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest
from llm_fake_server import FakeOpenAI, Reply, tool_reply

from agent.app import Services
from agent.assessment.model import Assessment, DimensionResult
from agent.assessment.pipeline import assess
from agent.assessment.review import set_level
from agent.engines.factory import make_engine
from agent.engines.offline import OfflineEngine
from agent.knowledge.loader import builtin_packs
from agent.llm.provider import LLMError, ScriptedProvider, make_provider
from agent.llm.retry import RetryPolicy
from agent.llm.settings import load_settings
from agent.llm.summary import FALLBACK, phrase_summary, summary_facts
from agent.reports.markdown import render_markdown
from agent.reports.render import render
from agent.reports.summary import misstated_levels, phrasing_problems, summary_text
from agent.transcripts import read_transcripts

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = ROOT / "examples" / "northwind-assessment.txt"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def a(example_assessment: Assessment) -> Assessment:
    return example_assessment.model_copy(deep=True)


def scored(a: Assessment) -> tuple[DimensionResult, DimensionResult]:
    """The strongest and the weakest scored dimension (their levels differ)."""
    dims = sorted((d for d in a.dimensions if d.level is not None), key=lambda d: d.level or 0)
    assert dims[0].level != dims[-1].level, "the example must have a spread of levels"
    return dims[-1], dims[0]


def faithful(a: Assessment) -> str:
    high, low = scored(a)
    return (f"Across {len(a.dimensions)} dimensions, {high.name} is the strongest at level "
            f"{high.level} and {low.name} the weakest at level {low.level}. Confidence is "
            f"{high.confidence:.2f} on {high.name}. Several indicators still need a document "
            "before the levels can be relied on.")


def warning_codes(a: Assessment) -> list[str]:
    return [w.code for w in a.warnings]


def test_the_rules_summary_passes_its_own_checks(a: Assessment) -> None:
    assert phrasing_problems(summary_text(a), a) == []


def test_a_faithful_paragraph_is_stored_and_shown_without_calling_the_model_again(
        a: Assessment) -> None:
    text = faithful(a)
    provider = ScriptedProvider([{"text": text}])
    calls_before = a.stats.llm_calls
    phrase_summary(a, provider)
    assert a.summary is not None and a.summary.phrased_by == "llm" and a.summary.text == text
    assert a.summary.levels == a.levels() and FALLBACK not in warning_codes(a)
    assert a.stats.llm_calls == calls_before + 1
    # The model was sent the rules' facts, not the transcript.
    sent = "\n".join(content for _, content in provider.requests[0])
    assert summary_facts(a) in sent and "Facts:" in sent
    # The reports read the stored text; an empty script proves no call is made.
    md = render_markdown(a)
    assert text in md and "every figure and level in it was checked" in md
    assert escape(text) in render(a, "html")
    assert text in Assessment.model_validate_json(a.model_dump_json()).summary.text  # type: ignore[union-attr]


def test_an_invented_figure_falls_back_to_the_rules_text(a: Assessment) -> None:
    text = faithful(a) + " About 80% of teams already use the platform."
    phrase_summary(a, ScriptedProvider([{"text": text}]))
    assert a.summary is not None and a.summary.phrased_by == "rules"
    assert a.summary.text == summary_text(a)
    warning = next(w for w in a.warnings if w.code == FALLBACK)
    assert "80%" in warning.message
    md = render_markdown(a)
    assert "use the platform" not in md and "**Overall.**" in md  # the rules' points


def test_a_level_stated_differently_falls_back(a: Assessment) -> None:
    high, low = scored(a)
    # Another dimension's level: a figure the assessment holds, said of the wrong dimension.
    text = f"{low.name} is at level {high.level}, on a par with {high.name}."
    assert misstated_levels(text, a) == [f"{low.name}: level {high.level}"]
    phrase_summary(a, ScriptedProvider([{"text": text}]))
    assert a.summary is not None and a.summary.phrased_by == "rules"
    warning = next(w for w in a.warnings if w.code == FALLBACK)
    assert "level stated differently" in warning.message and low.name in warning.message


@pytest.mark.parametrize("text, problems", [
    ("{high} and {low} are both at level {hl}.", ["{low}: level {hl}"]),
    ("At level {ll}, {low} trails; {high} leads at level {hl}.", []),
    ("{high} reached {lowname}.", ["{high}: {lowname}"]),
])
def test_which_dimension_a_level_is_said_of(a: Assessment, text: str,
                                            problems: list[str]) -> None:
    high, low = scored(a)
    values = {"high": high.name, "low": low.name, "hl": high.level, "ll": low.level,
              "lowname": low.level_name}
    assert misstated_levels(text.format(**values), a) == [p.format(**values) for p in problems]


def test_a_failed_call_falls_back_and_says_so(a: Assessment) -> None:
    phrase_summary(a, ScriptedProvider([LLMError("HTTP 503 (after 2 retries)", "transport")]))
    assert a.summary is not None and a.summary.phrased_by == "rules"
    warning = next(w for w in a.warnings if w.code == FALLBACK)
    assert "the call failed" in warning.message and "503" in warning.message


def test_a_phrased_summary_gives_way_once_a_review_changes_a_level(a: Assessment) -> None:
    text = faithful(a)
    phrase_summary(a, ScriptedProvider([{"text": text}]))
    high, _ = scored(a)
    pack = next(p for p in builtin_packs() if p.id == a.framework)
    reviewed, _ = set_level(a, pack, high.id, (high.level or 1) - 1, "minutes seen", "Ada",
                            "2026-05-01")
    assert text in render_markdown(a)
    md = render_markdown(reviewed)
    assert text not in md and "**Overall.**" in md


def test_the_offline_engine_phrases_nothing(services: Services) -> None:
    pack = services.registry.get("enterprise-ai")
    out = assess(read_transcripts([NORTHWIND]), pack, OfflineEngine(services.index()), NOW,
                 phrase_summary=True)
    assert out.summary is None and FALLBACK not in warning_codes(out)


def test_phrased_through_the_real_client_and_the_local_server(services: Services) -> None:
    """assess(..., phrase_summary=True) with the llm engine: the extraction calls and then
    one summary call, over HTTP through langchain-openai to the fake server."""
    paragraph = ("None of the 6 dimensions could be scored yet: the transcript gave no "
                 "evidence the checks could keep. Ask each dimension's questions again.")

    def respond(body: dict[str, Any]) -> Reply:
        tool = body["tools"][0]["function"]["name"]
        if tool == "PhrasedSummary":
            return tool_reply({"text": paragraph}, name="PhrasedSummary")
        return tool_reply({"evidence": [], "injections": []})

    fake = FakeOpenAI(respond)
    with fake.running():
        settings = load_settings(services.home, base_url=fake.url, api_key="sk-test-summary",
                                 model="fake-model")
        provider = make_provider(settings, policy=RetryPolicy(max_retries=0))
        engine = make_engine("llm", services, provider=provider)
        out = assess(read_transcripts([NORTHWIND]), services.registry.get("enterprise-ai"),
                     engine, NOW, phrase_summary=True)
    summary_calls = [b for b in fake.requests
                     if b["tools"][0]["function"]["name"] == "PhrasedSummary"]
    assert len(summary_calls) == 1 and len(fake.requests) == 7
    assert "Not enough evidence to score any of the 6 dimensions" in str(
        summary_calls[0]["messages"])
    assert out.summary is not None and out.summary.phrased_by == "llm"
    assert out.summary.text == paragraph and out.stats.llm_calls == 7
    assert paragraph in render_markdown(out)
