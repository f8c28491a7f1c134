"""Per-stakeholder and pooled views, role coverage, and where stakeholders disagree.

The pooled level of a dimension comes from everyone's evidence together (the rubric).
Here the same rubric is applied to each stakeholder's own evidence and to each role
category's, so a reader sees who believes what. A stakeholder counts as a *respondent*
on a dimension only with ``MIN_SPEAKER_EVIDENCE`` factual items there: one passing remark
is not a position. Disagreement is flagged when respondents' levels spread (two or more
levels apart, or a standard deviation of a level or more among three or more), or when
one stakeholder asserts an indicator that another denies; either way with the quotes.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from agent.assessment.model import (
    DimensionSpread,
    Disagreement,
    DisagreementKind,
    Evidence,
    RoleCoverage,
    RoleLevels,
    Speaker,
    StakeholderLevels,
    StakeholderView,
)
from agent.assessment.rubric import score_dimension, speaker_levels, spread_disagrees
from agent.knowledge.schema import Dimension, FrameworkPack

MIN_SPEAKER_EVIDENCE = 3  # a speaker's own level is only compared with enough to go on
#: The cross-functional group the packs ask for (enterprise-ai's assessment checklist).
REQUIRED_ROLES = ("engineering", "product", "data", "executive")
_STRENGTH_ORDER = {"specific": 0, "general": 1, "claim": 2}


def _factual(evidence: Sequence[Evidence], dimension: str | None = None) -> list[Evidence]:
    return [e for e in evidence if e.strength != "claim"
            and (dimension is None or e.dimension == dimension)]


def stakeholder_view(pack: FrameworkPack, evidence: Sequence[Evidence],
                     speakers: Sequence[Speaker], pooled: dict[str, int | None]) -> StakeholderView:
    factual = _factual(evidence)
    people = [s for s in speakers if s.evidence_eligible]
    return StakeholderView(
        stakeholders=[_one_stakeholder(pack, s, factual) for s in people],
        roles=_role_levels(pack, factual, people),
        pooled=dict(pooled),
        spread=[_spread(pack, dim, factual, people) for dim in pack.dimensions],
        coverage=(coverage := _coverage(factual, people)),
        missing_roles=[c.role for c in coverage if not c.present],
    )


def _one_stakeholder(pack: FrameworkPack, speaker: Speaker,
                     factual: list[Evidence]) -> StakeholderLevels:
    mine = [e for e in factual if e.speaker == speaker.name]
    counts = Counter(e.dimension for e in mine)
    levels = {dim.id: score_dimension(pack, dim, mine).level for dim in pack.dimensions}
    return StakeholderLevels(name=speaker.name, role=speaker.role,
                             role_category=speaker.role_category, levels=levels,
                             evidence={d.id: counts[d.id] for d in pack.dimensions})


def _role_levels(pack: FrameworkPack, factual: list[Evidence],
                 people: list[Speaker]) -> list[RoleLevels]:
    by_role: dict[str, list[str]] = {}
    for s in people:
        if s.role_category:
            by_role.setdefault(s.role_category, []).append(s.name)
    out = []
    for role, names in by_role.items():
        theirs = [e for e in factual if e.speaker in names]
        out.append(RoleLevels(role=role, speakers=names, levels={
            dim.id: score_dimension(pack, dim, theirs).level for dim in pack.dimensions}))
    return out


def respondent_levels(pack: FrameworkPack, dim: Dimension,
                      evidence: Sequence[Evidence]) -> dict[str, int | None]:
    """Each respondent's own level on a dimension (speakers with enough evidence there)."""
    mine = _factual(evidence, dim.id)
    counts = Counter(e.speaker for e in mine)
    eligible = [e for e in mine if e.speaker and counts[e.speaker] >= MIN_SPEAKER_EVIDENCE]
    return speaker_levels(pack, dim, eligible)


def _spread(pack: FrameworkPack, dim: Dimension, factual: list[Evidence],
            people: list[Speaker]) -> DimensionSpread:
    levels = respondent_levels(pack, dim, factual)
    values = [v for v in levels.values() if v is not None]
    category = {s.name: s.role_category for s in people}
    roles = sorted({c for e in factual if e.dimension == dim.id
                    if (c := category.get(e.speaker or ""))})
    return DimensionSpread(
        dimension=dim.id, respondents=len(values), levels=levels,
        mean=round(statistics.fmean(values), 2) if values else None,
        std_dev=round(statistics.pstdev(values), 2) if len(values) >= 2 else None,
        low=min(values, default=None), high=max(values, default=None), roles=roles,
        disagree=spread_disagrees(levels))


def _coverage(factual: list[Evidence], people: list[Speaker]) -> list[RoleCoverage]:
    out = []
    for role in REQUIRED_ROLES:
        names = [s.name for s in people if s.role_category == role]
        dims = sorted({e.dimension for e in factual if e.speaker in names and e.dimension})
        out.append(RoleCoverage(role=role, speakers=names, dimensions=dims,
                                present=bool(names)))
    return out


def find_disagreements(pack: FrameworkPack, evidence: Sequence[Evidence]) -> list[Disagreement]:
    return [d for dim in pack.dimensions if (d := _disagreement(pack, dim, evidence))]


def _disagreement(pack: FrameworkPack, dim: Dimension,
                  evidence: Sequence[Evidence]) -> Disagreement | None:
    mine = _factual(evidence, dim.id)
    levels = respondent_levels(pack, dim, mine)
    spread = spread_disagrees(levels)
    conflicts = _conflicts(mine)
    if not conflicts and not spread:
        return None
    values = [v for v in levels.values() if v is not None]
    std_dev = round(statistics.pstdev(values), 2) if len(values) >= 2 else None
    messages, quotes = [], []
    if spread:
        low, high = min(values), max(values)
        messages.append(f"{len(values)} respondents' own evidence ranges from level {low} to "
                        f"level {high} (standard deviation {std_dev})")
        quotes += _spread_quotes(pack, mine, levels)
    if conflicts:
        first = conflicts[0]
        messages.append(f"{len(conflicts)} indicator(s) asserted by one speaker and denied by "
                        f"another, e.g. {first[0].indicator_id}")
        quotes += [q for pair in conflicts[:3] for q in pair if q not in quotes]
    kinds: list[DisagreementKind] = ["spread"] if spread else []
    kinds += ["conflict"] if conflicts else []
    return Disagreement(dimension=dim.id, levels=levels or speaker_levels(pack, dim, mine),
                        message="; ".join(messages), quotes=quotes, kinds=kinds,
                        respondents=len(values), std_dev=std_dev)


def _spread_quotes(pack: FrameworkPack, evidence: list[Evidence],
                   levels: dict[str, int | None]) -> list[Evidence]:
    """What the most and the least optimistic respondents said that puts them apart:
    the former's support for the highest indicators, the latter's denials first."""
    level_of = {ind_id: cell.level for ind_id, (_, cell, _) in pack.indicators().items()}
    known = {k: v for k, v in levels.items() if v is not None}
    high = max(known, key=lambda k: known[k])
    low = min(known, key=lambda k: known[k])

    def best(items: list[Evidence]) -> list[Evidence]:
        return sorted(items, key=lambda e: (-level_of.get(e.indicator_id or "", 0),
                                            _STRENGTH_ORDER[e.strength], e.source, e.line))[:2]

    theirs_high = [e for e in evidence if e.speaker == high and e.stance == "supports"]
    theirs_low = [e for e in evidence if e.speaker == low]
    denials = [e for e in theirs_low if e.stance == "contradicts"]
    return best(theirs_high) + best(denials or theirs_low)


def _conflicts(evidence: list[Evidence]) -> list[tuple[Evidence, Evidence]]:
    pairs = []
    by_indicator: dict[str, list[Evidence]] = {}
    for e in evidence:
        if e.indicator_id:
            by_indicator.setdefault(e.indicator_id, []).append(e)
    for items in by_indicator.values():
        pro = [e for e in items if e.stance == "supports"]
        con = [e for e in items if e.stance == "contradicts"]
        pair = next(((p, c) for p in pro for c in con if p.speaker != c.speaker), None)
        if pair:
            pairs.append(pair)
    return pairs
