"""The executive summary phrased by the chat model, every figure in it checked by code.

The rules write the summary's facts (agent.reports.summary: levels, confidence, the
strongest and weakest dimensions, disagreements, what to verify, caveats); the model
only turns them into a paragraph. Code then holds the paragraph to the assessment:
every number must be one it holds (``unsupported_figures``) and no dimension may be given
another level (``misstated_levels``). A reply that fails, or a call that fails, leaves
the rules' text in place and a ``summary_fallback`` warning saying why.

The result is stored in the assessment (``summary``), so a report never calls the model.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from agent.assessment.model import Assessment, ExecutiveSummary, Warning_
from agent.errors import UserError
from agent.llm.prompts import Prompt, load_prompt
from agent.llm.provider import CallUsage, ChatProvider, LLMError
from agent.reports.summary import executive_summary, phrasing_problems, summary_text

FALLBACK = "summary_fallback"


class PhrasedSummary(BaseModel):
    """One paragraph of plain prose: the executive summary of the assessment."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


def summary_facts(a: Assessment) -> str:
    return "\n".join(f"- {p.label}: {p.text}" for p in executive_summary(a))


def phrase_summary(a: Assessment, provider: ChatProvider, prompt: Prompt | None = None) -> None:
    """Store the model's phrasing of the summary in ``a.summary`` if it passes the checks,
    else the rules' text and a warning. The call's tokens and cost go into ``a.stats``."""
    prompt = prompt or load_prompt("phrase_summary")
    messages = prompt.render(framework=a.framework_name or a.framework, facts=summary_facts(a))
    try:
        reply = provider.structured(messages, PhrasedSummary)
    except (LLMError, UserError) as exc:
        _account(a, exc.calls if isinstance(exc, LLMError) else ())
        _fall_back(a, f"the call failed: {' '.join(str(exc).split())[:200]}")
        return
    _account(a, reply.calls or (reply.usage,))
    text = " ".join(reply.value.text.split())
    problems = phrasing_problems(text, a)
    if problems:
        _fall_back(a, "; ".join(problems[:3]))
        return
    a.summary = ExecutiveSummary(text=text, phrased_by="llm", levels=a.levels())


def _fall_back(a: Assessment, why: str) -> None:
    a.summary = ExecutiveSummary(text=summary_text(a), phrased_by="rules", levels=a.levels())
    a.warnings.append(Warning_(code=FALLBACK, message=(
        f"the model's executive summary was not used ({why}); the summary is the one "
        "written from the assessment by rules")))


def _account(a: Assessment, calls: Sequence[CallUsage]) -> None:
    for call in calls:
        a.stats.prompt_tokens += call.prompt_tokens
        a.stats.completion_tokens += call.completion_tokens
        a.stats.cost_usd += call.cost_usd
        a.stats.llm_seconds = round(a.stats.llm_seconds + call.latency_s, 3)
        a.stats.llm_calls += 1
