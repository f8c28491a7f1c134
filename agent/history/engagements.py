"""Engagements: the assessments made for one client, listed and pooled into one view.

An engagement is a name stored with each history entry (``--engagement``). Its view
pools, per framework, the evidence of the newest revision of every assessment in it
(rejected evidence stays out), and reads that pool through the same ledger and views as
a single assessment: the pooled level per dimension, each person's and each role's own
levels, the roles covered, and where people disagree across sessions. The level rule is
never applied here directly: ``Ledger`` and ``stakeholders`` apply it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from agent.assessment.ledger import Ledger, dedupe
from agent.assessment.model import Assessment, Disagreement, Speaker, StakeholderView
from agent.assessment.review import all_evidence
from agent.assessment.stakeholders import find_disagreements, stakeholder_view
from agent.history.store import HistoryEntry, HistoryStore
from agent.knowledge.schema import FrameworkPack


class EngagementSummary(BaseModel):
    name: str
    assessments: int  # originals; their review revisions are counted apart
    revisions: int
    frameworks: list[str]
    people: list[str]
    roles: list[str]  # role categories of the people who spoke
    last_activity: str  # when the newest entry (assessment or review) was saved


class FrameworkPool(BaseModel):
    framework: str
    assessments: list[str]  # the newest revision of each assessment pooled
    sources: list[str]
    levels: dict[str, int | None]
    #: Reviewers' levels in the pooled assessments: assessment id -> dimension -> level.
    overrides: dict[str, dict[str, int]] = {}
    stakeholders: StakeholderView
    disagreements: list[Disagreement] = []


class EngagementView(BaseModel):
    name: str
    frameworks: list[FrameworkPool]


def summaries(store: HistoryStore) -> list[EngagementSummary]:
    out = []
    for name in store.engagement_names():
        entries = store.list(engagement=name)
        latest = [store.get(e.id) for e in store.latest(name)]
        people = {s.name: s for a in latest for s in a.speakers if s.evidence_eligible}
        out.append(EngagementSummary(
            name=name, assessments=sum(e.revision_of is None for e in entries),
            revisions=sum(e.revision_of is not None for e in entries),
            frameworks=sorted({e.framework for e in entries}), people=sorted(people),
            roles=sorted({s.role_category for s in people.values() if s.role_category}),
            last_activity=max(e.saved for e in entries)))
    return out


def engagement_view(store: HistoryStore, name: str,
                    pack_for: Callable[[str], FrameworkPack]) -> EngagementView:
    entries = store.latest(store.known_engagement(name))
    by_framework: dict[str, list[HistoryEntry]] = {}
    for e in entries:
        by_framework.setdefault(e.framework, []).append(e)
    pools = [_pool(pack_for(fw), [(e.id, store.get(e.id)) for e in group])
             for fw, group in sorted(by_framework.items())]
    return EngagementView(name=store.known_engagement(name), frameworks=pools)


def _pool(pack: FrameworkPack, assessments: list[tuple[str, Assessment]]) -> FrameworkPool:
    evidence, _ = dedupe(e for _, a in assessments for e in all_evidence(a))
    ledger = Ledger(pack, evidence)
    levels = {dim.id: ledger.level(dim.id) for dim in pack.dimensions}
    return FrameworkPool(
        framework=pack.id, assessments=[i for i, _ in assessments],
        sources=[s.source for _, a in assessments for s in a.sources],
        levels=levels,
        overrides={i: {d.id: d.override.level for d in a.dimensions if d.override}
                   for i, a in assessments if any(d.override for d in a.dimensions)},
        stakeholders=stakeholder_view(ledger, _speakers(a for _, a in assessments), levels),
        disagreements=find_disagreements(ledger))


def _speakers(assessments: Iterable[Assessment]) -> list[Speaker]:
    """Everyone who spoke in any of the assessments, once, with their role where known."""
    seen: dict[str, Speaker] = {}
    for a in assessments:
        for s in a.speakers:
            old = seen.get(s.name)
            if old is None:
                seen[s.name] = s.model_copy()
                continue
            old.utterances += s.utterances
            old.role = old.role or s.role
            old.role_category = old.role_category or s.role_category
            old.evidence_eligible = old.evidence_eligible and s.evidence_eligible
    return list(seen.values())
