"""The level rule for conversations: plain deterministic code for every engine.

An appraiser judges from what was said; not mentioned is not absent. The rule (written
out with worked examples in ``docs/level-rule.md``) characterises every indicator of a
dimension in one of four states, then rates the levels from them (SCAMPI's way: practices
first, then goals):

- **evidenced**: factual support reaches ``EVIDENCED_AT`` and outweighs any denial: one
  factual statement (specific 1.0, general 0.5); claims count nothing, ever.
- **contradicted**: a factual denial at least as heavy as the support. A denial from
  someone who does the work (engineering, data, operations, risk, design) weighs
  ``PRACTITIONER_DENIAL`` times as much as one from anyone else: single-perspective
  assessments skew optimistic, and the people who do the work know.
- **inferred**: nobody spoke of it, but a higher level of the same dimension (on the
  same track) is demonstrated (``ON_BALANCE`` of its indicators evidenced directly and
  none contradicted), and demonstrated practice presupposes its foundations. Never from
  claims; never for level 1, whose indicators describe a starting state rather than a
  prerequisite.
- **not_discussed**: none of the above (``claims`` counts any bare claims about it).

Level 1 needs one factual item on the dimension (a denial counts); with none the level is
``None``. Level L >= 2 is reached when, at L and every level from 2 up to L, at least
``ON_BALANCE`` (half) of the indicators are evidenced or inferred, and no indicator
at or below L is contradicted: a first-hand contradiction at level L holds the dimension
below L.
Confidence says how much of the reached level was actually discussed rather than
inferred. What stays open becomes a "to verify" item with the framework's own question.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agent.assessment.model import Evidence, EvidenceRef, IndicatorStatus, Status, ToVerify
from agent.knowledge.schema import Dimension, FrameworkPack

SUPPORT = {"specific": 1.0, "general": 0.5, "claim": 0.0}
CONTRADICT = {"specific": 1.0, "general": 1.0, "claim": 0.0}
#: A denial by someone who does the work outweighs an assertion from above.
PRACTITIONER_DENIAL = 1.5
PRACTITIONERS = frozenset({"engineering", "data", "operations", "risk", "design"})
#: Share of a level's indicators that must be evidenced or inferred for it to count (at
#: least half, as the raters' rubric in evals/README.md says), and that must be evidenced
#: directly for the level to vouch for those below.
ON_BALANCE = 0.5
#: Support an indicator needs to be evidenced and to vouch for the foundations below it:
#: one factual statement. Stricter bars (two thirds, a "specific" statement) were needed
#: while the reader credited a sentence to many indicators; with the trained reader's
#: one credit per sentence they held mature organisations low (docs/level-rule.md:
#: within-one 0.86 and mean signed error -0.23 on the tuning cases, against 0.88 and
#: -0.07 now; the oracle's agreement is the same under both).
EVIDENCED_AT = 0.5
INFER_FROM = 0.5
#: Distinct sentences a level needs before it vouches for the foundations beneath it.
#: One sentence is one reading, and a misread one ("I look at the confusion matrix on
#: whatever I held out that time" taken for hands-off retraining) would otherwise lift a
#: dimension two levels through inference. Measured with the offline engine on the cases
#: not tagged other-author: 4 labels closer to gold, none further, and one adversarial
#: label fewer above gold; three sentences cost 10 labels and the oracle's exactness.
VOUCH_SENTENCES = 2

Applies = Callable[[str], bool]


def _everything(_: str) -> bool:
    return True


@dataclass
class DimensionScore:
    level: int | None
    statuses: list[IndicatorStatus]
    missing: list[str]  # indicator ids not yet shown for the next level
    confidence: float
    #: Contradicted indicators at or below the next level: what holds the level back.
    held_by: list[str] = field(default_factory=list)
    to_verify: list[ToVerify] = field(default_factory=list)
    #: Share of the indicators at levels 2..level that rest on inference, not evidence.
    inferred_share: float = 0.0


def weight(e: Evidence) -> float:
    if e.stance == "supports":
        return SUPPORT[e.strength]
    w = CONTRADICT[e.strength]
    return w * PRACTITIONER_DENIAL if (e.role_category in PRACTITIONERS and w) else w


def characterise(dim: Dimension, evidence: Sequence[Evidence],
                 applies: Applies = _everything,
                 track_of: dict[str, str | None] | None = None) -> list[IndicatorStatus]:
    """Every indicator of ``dim`` in one of the four states, from the evidence about it."""
    support: dict[str, float] = defaultdict(float)
    contradict: dict[str, float] = defaultdict(float)
    claims: dict[str, int] = defaultdict(int)
    behind: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence:
        if e.indicator_id is None or e.dimension not in (None, dim.id):
            continue
        if e.strength == "claim":
            claims[e.indicator_id] += 1
            continue
        behind[e.indicator_id].append(e)
        if e.stance == "supports":
            support[e.indicator_id] += weight(e)
        else:
            contradict[e.indicator_id] += weight(e)
    statuses: list[IndicatorStatus] = []
    for cell in dim.cells:
        for ind in cell.indicators:
            s, c = support[ind.id], contradict[ind.id]
            status: Status = ("evidenced" if s > c and s >= EVIDENCED_AT
                              else "contradicted" if c > 0 else "not_discussed")
            statuses.append(IndicatorStatus(
                id=ind.id, level=cell.level, text=ind.text, status=status,
                support=round(s, 2), contradict=round(c, 2), claims=claims[ind.id],
                evidence=[_ref(e) for e in behind[ind.id]][:6]))
    _infer(statuses, applies, track_of or {})
    return statuses


def _ref(e: Evidence) -> EvidenceRef:
    return EvidenceRef(quote=e.quote, source=e.source, line=e.line, speaker=e.speaker,
                       stance=e.stance)


def _infer(statuses: list[IndicatorStatus], applies: Applies,
           track_of: dict[str, str | None]) -> None:
    """Mark the silent foundations of demonstrated practice as inferred (same track only).

    Practice is demonstrated at a level when at least ``ON_BALANCE`` of that level's
    indicators are evidenced directly, by at least ``VOUCH_SENTENCES`` distinct
    sentences, and none is contradicted: one stray credit high up the ladder vouches for
    nothing beneath it, nor does a level somebody denied in part (the denial holds the
    level; the foundations are then judged on what was said of them), and a level shown
    on balance vouches for everything beneath it.
    """
    demonstrated: list[IndicatorStatus] = []
    for level in sorted({s.level for s in statuses if s.level >= 2}):
        mine = [s for s in statuses if s.level == level and applies(s.id)]
        shown = [s for s in mine if s.status == "evidenced" and s.support >= INFER_FROM]
        if any(s.status == "contradicted" for s in mine):
            continue
        said = {(e.source, e.line, e.quote) for s in shown for e in s.evidence
                if e.stance == "supports"}
        if mine and len(shown) / len(mine) >= ON_BALANCE and len(said) >= VOUCH_SENTENCES:
            demonstrated += shown
    for st in statuses:
        if st.status != "not_discussed" or st.level < 2 or not applies(st.id):
            continue
        mine_track = track_of.get(st.id)
        sources = [e.id for e in demonstrated if e.level > st.level
                   and (mine_track is None or track_of.get(e.id) in (None, mine_track))]
        if sources:
            st.status = "inferred"
            st.inferred_from = sources[:3]


def level_of(dim: Dimension, statuses: Sequence[IndicatorStatus], factual: bool,
             applies: Applies = _everything) -> int | None:
    """The level the states support (the rule in the module docstring)."""
    if not factual:
        return None
    level = 1
    for cell in dim.cells[1:]:
        mine = [s for s in statuses if s.level == cell.level and applies(s.id)]
        if not mine:
            level = cell.level
            continue
        if any(s.status == "contradicted" for s in mine):
            break
        shown = sum(s.status in ("evidenced", "inferred") for s in mine)
        if shown / len(mine) < ON_BALANCE:
            break
        level = cell.level
    return level


def score_dimension(pack: FrameworkPack, dim: Dimension,
                    evidence: Sequence[Evidence]) -> DimensionScore:
    mine = [e for e in evidence if e.dimension == dim.id]
    statuses = characterise(dim, mine, track_of=_tracks(pack))
    factual = [e for e in mine if e.strength != "claim"]
    level = level_of(dim, statuses, bool(factual))
    if level is not None and pack.tracks and len(pack.tracks) >= 2:
        level = _weaker_track(pack, dim, mine, level)
    next_level = 2 if level is None else level + 1
    missing = [s.id for s in statuses if s.level == next_level
               and s.status not in ("evidenced", "inferred")]
    held_by = [s.id for s in statuses if s.status == "contradicted" and 2 <= s.level <= next_level]
    below = [s for s in statuses if 2 <= s.level <= (level or 0)]
    inferred = sum(s.status == "inferred" for s in below)
    share = inferred / len(below) if below else 0.0
    return DimensionScore(level, statuses, missing, confidence(mine, statuses, level, share),
                          held_by, to_verify(dim, statuses, level), round(share, 2))


def _tracks(pack: FrameworkPack) -> dict[str, str | None]:
    return {i: ind.track for i, (_, _, ind) in pack.indicators().items()}


def _weaker_track(pack: FrameworkPack, dim: Dimension, evidence: Sequence[Evidence],
                  pooled: int) -> int:
    """Tracked packs: the weaker of the tracks that were spoken about sets the level."""
    track_of = _tracks(pack)
    levels = []
    for track in pack.tracks:
        own = [e for e in evidence if e.strength != "claim"
               and track_of.get(e.indicator_id or "") == track.id]
        if not own:
            continue  # a track nobody spoke about does not drag the other down
        level = track_level(dim, evidence, track.id, track_of)
        if level is not None:
            levels.append(level)
    return min([pooled, *levels]) if levels else pooled


def track_level(dim: Dimension, evidence: Sequence[Evidence], track: str,
                track_of: dict[str, str | None]) -> int | None:
    """The level of one track: the rule over the indicators that apply to it (its own and
    the untagged ones), from the evidence about them."""
    def applies(indicator_id: str | None) -> bool:
        return indicator_id is None or track_of.get(indicator_id) in (None, track)

    mine = [e for e in evidence if applies(e.indicator_id)]
    factual = any(e.strength != "claim" for e in mine)
    return level_of(dim, characterise(dim, mine, applies, track_of), factual, applies)


def to_verify(dim: Dimension, statuses: Sequence[IndicatorStatus],
              level: int | None) -> list[ToVerify]:
    """What an assessor should still ask: the next level's silent indicators, then the
    inferred ones the level rests on, each with the framework's own question."""
    question: dict[str, str] = {}
    for q in dim.questions:
        for ind in q.indicators:
            question.setdefault(ind, q.text)
    next_level = 2 if level is None else level + 1
    out = []
    for st in statuses:
        if st.level == next_level and st.status == "not_discussed":
            why = f"would support level {next_level}; nobody spoke of it"
        elif st.status == "inferred" and level is not None and st.level <= level:
            why = f"inferred from {', '.join(st.inferred_from)}; confirm it"
        else:
            continue
        out.append(ToVerify(indicator_id=st.id, level=st.level, text=st.text, why=why,
                            question=question.get(st.id, "")))
    return out


def confidence(evidence: Sequence[Evidence], statuses: Sequence[IndicatorStatus],
               level: int | None, inferred_share: float = 0.0) -> float:
    """How far to trust the level: amount, specificity, agreement, breadth of voices, and
    how much of the level was discussed rather than inferred.

    Each factor is in [0, 1]; a level resting on one sentence, on a disputed fact or
    mostly on inference is the least trustworthy.
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
    discussed = 1 - inferred_share
    value = 0.1 + 0.85 * (0.3 * amount + 0.15 * specificity + 0.25 * agreement
                          + 0.1 * voices + 0.2 * discussed)
    return round(min(value, 0.95), 2)


def spread_disagrees(levels: dict[str, int | None]) -> bool:
    """Two or more levels apart, or a standard deviation of a level or more among 3+."""
    values = [v for v in levels.values() if v is not None]
    if len(values) < 2:
        return False
    if max(values) - min(values) >= 2:
        return True
    return len(values) >= 3 and statistics.pstdev(values) >= 1.0
