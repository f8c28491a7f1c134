"""The level rule, confidence and disagreement: plain deterministic code for all engines.

The rule (from the enterprise-ai seed, applied to every pack):

- An indicator is **met** when its support reaches 1.0 and exceeds its contradictions.
  A specific statement supports 1.0, a general statement 0.5 (so two independent
  general statements meet it), a claim 0. A contradiction (negation, absence, future
  intent) weighs 1.0 whoever says it, so an unresolved "we don't have that" from one
  stakeholder cancels another's assertion.
- Level 1 is the floor: it is reached when the dimension has at least one factual
  (non-claim) evidence item. With none, the level is ``None`` (insufficient evidence).
- Level L > 1 is reached when every indicator of level L is met and the levels below
  hold as floors. Packs phrase lower-level indicators as floors that a higher level
  also satisfies ("some team tracks experiments" beneath "every team uses one
  tracker"), so a level whose every indicator is evidenced vouches for the indicators
  beneath it that nobody mentioned. A lower level holds as a floor when at least
  ``FLOOR_SHARE`` of its indicators are met directly (a fully evidenced level on an
  otherwise silent dimension is more likely a mismatch than a leap). Partial means
  the lower level; the unmet indicators of the next level are listed in ``missing``.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from agent.assessment.model import Evidence, IndicatorStatus, Status
from agent.knowledge.schema import Dimension, FrameworkPack

SUPPORT = {"specific": 1.0, "general": 0.5, "claim": 0.0}
CONTRADICT = {"specific": 1.0, "general": 1.0, "claim": 0.0}
MET = 1.0
#: Share of a lower level's indicators that must be met directly for a fully evidenced
#: higher level to vouch for the rest of it.
FLOOR_SHARE = 0.5


@dataclass
class DimensionScore:
    level: int | None
    statuses: list[IndicatorStatus]
    missing: list[str]  # indicator ids unmet at the next level
    confidence: float


def _tally(evidence: Sequence[Evidence]) -> dict[str, tuple[float, float, int]]:
    support: dict[str, float] = defaultdict(float)
    contradict: dict[str, float] = defaultdict(float)
    claims: dict[str, int] = defaultdict(int)
    for e in evidence:
        if e.indicator_id is None:
            continue
        if e.strength == "claim":
            claims[e.indicator_id] += 1
        elif e.stance == "supports":
            support[e.indicator_id] += SUPPORT[e.strength]
        else:
            contradict[e.indicator_id] += CONTRADICT[e.strength]
    keys = set(support) | set(contradict) | set(claims)
    return {k: (support[k], contradict[k], claims[k]) for k in keys}


def is_met(support: float, contradict: float) -> bool:
    return support >= MET and support > contradict


def score_dimension(pack: FrameworkPack, dim: Dimension,
                    evidence: Sequence[Evidence]) -> DimensionScore:
    mine = [e for e in evidence if e.dimension == dim.id]
    tally = _tally(mine)
    statuses = []
    for cell in dim.cells:
        for ind in cell.indicators:
            s, c, claims = tally.get(ind.id, (0.0, 0.0, 0))
            status: Status
            if is_met(s, c):
                status = "met"
            elif c > 0:
                status = "contradicted"
            elif claims and s == 0:
                status = "claimed"
            else:
                status = "unmet"
            statuses.append(IndicatorStatus(id=ind.id, level=cell.level, text=ind.text,
                                            status=status, support=s, contradict=c))
    factual = [e for e in mine if e.strength != "claim"]
    level = level_reached(dim, statuses) if factual else None
    next_level = 2 if level is None else level + 1
    missing = [st.id for st in statuses if st.level == next_level and st.status != "met"]
    return DimensionScore(level, statuses, missing, confidence(mine, statuses, level))


def level_reached(dim: Dimension, statuses: Sequence[IndicatorStatus]) -> int:
    """The highest level fully met whose lower levels hold as floors; 1 when none is."""
    share: dict[int, float] = {}
    full: dict[int, bool] = {}
    for cell in dim.cells[1:]:
        mine = [st for st in statuses if st.level == cell.level]
        met = sum(st.status == "met" for st in mine)
        share[cell.level] = met / len(mine) if mine else 0.0
        full[cell.level] = bool(mine) and met == len(mine)
    level = 1
    for candidate in sorted(full):
        floors = all(share[lower] >= FLOOR_SHARE for lower in share if lower < candidate)
        if full[candidate] and floors:
            level = candidate
    return level


def confidence(evidence: Sequence[Evidence], statuses: Sequence[IndicatorStatus],
               level: int | None) -> float:
    """How far to trust the level: amount, specificity, agreement and breadth of voices.

    Each factor is in [0, 1]; the mix favours amount and agreement because a level
    resting on one sentence, or on a disputed fact, is the least trustworthy.
    """
    factual = [e for e in evidence if e.strength != "claim"]
    if level is None or not factual:
        return 0.0
    amount = 1 - math.exp(-len(factual) / 6)
    specificity = sum(e.strength == "specific" for e in factual) / len(factual)
    touched = [s for s in statuses if s.support or s.contradict]
    disputed = sum(1 for s in touched if s.support and s.contradict)
    agreement = 1 - disputed / len(touched) if touched else 0.5
    voices = min(1.0, len({e.speaker for e in factual}) / 3)
    value = 0.1 + 0.85 * (0.35 * amount + 0.2 * specificity + 0.3 * agreement + 0.15 * voices)
    return round(min(value, 0.95), 2)


def speaker_levels(pack: FrameworkPack, dim: Dimension,
                   evidence: Sequence[Evidence]) -> dict[str, int | None]:
    """The level each speaker's own evidence supports, for disagreement detection."""
    speakers = sorted({e.speaker for e in evidence if e.dimension == dim.id and e.speaker})
    return {
        name: score_dimension(pack, dim, [e for e in evidence if e.speaker == name]).level
        for name in speakers
    }


def spread_disagrees(levels: dict[str, int | None]) -> bool:
    """Two or more levels apart, or a standard deviation of a level or more among 3+."""
    values = [v for v in levels.values() if v is not None]
    if len(values) < 2:
        return False
    if max(values) - min(values) >= 2:
        return True
    return len(values) >= 3 and statistics.pstdev(values) >= 1.0
