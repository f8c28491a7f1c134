"""The pydantic schema of a framework knowledge pack (one YAML file per framework).

A pack is data, written in our own words from a published maturity model: levels,
dimensions, and for every dimension x level cell the observable indicators that the
rubric checks. Everything else (questions, roadmap, benchmarks, mistakes, tooling,
metrics, tracks) feeds the interview, the report and the roadmap.

Ids are stable and human-readable because chunks, evidence and cassettes refer to
them: an indicator id is ``<dimension>.l<level>.<slug>``; every other item id is
unique within the pack. The validators below enforce both, so a typo in a pack is a
load error with one clear line, never a silently missing indicator.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(rf"^{SLUG}(?:\.{SLUG})*$")

#: Role categories a question is best answered by, and a speaker is mapped to.
Role = Literal["engineering", "product", "data", "executive", "risk", "operations", "design"]
ROLES: tuple[Role, ...] = (
    "engineering",
    "product",
    "data",
    "executive",
    "risk",
    "operations",
    "design",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError(f"id {value!r} must be lowercase words joined by '-' and '.'")
    return value


class Level(_Strict):
    """A framework-wide level (or stage) and what an organisation there looks like."""

    level: int = Field(ge=1, le=9)
    name: str
    summary: str
    profile: str | None = None
    signs: list[str] = []


class Indicator(_Strict):
    """One concrete, observable checklist item for a dimension at a level."""

    id: str
    text: str
    #: Lowercase phrases whose presence in a statement is a strong lexical signal that
    #: the statement is about this indicator (tools, artefacts, practices).
    keywords: list[str] = []
    #: For packs with tracks (classical ML vs LLM), the track this indicator belongs to.
    track: str | None = None

    _v_id = field_validator("id")(_check_id)

    @field_validator("keywords")
    @classmethod
    def _lowercase_keywords(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if k != k.lower() or not k.strip()]
        if bad:
            raise ValueError(f"keywords must be non-empty lowercase phrases, got {bad!r}")
        return value


class Cell(_Strict):
    """A dimension at one level: a short description and the indicators that define it."""

    level: int = Field(ge=1, le=9)
    summary: str
    indicators: list[Indicator] = Field(min_length=1)


class Question(_Strict):
    """An assessment question, the roles best placed to answer it, what it probes."""

    id: str
    text: str
    roles: list[Role] = Field(min_length=1)
    indicators: list[str] = []
    follow_ups: list[str] = []

    _v_id = field_validator("id")(_check_id)


class Dimension(_Strict):
    id: str
    name: str
    summary: str
    #: Relative priority when sequencing a roadmap (foundations first): higher goes first
    #: at equal gap.
    weight: float = Field(default=1.0, gt=0)
    cells: list[Cell]
    questions: list[Question] = []

    _v_id = field_validator("id")(_check_id)


class RoadmapStep(_Strict):
    id: str
    title: str
    action: str
    dimensions: list[str] = Field(min_length=1)

    _v_id = field_validator("id")(_check_id)


class Transition(_Strict):
    """The actions that move an organisation from one level to the next."""

    from_level: int = Field(ge=1)
    to_level: int = Field(ge=2)
    title: str
    typical_duration: str | None = None
    steps: list[RoadmapStep] = Field(min_length=1)


class Benchmark(_Strict):
    id: str
    industry: str
    typical_min: int
    typical_max: int
    leading_edge: int
    constraint: str
    strongest_dimension: str | None = None

    _v_id = field_validator("id")(_check_id)


class Mistake(_Strict):
    """A common progression mistake, with the evidence signals that reveal it."""

    id: str
    title: str
    text: str
    dimensions: list[str] = []
    signals: list[str] = []

    _v_id = field_validator("id")(_check_id)


class ToolingRow(_Strict):
    id: str
    level: int = Field(ge=1)
    category: str
    examples: list[str] = Field(min_length=1)

    _v_id = field_validator("id")(_check_id)


class ChecklistItem(_Strict):
    id: str
    phase: Literal["preparation", "execution", "follow-up"]
    text: str

    _v_id = field_validator("id")(_check_id)


class MetricBand(_Strict):
    level: int = Field(ge=1)
    text: str


class Metric(_Strict):
    """An operational metric whose value indicates a level."""

    id: str
    name: str
    description: str
    keywords: list[str] = []
    bands: list[MetricBand] = Field(min_length=1)

    _v_id = field_validator("id")(_check_id)


class Track(_Strict):
    id: str
    name: str
    description: str

    _v_id = field_validator("id")(_check_id)


class Upgrade(_Strict):
    """The single highest-leverage investment for one transition."""

    id: str
    from_level: int = Field(ge=1)
    to_level: int = Field(ge=2)
    text: str

    _v_id = field_validator("id")(_check_id)


class FrameworkPack(_Strict):
    schema_version: Literal[1] = 1
    id: str
    name: str
    version: str
    description: str
    source: str
    levels: list[Level] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)
    roadmap: list[Transition] = []
    benchmarks: list[Benchmark] = []
    mistakes: list[Mistake] = []
    tooling: list[ToolingRow] = []
    checklist: list[ChecklistItem] = []
    metrics: list[Metric] = []
    tracks: list[Track] = []
    upgrades: list[Upgrade] = []
    notes: list[str] = []

    _v_id = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _consistent(self) -> FrameworkPack:
        numbers = [lv.level for lv in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"levels must be numbered 1..N in order, got {numbers}")
        top = len(numbers)
        dims = {d.id for d in self.dimensions}
        tracks = {t.id for t in self.tracks}
        indicator_ids: set[str] = set()
        for dim in self.dimensions:
            cells = [c.level for c in dim.cells]
            if cells != list(range(1, top + 1)):
                raise ValueError(f"dimension {dim.id!r} needs one cell per level 1..{top}")
            for cell in dim.cells:
                for ind in cell.indicators:
                    prefix = f"{dim.id}.l{cell.level}."
                    if not ind.id.startswith(prefix):
                        raise ValueError(f"indicator {ind.id!r} must start with {prefix!r}")
                    if ind.track is not None and ind.track not in tracks:
                        raise ValueError(f"indicator {ind.id!r} names unknown track {ind.track!r}")
                    indicator_ids.add(ind.id)
        for dim in self.dimensions:
            for q in dim.questions:
                unknown = [i for i in q.indicators if i not in indicator_ids]
                if unknown:
                    raise ValueError(f"question {q.id!r} probes unknown indicators {unknown}")
        self._check_levels_and_dimensions(top, dims)
        duplicates = [i for i, n in Counter(self.item_ids()).items() if n > 1]
        if duplicates:
            raise ValueError(f"duplicate id {duplicates[0]!r}")
        return self

    def _check_levels_and_dimensions(self, top: int, dims: set[str]) -> None:
        def level_ok(n: int, what: str) -> None:
            if not 1 <= n <= top:
                raise ValueError(f"{what} names level {n}, but the pack has levels 1..{top}")

        def dims_ok(names: list[str], what: str) -> None:
            unknown = [d for d in names if d not in dims]
            if unknown:
                raise ValueError(f"{what} names unknown dimension {unknown[0]!r}")

        for t in self.roadmap:
            level_ok(t.from_level, "a roadmap transition")
            level_ok(t.to_level, "a roadmap transition")
            for step in t.steps:
                dims_ok(step.dimensions, f"roadmap step {step.id!r}")
        for b in self.benchmarks:
            for n in (b.typical_min, b.typical_max, b.leading_edge):
                level_ok(n, f"benchmark {b.id!r}")
            if b.strongest_dimension:
                dims_ok([b.strongest_dimension], f"benchmark {b.id!r}")
        for m in self.mistakes:
            dims_ok(m.dimensions, f"mistake {m.id!r}")
        for row in self.tooling:
            level_ok(row.level, f"tooling row {row.id!r}")
        for metric in self.metrics:
            for band in metric.bands:
                level_ok(band.level, f"metric {metric.id!r}")
        for up in self.upgrades:
            level_ok(up.to_level, f"upgrade {up.id!r}")

    def item_ids(self) -> list[str]:
        """Every id a pack author wrote; they share one namespace within the pack."""
        ids: list[str] = [d.id for d in self.dimensions]
        for dim in self.dimensions:
            ids += [i.id for c in dim.cells for i in c.indicators]
            ids += [q.id for q in dim.questions]
        ids += [s.id for t in self.roadmap for s in t.steps]
        for group in (
            self.benchmarks,
            self.mistakes,
            self.tooling,
            self.checklist,
            self.metrics,
            self.tracks,
            self.upgrades,
        ):
            ids += [item.id for item in group]
        return ids

    # Convenience lookups used across the core.
    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def level_name(self, level: int) -> str:
        return self.levels[level - 1].name

    @property
    def top_level(self) -> int:
        return len(self.levels)

    def indicators(self) -> dict[str, tuple[Dimension, Cell, Indicator]]:
        return {
            ind.id: (dim, cell, ind)
            for dim in self.dimensions
            for cell in dim.cells
            for ind in cell.indicators
        }


class CrosswalkMapping(_Strict):
    """Which levels of one framework correspond to a level of another, and why."""

    source: str
    target: str
    levels: dict[int, list[int]]
    rationale: str


class Crosswalk(_Strict):
    schema_version: Literal[1] = 1
    mappings: list[CrosswalkMapping]
