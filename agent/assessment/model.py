"""The assessment as the contract defines it (schema_version 1), plus our extra fields.

Outside checks read the contract's fields; the extra fields (names, indicator status,
stats) make reports and evaluations possible without recomputing anything.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stance = Literal["supports", "contradicts"]
#: How much a statement proves: ``specific`` names something checkable (a tool, a
#: number, a document, an incident), ``general`` states a fact without such detail,
#: ``claim`` is a hedge or a self-assessment and never counts towards a level.
Strength = Literal["specific", "general", "claim"]
Status = Literal["met", "unmet", "contradicted", "claimed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    quote: str
    source: str
    line: int
    speaker: str | None
    stance: Stance
    indicator_id: str | None
    strength: Strength = "general"
    role: str | None = None
    dimension: str | None = None
    reason: str = ""
    relevance: float | None = None


class Citation(_Model):
    chunk_id: str
    text: str
    why: str = ""


class IndicatorStatus(_Model):
    id: str
    level: int
    text: str
    status: Status
    support: float = 0.0
    contradict: float = 0.0


class DimensionResult(_Model):
    id: str
    name: str = ""
    level: int | None
    level_name: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = []
    citations: list[Citation] = []
    missing: list[str] = []
    missing_indicators: list[str] = []
    indicators: list[IndicatorStatus] = []
    speakers: dict[str, int | None] = {}
    rationale: str = ""


class Warning_(_Model):
    code: str
    message: str


class RoadmapItem(_Model):
    dimension: str
    to_level: int
    action: str
    chunk_id: str
    priority: int = 0


class Disagreement(_Model):
    dimension: str
    levels: dict[str, int | None]
    message: str
    quotes: list[Evidence] = []


class SourceInfo(_Model):
    source: str
    format: str
    utterances: int
    words: int


class Speaker(_Model):
    name: str
    role: str | None
    role_category: str | None
    utterances: int
    #: False for whoever ran the meeting (facilitator, interviewer): not a stakeholder.
    evidence_eligible: bool = True


class Stats(_Model):
    sentences: int = 0
    evidence: int = 0
    claims: int = 0
    ungrounded_dropped: int = 0
    unknown_indicator_dropped: int = 0
    irrelevant_dropped: int = 0
    injection_sentences: int = 0
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class Assessment(_Model):
    schema_version: Literal[1] = 1
    framework: str
    framework_name: str = ""
    engine: str
    created: str
    prompt_version: str | None = None
    sources: list[SourceInfo] = []
    speakers: list[Speaker] = []
    dimensions: list[DimensionResult]
    warnings: list[Warning_] = []
    roadmap: list[RoadmapItem] = []
    disagreements: list[Disagreement] = []
    stats: Stats = Stats()

    def levels(self) -> dict[str, int | None]:
        return {d.id: d.level for d in self.dimensions}

    def dimension(self, dimension_id: str) -> DimensionResult:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)
