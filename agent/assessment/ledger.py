"""One ledger of indicator states per assessment: pooled, per speaker, per group of speakers.

The level rule lives in ``agent.assessment.rubric`` and is applied here only: the pooled
level, each stakeholder's and each role's own level, the spread and the disagreements are
all views of the same ledger, so a change to the rule is made once. Scores are computed
once per group of speakers and kept.

Before anything is scored, the same sentence said by the same person counts once, however
many sources carry it (a transcript passed twice, a meeting exported as both VTT and text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent.assessment.checks import fold
from agent.assessment.model import Evidence
from agent.assessment.rubric import DimensionScore, score_dimension
from agent.knowledge.schema import FrameworkPack

Group = frozenset[str] | None  # None: everyone


def dedupe(evidence: Iterable[Evidence]) -> tuple[list[Evidence], int]:
    """Items with the same speaker, words, indicator and stance count once; the first
    (the earliest source given) is kept. Returns the kept items and how many were dropped."""
    seen: set[tuple[str | None, str, str | None, str]] = set()
    kept: list[Evidence] = []
    dropped = 0
    for e in evidence:
        key = (e.speaker, fold(e.quote).lower(), e.indicator_id, e.stance)
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(e)
    return kept, dropped


class Ledger:
    def __init__(self, pack: FrameworkPack, evidence: Sequence[Evidence]) -> None:
        self.pack = pack
        self.evidence = list(evidence)
        self._scores: dict[Group, dict[str, DimensionScore]] = {}

    def scores(self, group: Group = None) -> dict[str, DimensionScore]:
        """Every dimension's score from the evidence of ``group`` (everyone when None)."""
        if group not in self._scores:
            mine = (self.evidence if group is None
                    else [e for e in self.evidence if e.speaker in group])
            self._scores[group] = {dim.id: score_dimension(self.pack, dim, mine)
                                   for dim in self.pack.dimensions}
        return self._scores[group]

    def pooled(self, dimension: str) -> DimensionScore:
        return self.scores()[dimension]

    def level(self, dimension: str, group: Group = None) -> int | None:
        return self.scores(group)[dimension].level

    def speaker_levels(self, dimension: str, speakers: Iterable[str]) -> dict[str, int | None]:
        return {name: self.level(dimension, frozenset({name})) for name in sorted(speakers)}

    def speakers(self, dimension: str | None = None) -> list[str]:
        return sorted({e.speaker for e in self.evidence if e.speaker
                       and (dimension is None or e.dimension == dimension)})
