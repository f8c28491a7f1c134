"""The assessment as the contract defines it (schema_version 1), plus our extra fields.

Outside checks read the contract's fields; the extra fields (names, indicator status,
stats) make reports and evaluations possible without recomputing anything.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Stance = Literal["supports", "contradicts"]
#: How much a statement proves: ``specific`` names something checkable (a tool, a
#: number, a document, an incident), ``general`` states a fact without such detail,
#: ``claim`` is a hedge or a self-assessment and never counts towards a level.
Strength = Literal["specific", "general", "claim"]
#: An indicator's state (docs/level-rule.md): shown by evidence, denied, presupposed by
#: evidenced practice above it, or not discussed (bare claims leave it not discussed).
Status = Literal["evidenced", "contradicted", "not_discussed", "inferred"]
Position = Literal["below", "within", "above", "leading", "unknown"]
DisagreementKind = Literal["spread", "conflict"]


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
    role_category: str | None = None
    #: Who confirmed this item in a review (``maturity review --accept``).
    accepted_by: str | None = None


class Override(_Model):
    """A reviewer's level for a dimension (``maturity review --set``). The dimension's
    ``level`` is then this level; ``proposed`` keeps the level the rubric gave."""

    level: int
    reason: str
    by: str
    at: str = ""
    proposed: int | None = None


class Citation(_Model):
    chunk_id: str
    text: str
    why: str = ""


_EARLIER_STATUS = {"met": "evidenced", "unmet": "not_discussed", "claimed": "not_discussed"}


class EvidenceRef(_Model):
    """A quote behind an indicator's state (the full item is in the dimension's evidence)."""

    quote: str
    source: str
    line: int
    speaker: str | None
    stance: Stance


class IndicatorStatus(_Model):
    id: str
    level: int
    text: str
    status: Status
    support: float = 0.0
    contradict: float = 0.0
    #: Bare claims about it: recorded, never counted.
    claims: int = 0
    evidence: list[EvidenceRef] = []
    #: For ``inferred``: the evidenced indicators above it that presuppose it.
    inferred_from: list[str] = []

    @field_validator("status", mode="before")
    @classmethod
    def _earlier_names(cls, value: object) -> object:
        """Assessments stored before the four states (history) still load."""
        return _EARLIER_STATUS.get(value, value) if isinstance(value, str) else value


class ToVerify(_Model):
    """An indicator still to check with the client, and the framework's question for it."""

    indicator_id: str
    level: int
    text: str
    why: str
    question: str = ""


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
    #: Contradicted indicators that hold the level where it is.
    held_by: list[str] = []
    to_verify: list[ToVerify] = []
    #: Share of the indicators at levels 2..level that rest on inference.
    inferred_share: float = 0.0
    #: Why the pooled level is above every stakeholder's own, when it is.
    pooled_note: str = ""
    #: Set by a review: the reviewer's level and why (the contract's ``override``).
    override: Override | None = None


class Warning_(_Model):
    code: str
    message: str


class RoadmapItem(_Model):
    dimension: str
    to_level: int
    action: str
    chunk_id: str
    priority: int = 0
    title: str = ""
    from_level: int | None = None
    #: Every dimension the action serves (``dimension`` is the one it is most urgent for).
    dimensions: list[str] = []
    #: ``step``: a step of the pack's roadmap; ``indicator``: an unmet indicator of the next
    #: level, used where the pack's transition has no step for the dimension.
    kind: Literal["step", "indicator"] = "step"
    gap: int = 0
    weight: float = 1.0
    urgency: float = 0.0
    why: str = ""


class Disagreement(_Model):
    dimension: str
    levels: dict[str, int | None]
    message: str
    quotes: list[Evidence] = []
    #: ``spread``: respondents' own levels differ; ``conflict``: one asserts what another denies.
    kinds: list[DisagreementKind] = []
    respondents: int = 0
    std_dev: float | None = None


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
    #: The same sentence from the same person in two sources, counted once.
    duplicates_dropped: int = 0
    irrelevant_dropped: int = 0
    injection_sentences: int = 0
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    #: LLM calls made (a repair counts as a call) and their summed latency.
    llm_calls: int = 0
    llm_seconds: float = 0.0


class StakeholderLevels(_Model):
    """The levels one stakeholder's own evidence supports, dimension by dimension."""

    name: str
    role: str | None = None
    role_category: str | None = None
    levels: dict[str, int | None] = {}
    evidence: dict[str, int] = {}  # dimension -> factual evidence items


class RoleLevels(_Model):
    """The levels the pooled evidence of everyone in one role category supports."""

    role: str
    speakers: list[str] = []
    levels: dict[str, int | None] = {}


class DimensionSpread(_Model):
    dimension: str
    respondents: int = 0  # stakeholders with enough evidence on the dimension to compare
    levels: dict[str, int | None] = {}
    mean: float | None = None
    std_dev: float | None = None
    low: int | None = None
    high: int | None = None
    roles: list[str] = []  # role categories that gave factual evidence on the dimension
    disagree: bool = False


class RoleCoverage(_Model):
    role: str
    speakers: list[str] = []
    dimensions: list[str] = []  # dimensions this role gave factual evidence on
    present: bool = False


class StakeholderView(_Model):
    stakeholders: list[StakeholderLevels] = []
    roles: list[RoleLevels] = []
    pooled: dict[str, int | None] = {}
    spread: list[DimensionSpread] = []
    coverage: list[RoleCoverage] = []
    missing_roles: list[str] = []


class BenchmarkPlacement(_Model):
    dimension: str
    level: int | None
    #: The levels compared with the range: the level itself, or its crosswalk equivalents.
    compared: list[int] = []
    position: Position


class BenchmarkView(_Model):
    id: str
    chunk_id: str
    framework: str  # the pack the benchmark comes from
    industry: str
    typical_min: int
    typical_max: int
    leading_edge: int
    constraint: str
    strongest_dimension: str | None = None
    #: True when the levels were translated into the benchmark's framework by the crosswalk.
    mapped: bool = False
    placements: list[BenchmarkPlacement] = []
    summary: str = ""


class CrosswalkLevels(_Model):
    target: str
    target_name: str = ""
    levels: dict[str, list[int]] = {}  # dimension -> equivalent levels in the target
    overall_from: int | None = None  # the median dimension level the overall reading uses
    overall: list[int] = []
    overall_names: list[str] = []
    rationale: str = ""


class TrackResult(_Model):
    id: str
    name: str
    levels: dict[str, int | None] = {}
    evidenced: bool = False  # some evidence is about an indicator of this track


class TrackView(_Model):
    tracks: list[TrackResult] = []
    #: dimension -> first track's level minus the second's (None when either is unknown).
    gaps: dict[str, int | None] = {}
    summary: str = ""


class MetricReading(_Model):
    """An operational metric stated in the transcript, placed in the pack's bands."""

    metric: str
    name: str
    value: str  # the stated value, verbatim
    normalized: float | None = None
    unit: str = ""
    level: int
    band: str
    chunk_id: str
    dimension: str | None = None
    quote: str
    source: str
    line: int
    speaker: str | None = None


class MistakeFlag(_Model):
    """A common mistake from the pack that the evidence shows."""

    id: str
    chunk_id: str
    title: str
    text: str
    dimensions: list[str] = []
    reason: str
    quotes: list[Evidence] = []


class ExecutiveSummary(_Model):
    """The executive summary as stored: phrased by the model (and checked by code) or
    written by the rules. ``levels`` are the levels it was written for: a report shows a
    phrased text only while the assessment still has them (a review may change a level)."""

    text: str
    phrased_by: Literal["llm", "rules"]
    levels: dict[str, int | None] = {}


class DocumentRequest(_Model):
    """An interview follow-up that asked for a document or artefact, and what came back."""

    dimension: str
    indicator_id: str | None = None
    asked: str
    #: Who it was put to, and who answered (the same person, unless someone else replied).
    asked_of: str | None = None
    answer_excerpt: str = ""
    #: True when the answer named a concrete artefact (a link, a file, a ticket, a tool).
    answered: bool = False
    #: The words that named it, when it did.
    artefact: str = ""


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
    industry: str | None = None
    stakeholders: StakeholderView | None = None
    benchmark: BenchmarkView | None = None
    crosswalk: list[CrosswalkLevels] = []
    tracks: TrackView | None = None
    metrics: list[MetricReading] = []
    mistakes: list[MistakeFlag] = []
    #: Set with the llm engine when asked for (``assess(..., phrase_summary=True)``);
    #: None: the reports write the summary from the assessment themselves.
    summary: ExecutiveSummary | None = None
    #: Interview follow-ups that asked for a document (empty for transcripts).
    requested_documents: list[DocumentRequest] = []

    def levels(self) -> dict[str, int | None]:
        return {d.id: d.level for d in self.dimensions}

    def dimension(self, dimension_id: str) -> DimensionResult:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)
