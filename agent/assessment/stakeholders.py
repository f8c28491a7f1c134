"""Per-stakeholder and pooled views, role coverage, and where stakeholders disagree.

All of these are views of one ledger (agent.assessment.ledger): the pooled level comes
from everyone's evidence together, each stakeholder's and each role category's from
their own, so a reader sees who believes what. A stakeholder counts as a *respondent*
on a dimension only with ``MIN_SPEAKER_EVIDENCE`` factual items there: one passing remark
is not a position. Disagreement is flagged when respondents' levels spread (two or more
levels apart, or a standard deviation of a level or more among three or more), or when
one stakeholder asserts an indicator that another denies; either way with the quotes.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from agent.assessment.ledger import Ledger
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
from agent.assessment.rubric import PRACTITIONERS, spread_disagrees
from agent.knowledge.schema import Dimension, FrameworkPack

MIN_SPEAKER_EVIDENCE = 3  # a speaker's own level is only compared with enough to go on
#: The cross-functional group the packs ask for (enterprise-ai's assessment checklist).
REQUIRED_ROLES = ("engineering", "product", "data", "executive")
_STRENGTH_ORDER = {"specific": 0, "general": 1, "claim": 2}


def _factual(evidence: Sequence[Evidence], dimension: str | None = None) -> list[Evidence]:
    return [e for e in evidence if e.strength != "claim"
            and (dimension is None or e.dimension == dimension)]


def stakeholder_view(ledger: Ledger, speakers: Sequence[Speaker],
                     pooled: dict[str, int | None]) -> StakeholderView:
    pack = ledger.pack
    factual = _factual(ledger.evidence)
    people = [s for s in speakers if s.evidence_eligible]
    return StakeholderView(
        stakeholders=[_one_stakeholder(ledger, s, factual) for s in people],
        roles=_role_levels(ledger, people),
        pooled=dict(pooled),
        spread=[_spread(ledger, dim, factual, people) for dim in pack.dimensions],
        coverage=(coverage := _coverage(factual, people)),
        missing_roles=[c.role for c in coverage if not c.present],
    )


def _one_stakeholder(ledger: Ledger, speaker: Speaker,
                     factual: list[Evidence]) -> StakeholderLevels:
    pack = ledger.pack
    counts = Counter(e.dimension for e in factual if e.speaker == speaker.name)
    own = ledger.scores(frozenset({speaker.name}))
    levels = {dim.id: own[dim.id].level for dim in pack.dimensions}
    return StakeholderLevels(name=speaker.name, role=speaker.role,
                             role_category=speaker.role_category, levels=levels,
                             evidence={d.id: counts[d.id] for d in pack.dimensions})


def _role_levels(ledger: Ledger, people: list[Speaker]) -> list[RoleLevels]:
    by_role: dict[str, list[str]] = {}
    for s in people:
        if s.role_category:
            by_role.setdefault(s.role_category, []).append(s.name)
    out = []
    for role, names in by_role.items():
        theirs = ledger.scores(frozenset(names))
        out.append(RoleLevels(role=role, speakers=names, levels={
            dim.id: theirs[dim.id].level for dim in ledger.pack.dimensions}))
    return out


def respondent_levels(ledger: Ledger, dim: Dimension) -> dict[str, int | None]:
    """Each respondent's own level on a dimension (speakers with enough evidence there)."""
    counts = Counter(e.speaker for e in _factual(ledger.evidence, dim.id))
    eligible = [name for name, n in counts.items() if name and n >= MIN_SPEAKER_EVIDENCE]
    return ledger.speaker_levels(dim.id, eligible)


def _spread(ledger: Ledger, dim: Dimension, factual: list[Evidence],
            people: list[Speaker]) -> DimensionSpread:
    levels = respondent_levels(ledger, dim)
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


def find_disagreements(ledger: Ledger) -> list[Disagreement]:
    return [d for dim in ledger.pack.dimensions if (d := _disagreement(ledger, dim))]


def _disagreement(ledger: Ledger, dim: Dimension) -> Disagreement | None:
    pack = ledger.pack
    mine = _factual(ledger.evidence, dim.id)
    levels = respondent_levels(ledger, dim)
    spread = spread_disagrees(levels)
    conflicts = _conflicts(mine, _levels_of(pack))
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
        messages.append(f"{len(conflicts)} practice(s) asserted by one speaker and denied by "
                        f"another, e.g. {first[0].speaker}: \"{first[0].quote}\" against "
                        f"{first[1].speaker}: \"{first[1].quote}\"")
        quotes += [q for pair in conflicts[:3] for q in pair if q not in quotes]
    kinds: list[DisagreementKind] = ["spread"] if spread else []
    kinds += ["conflict"] if conflicts else []
    return Disagreement(dimension=dim.id,
                        levels=levels or ledger.speaker_levels(dim.id, ledger.speakers(dim.id)),
                        message="; ".join(messages), quotes=quotes, kinds=kinds,
                        respondents=len(values), std_dev=std_dev)


def _spread_quotes(pack: FrameworkPack, evidence: list[Evidence],
                   levels: dict[str, int | None]) -> list[Evidence]:
    """What the most and the least optimistic respondents said that puts them apart:
    the former's support for the highest indicators, the latter's denials first."""
    level_of = _levels_of(pack)
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


def _levels_of(pack: FrameworkPack) -> dict[str, int]:
    return {ind_id: cell.level for ind_id, (_, cell, _) in pack.indicators().items()}


_STOP = frozenset("""about after also been before being both does doing done each every from
have having into just like made make many more most much only other over same some such
than that their them then there these they this those through under very were what when
where which while with would your ours yeah really well think know going want thing
model data team teams work time year month week people system production used using""".split())


def _content_words(text: str) -> set[str]:
    words = {w.strip(".,;:!?'\"()").lower() for w in text.split()}
    return {w[:-1] if w.endswith("s") else w for w in words
            if len(w) >= 4 and w.isalpha() and w not in _STOP}


def _same_practice(pro: Evidence, con: Evidence, level_of: dict[str, int]) -> bool:
    if pro.speaker == con.speaker:
        return False
    if pro.indicator_id == con.indicator_id:
        return True
    gap = abs(level_of.get(pro.indicator_id or "", 0) - level_of.get(con.indicator_id or "", 9))
    return gap <= 1 and bool(_content_words(pro.quote) & _content_words(con.quote))


def _conflicts(evidence: list[Evidence],
               level_of: dict[str, int]) -> list[tuple[Evidence, Evidence]]:
    """(assertion, denial) pairs about one practice, one pair per denial, the denials of
    people who do the work first."""
    pro = [e for e in evidence if e.stance == "supports" and e.indicator_id]
    con = [e for e in evidence if e.stance == "contradicts" and e.indicator_id]
    con.sort(key=lambda e: (e.role_category not in PRACTITIONERS, e.source, e.line))
    pairs = []
    used: set[int] = set()
    for c in con:
        match = next((p for p in pro if id(p) not in used and _same_practice(p, c, level_of)),
                     None)
        if match is not None:
            used.add(id(match))
            pairs.append((match, c))
    return pairs
