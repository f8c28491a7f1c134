"""The llm engine's turn: one call reads the answer and writes what the agent says next.

The model proposes; code disposes. Its evidence items are stamped with the answer's
source and line and go through the same checks and rubric as everything else (a quote
not in the answer, or an unknown indicator id, is dropped); the follow-up cap, the rule
that a bare claim always gets a follow-up, and the choice of the next dimension stay in
code (agent.interview.turns).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from agent.assessment.checks import quote_in
from agent.assessment.model import Evidence
from agent.engines.language import is_injection
from agent.interview.followups import MAX_FOLLOW_UPS
from agent.interview.model import QuestionRecord
from agent.knowledge.schema import FrameworkPack
from agent.transcripts.model import Utterance

if TYPE_CHECKING:
    from agent.assessment.relevance import RelevanceCheck
    from agent.llm.provider import ChatProvider

PROMPT = "interview_turn"


class ProposedEvidence(BaseModel):
    quote: str
    indicator_id: str
    stance: Literal["supports", "contradicts"]
    strength: Literal["specific", "general", "claim"]
    reason: str = ""


class TurnReading(BaseModel):
    """What the model returns for one turn."""

    evidence: list[ProposedEvidence] = Field(default_factory=list)
    injection: bool = False
    follow_up: bool
    next_question: str = Field(min_length=1, max_length=600)


@dataclass(frozen=True)
class LLMTurn:
    evidence: list[Evidence]
    follow_up: bool
    question: str
    usage: dict[str, float]
    injection: bool = False
    irrelevant: int = 0  # proposals dropped by the relevance check or as instructions


class LLMTurnReader:
    def __init__(self, provider: ChatProvider) -> None:
        from agent.llm.prompts import load_prompt

        self.provider = provider
        self.prompt = load_prompt(PROMPT)

    @property
    def engine_name(self) -> str:
        return f"llm:{self.provider.model}"

    @property
    def prompt_version(self) -> str:
        return self.prompt.tag

    def read(self, pack: FrameworkPack, asked: QuestionRecord | None,
             planned: QuestionRecord | None, answer: Utterance,
             follow_up_hint: str, relevance: RelevanceCheck) -> LLMTurn:
        """One call; raises agent.llm.provider.LLMError when the model gives no usable reply."""
        dimension = pack.dimension(str(asked["dimension"])) if asked and asked.get(
            "dimension") else None
        dims = [dimension] if dimension else list(pack.dimensions)
        indicators = "\n".join(f"- {i.id} (level {c.level}): {i.text}"
                               for d in dims for c in d.cells for i in c.indicators)
        fence = f"<<<ANSWER-{secrets.token_hex(4)}>>>"
        done = int(asked.get("follow_ups") or 0) if asked else MAX_FOLLOW_UPS
        messages = self.prompt.render(
            framework=pack.name, stakeholder=answer.role or "unknown",
            dimension=dimension.name if dimension else "any",
            dimension_summary=dimension.summary if dimension else "(no question was pending)",
            indicators=indicators, question=(asked or {}).get("text") or "(none)",
            fence=fence, answer=answer.text.replace(fence, ""),
            follow_ups_left=max(0, MAX_FOLLOW_UPS - done), follow_up_hint=follow_up_hint,
            next_question=(planned or {}).get("text") or "(none: the interview is complete)")
        reply = self.provider.structured(messages, TurnReading)
        value = reply.value
        proposed = [] if value.injection else [_evidence(p, answer) for p in value.evidence]
        evidence, irrelevant = dispose(proposed, answer, pack, relevance)
        usage = {"prompt_tokens": reply.usage.prompt_tokens,
                 "completion_tokens": reply.usage.completion_tokens,
                 "cost_usd": reply.usage.cost_usd}
        return LLMTurn(evidence, value.follow_up, value.next_question.strip(), usage,
                       value.injection, irrelevant)


def dispose(proposed: list[Evidence], answer: Utterance, pack: FrameworkPack,
            relevance: RelevanceCheck) -> tuple[list[Evidence], int]:
    """What the llm engine does with proposals, before checks and rubric: a quote of an
    instruction is dropped; a real quote on a known indicator must pass the relevance
    check; anything else goes on to ``check_evidence``, which drops and counts it."""
    table = pack.indicators()
    checkable: list[Evidence] = []
    passthrough: list[Evidence] = []
    dropped = 0
    for item in proposed:
        if is_injection(item.quote):
            dropped += 1
        elif quote_in(item.quote, answer.text) and item.indicator_id in table:
            checkable.append(item)
        else:
            passthrough.append(item)
    result = relevance.check(checkable, pack)
    return passthrough + result.kept, dropped + len(result.dropped)


def _evidence(item: ProposedEvidence, answer: Utterance) -> Evidence:
    return Evidence(quote=item.quote, source=answer.source, line=answer.line,
                    speaker=answer.speaker, role=answer.role, stance=item.stance,
                    indicator_id=item.indicator_id, strength=item.strength,
                    dimension=item.indicator_id.split(".", 1)[0], reason=item.reason)
