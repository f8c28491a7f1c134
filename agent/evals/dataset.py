"""Gold-labelled eval cases (YAML under evals/cases), typed."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agent.paths import evals_dir

TAGS = frozenset({
    "format-text", "format-vtt", "format-srt", "format-slack", "multi-stakeholder",
    "single-stakeholder", "adversarial", "injection", "grand-claims", "uneven-profile",
    "high-maturity", "low-maturity", "multi-file", "tracks", "metrics",
    # holdout: labelled by a second rater and never used to tune an engine (evals/README.md)
    "holdout", "pasted-framework", "flattery",
    # other-author: written and labelled blind by another author, in another voice
    "other-author",
})


class GoldLabel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level: int | None = Field(ge=1, le=9)
    reason: str = Field(min_length=3)


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    framework: str
    description: str
    transcripts: list[str] = Field(min_length=1)
    tags: list[str] = []
    gold: dict[str, GoldLabel]
    #: Labels under the earlier, stricter rubric (every lower indicator explicitly evidenced),
    #: kept for reference when a case was relabelled under the appraiser's rubric.
    strict_gold: dict[str, GoldLabel] | None = None

    def paths(self, root: Path | None = None) -> list[Path]:
        base = root or evals_dir()
        return [(base / t).resolve() for t in self.transcripts]

    def sources(self) -> dict[str, str]:
        """Each transcript as the case (and its sentence gold) names it -> the source the
        readers report for it."""
        return {rel: str(p) for rel, p in zip(self.transcripts, self.paths(), strict=True)}


def load_cases(folder: Path | None = None) -> list[EvalCase]:
    folder = folder or evals_dir() / "cases"
    return [EvalCase.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted(folder.glob("*.yaml"))]
