"""The seam every evidence proposer (offline rules, LLM) plugs into.

An engine reads language and proposes evidence; it never decides a level. The checks
and the rubric (agent.assessment) dispose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agent.assessment.model import Evidence
from agent.knowledge.schema import FrameworkPack
from agent.transcripts.model import Transcript, Utterance


@dataclass
class Proposal:
    evidence: list[Evidence]
    sentences: int = 0
    injections: list[Evidence] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    warnings: list[tuple[str, str]] = field(default_factory=list)
    #: Real quotes the proposer's own code checks found not about their indicator.
    irrelevant_dropped: int = 0
    llm_calls: int = 0
    llm_seconds: float = 0.0


class EvidenceEngine(Protocol):
    @property
    def name(self) -> str: ...

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal: ...


def injection_evidence(u: Utterance, quote: str) -> Evidence:
    """A sentence that tries to instruct the assessor: kept for the warning, never counted."""
    return Evidence(quote=quote, source=u.source, line=u.line, speaker=u.speaker, role=u.role,
                    stance="supports", indicator_id=None, strength="claim",
                    reason="tries to instruct the assessor")
