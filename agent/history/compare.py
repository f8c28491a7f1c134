"""Per-dimension movement between two assessments of the same framework.

For a quarterly re-assessment the question is what moved and why: the level change,
the confidence change, and which indicators are newly evidenced or no longer are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from agent.assessment.model import Assessment, DimensionResult
from agent.errors import UserError

Direction = Literal["up", "down", "same", "new", "lost", "unknown"]


class Side(BaseModel):
    id: str
    created: str
    engine: str
    prompt_version: str | None = None


class Movement(BaseModel):
    dimension: str
    name: str
    before: int | None
    after: int | None
    change: int | None
    direction: Direction
    confidence_before: float
    confidence_after: float
    newly_met: list[str] = []
    no_longer_met: list[str] = []


class Comparison(BaseModel):
    framework: str
    framework_name: str = ""
    before: Side
    after: Side
    dimensions: list[Movement]
    summary: dict[str, int]


def compare(before: Assessment, after: Assessment, before_id: str, after_id: str) -> Comparison:
    if before.framework != after.framework:
        raise UserError(f"{before_id} is {before.framework} and {after_id} is {after.framework}; "
                        "compare two assessments of the same framework")
    old = {d.id: d for d in before.dimensions}
    moves = [_movement(old.get(d.id), d) for d in after.dimensions]
    summary = {k: sum(m.direction == k for m in moves)
               for k in ("up", "down", "same", "new", "lost", "unknown")}
    return Comparison(
        framework=after.framework, framework_name=after.framework_name,
        before=Side(id=before_id, created=before.created, engine=before.engine,
                    prompt_version=before.prompt_version),
        after=Side(id=after_id, created=after.created, engine=after.engine,
                   prompt_version=after.prompt_version),
        dimensions=moves, summary=summary)


def _movement(old: DimensionResult | None, new: DimensionResult) -> Movement:
    before = old.level if old else None
    after = new.level
    met_before = {s.id for s in old.indicators if s.status == "evidenced"} if old else set()
    met_after = {s.id for s in new.indicators if s.status == "evidenced"}
    return Movement(
        dimension=new.id, name=new.name or new.id, before=before, after=after,
        change=None if before is None or after is None else after - before,
        direction=_direction(before, after),
        confidence_before=old.confidence if old else 0.0, confidence_after=new.confidence,
        newly_met=sorted(met_after - met_before), no_longer_met=sorted(met_before - met_after))


def _direction(before: int | None, after: int | None) -> Direction:
    if before is None and after is None:
        return "unknown"
    if before is None:
        return "new"
    if after is None:
        return "lost"
    return "up" if after > before else "down" if after < before else "same"
