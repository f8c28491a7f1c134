"""Engagements: the assessments made for one client, listed and pooled into one view.

An engagement is a name stored with each history entry (``--engagement``). Its view
pools, per framework, the evidence of the newest revision of every assessment in it
(rejected evidence stays out), and reads that pool through the same ledger and views as
a single assessment: the pooled level per dimension, each person's and each role's own
levels, the roles covered, and where people disagree across sessions. The level rule is
never applied here directly: ``Ledger`` and ``stakeholders`` apply it.

Teams need no schema: a name's ``/`` path parts make them (``Acme Bank/Payments``,
``Acme Bank/Retail``). The view of ``Acme Bank`` rolls up every team under it and any
entries of the bare name, pooled as one meeting, and lists each team beside the roll-up
with its own pool. Elsewhere (``history --engagement``, rename, delete) names match
exactly, so a team is handled by its full name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from agent.assessment.ledger import Ledger, dedupe
from agent.assessment.model import Assessment, Disagreement, Speaker, StakeholderView
from agent.assessment.review import all_evidence
from agent.assessment.stakeholders import find_disagreements, stakeholder_view
from agent.history.store import HistoryStore, check_engagement
from agent.knowledge.schema import FrameworkPack


class EngagementSummary(BaseModel):
    name: str
    assessments: int  # originals; their review revisions are counted apart
    revisions: int
    frameworks: list[str]
    people: list[str]
    roles: list[str]  # role categories of the people who spoke
    last_activity: str  # when the newest entry (assessment or review) was saved
    #: Added for teams: the path this name rolls up into ("Acme Bank" for
    #: "Acme Bank/Payments"), and the teams directly under this name.
    parent: str | None = None
    teams: list[str] = []


class TeamRow(BaseModel):
    """One team's own pool, shown beside the engagement's roll-up."""

    team: str | None  # None: entries filed under the engagement's own name, in no team
    engagements: list[str]  # the stored names pooled (a team's own sub-teams included)
    assessments: list[str]
    levels: dict[str, int | None]
    people: list[str]
    roles_covered: list[str]
    roles_missing: list[str]


class FrameworkPool(BaseModel):
    framework: str
    assessments: list[str]  # the newest revision of each assessment pooled
    sources: list[str]
    levels: dict[str, int | None]
    #: Reviewers' levels in the pooled assessments: assessment id -> dimension -> level.
    overrides: dict[str, dict[str, int]] = {}
    stakeholders: StakeholderView
    disagreements: list[Disagreement] = []
    #: With teams: each team's own pool in this framework (the roll-up is the fields above).
    teams: list[TeamRow] = []


class EngagementView(BaseModel):
    name: str
    frameworks: list[FrameworkPool]
    engagements: list[str] = []  # the stored names rolled up: the name itself and its teams
    teams: list[str] = []  # the teams under the name, by their own part of the path


TeamPath = tuple[str, ...]


def path_parts(name: str) -> TeamPath:
    """``"Acme Bank / Payments"`` -> ``("Acme Bank", "Payments")``; a name of no parts is one."""
    return tuple(p.strip() for p in name.split("/") if p.strip()) or (name,)


def members(names: Iterable[str], path: TeamPath) -> list[str]:
    """The stored names at ``path`` or under it (its teams, their teams), in path order."""
    return sorted((n for n in names if path_parts(n)[:len(path)] == path), key=path_parts)


def summaries(store: HistoryStore) -> list[EngagementSummary]:
    """One per stored name, its own entries only, each team right after its parent."""
    names = store.engagement_names()
    return [_summary(store, n, path_parts(n), [n], names)
            for n in sorted(names, key=path_parts)]


def rolled_up_summaries(store: HistoryStore) -> list[EngagementSummary]:
    """One per name and per parent path, a parent's figures pooling all its teams."""
    names = store.engagement_names()
    paths = sorted({p[:i] for p in map(path_parts, names) for i in range(1, len(p) + 1)})
    return [_summary(store, "/".join(p), p, members(names, p), names) for p in paths]


def _summary(store: HistoryStore, name: str, path: TeamPath, pooled: list[str],
             names: list[str]) -> EngagementSummary:
    entries = [e for n in pooled for e in store.list(engagement=n)]
    latest = [store.get(e.id) for n in pooled for e in store.latest(n)]
    people = {s.name: s for a in latest for s in a.speakers if s.evidence_eligible}
    return EngagementSummary(
        name=name, assessments=sum(e.revision_of is None for e in entries),
        revisions=sum(e.revision_of is not None for e in entries),
        frameworks=sorted({e.framework for e in entries}), people=sorted(people),
        roles=sorted({s.role_category for s in people.values() if s.role_category}),
        last_activity=max((e.saved for e in entries), default=""),
        parent="/".join(path[:-1]) or None,
        teams=["/".join(t) for t in _teams(names, path)])


def _teams(names: Iterable[str], path: TeamPath) -> list[TeamPath]:
    """The paths one level under ``path`` that hold any stored name."""
    return sorted({p[:len(path) + 1] for p in map(path_parts, names)
                   if len(p) > len(path) and p[:len(path)] == path})


def engagement_view(store: HistoryStore, name: str,
                    pack_for: Callable[[str], FrameworkPack]) -> EngagementView:
    """The engagement pooled per framework; with teams under it, each team's pool too.

    An unknown name (no stored name at it or under it) is a UserError listing the known.
    """
    cleaned = check_engagement(name)
    names = store.engagement_names()
    path = path_parts(cleaned)
    pooled = members(names, path)
    if not pooled:
        store.known_engagement(cleaned)  # raises, listing the names there are
    entries = sorted((e for n in pooled for e in store.latest(n)),
                     key=lambda e: (e.created, e.saved))
    loaded = {e.id: store.get(e.id) for e in entries}
    teams = _teams(names, path)
    groups: dict[str | None, list[str]] = {t[-1]: members(pooled, t) for t in teams}
    own = [n for n in pooled if path_parts(n) == path]
    if teams and own:
        groups[None] = own
    pools = []
    for fw in sorted({e.framework for e in entries}):
        mine = [e for e in entries if e.framework == fw]
        pool = _pool(pack_for(fw), [(e.id, loaded[e.id]) for e in mine])
        pool.teams = [_team_row(pack_for(fw), team, names_in,
                                [(e.id, loaded[e.id]) for e in mine if e.engagement in names_in])
                      for team, names_in in groups.items()
                      if any(e.engagement in names_in for e in mine)]
        pools.append(pool)
    return EngagementView(name=cleaned, frameworks=pools, engagements=pooled,
                          teams=[t[-1] for t in teams])


def _team_row(pack: FrameworkPack, team: str | None, names: list[str],
              assessments: list[tuple[str, Assessment]]) -> TeamRow:
    """A team's row is its own pool, read by the same ``_pool`` as the roll-up."""
    pool = _pool(pack, assessments)
    view = pool.stakeholders
    return TeamRow(team=team, engagements=names, assessments=pool.assessments,
                   levels=pool.levels, people=[s.name for s in view.stakeholders],
                   roles_covered=[c.role for c in view.coverage if c.present],
                   roles_missing=view.missing_roles)


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
