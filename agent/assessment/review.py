"""An assessor's review of a scored assessment: reject or accept evidence, set a level.

Each function returns a *new* assessment and leaves its input alone: the history keeps
the machine's proposal and stores the reviewed copy as a revision. Rejecting an item
re-scores the assessment from the remaining evidence through the same code the pipeline
uses (``pipeline.dimension_result`` over a ``Ledger``, then the same views and roadmap),
so a review never applies a level rule of its own. Setting a level records an
``Override`` (who, why, the machine's proposal) and makes it the dimension's level, so
history, comparisons and reports read the reviewed level; ``override.proposed`` keeps
the rubric's.

Evidence is named by a short, stable reference: a hash of what the item says, who said
it, where, and what it is credited to (``evidence_ref``). It survives re-scoring and
revisions, unlike a position in a list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from agent.assessment.ledger import Ledger
from agent.assessment.model import Assessment, DimensionResult, Evidence, Override
from agent.assessment.pipeline import _dimension as dimension_result
from agent.assessment.pipeline import _warnings as base_warnings
from agent.assessment.roadmap import build_roadmap
from agent.assessment.stakeholders import find_disagreements
from agent.assessment.views import add_views
from agent.errors import UserError
from agent.knowledge.schema import FrameworkPack

REF_CHARS = 8
MIN_REF_CHARS = 4
#: Warning codes the pipeline derives from the scored evidence (recomputed on re-scoring);
#: the others (injections, engine and metric warnings) describe the input and are kept.
_DERIVED_WARNINGS = frozenset({"single_perspective", "insufficient_evidence",
                               "unsupported_claims", "ungrounded_dropped", "missing_roles"})
_SETTING = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*(\d+)\s*$")


def evidence_ref(e: Evidence) -> str:
    """A short reference to one evidence item, stable across revisions."""
    key = "\x1f".join([e.dimension or "", e.indicator_id or "", e.stance, e.source,
                       str(e.line), e.speaker or "", e.quote])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:REF_CHARS]


def all_evidence(a: Assessment) -> list[Evidence]:
    return [e for d in a.dimensions for e in d.evidence]


def find_evidence(a: Assessment, ref: str) -> Evidence:
    """The item ``ref`` (or a unique prefix of at least ``MIN_REF_CHARS``) names."""
    key = ref.strip().lower()
    if len(key) < MIN_REF_CHARS or not re.fullmatch(r"[0-9a-f]+", key):
        raise UserError(f"evidence ref {ref!r} must be {MIN_REF_CHARS} to {REF_CHARS} hex "
                        "characters; 'maturity review ID' lists the refs")
    found = {evidence_ref(e): e for e in all_evidence(a) if evidence_ref(e).startswith(key)}
    if not found:
        raise UserError(f"no evidence {ref!r} in this assessment; 'maturity review ID' "
                        "lists the refs")
    if len(found) > 1:
        raise UserError(f"evidence ref {ref!r} matches {len(found)} items; give more of it")
    return next(iter(found.values()))


def rescore(a: Assessment, pack: FrameworkPack, evidence: Sequence[Evidence]) -> Assessment:
    """The assessment scored again from ``evidence``, by the pipeline's own steps.

    Reviewers' overrides stay (with the new machine level as their proposal); what comes
    from the transcripts rather than the evidence (metrics, mistakes, the warnings about
    the input) is kept as it was.
    """
    # In the order the pipeline met them (by source, then line), not the report's order.
    position = {s.source: n for n, s in enumerate(a.sources)}
    evidence = sorted(evidence, key=lambda e: (position.get(e.source, len(position)), e.line))
    ledger = Ledger(pack, evidence)
    old = {d.id: d for d in a.dimensions}
    dims = [_keep_override(dimension_result(pack, dim, ledger), old.get(dim.id), pack)
            for dim in pack.dimensions]
    new = a.model_copy(deep=True, update={"dimensions": dims,
                                          "disagreements": find_disagreements(ledger)})
    new.stats.evidence = sum(e.strength != "claim" for e in evidence)
    new.stats.claims = sum(e.strength == "claim" for e in evidence)
    scratch = new.model_copy(update={"warnings": base_warnings(new, [], [])})
    add_views(scratch, ledger, [], a.industry)
    new.stakeholders, new.tracks = scratch.stakeholders, scratch.tracks
    new.crosswalk, new.benchmark = scratch.crosswalk, scratch.benchmark
    kept = [w for w in a.warnings if w.code not in _DERIVED_WARNINGS]
    derived = [w for w in scratch.warnings if w.code in _DERIVED_WARNINGS]
    new.warnings = derived + kept
    new.roadmap = build_roadmap(pack, new)
    return new


def _keep_override(fresh: DimensionResult, old: DimensionResult | None,
                   pack: FrameworkPack) -> DimensionResult:
    if old is None or old.override is None:
        return fresh
    override = old.override.model_copy(update={"proposed": fresh.level})
    return fresh.model_copy(update={"override": override, "level": override.level,
                                    "level_name": pack.level_name(override.level)})


def reject(a: Assessment, pack: FrameworkPack, ref: str) -> tuple[Assessment, Evidence]:
    """The assessment re-scored without the item ``ref``; and the item."""
    item = find_evidence(a, ref)
    key = evidence_ref(item)
    remaining = [e for e in all_evidence(a) if evidence_ref(e) != key]
    return rescore(a, pack, remaining), item


def accept(a: Assessment, ref: str, by: str) -> tuple[Assessment, Evidence]:
    """The assessment with the item ``ref`` marked as confirmed by ``by``; and the item."""
    item = find_evidence(a, ref)
    key = evidence_ref(item)
    new = a.model_copy(deep=True)
    for d in new.dimensions:
        d.evidence = [e.model_copy(update={"accepted_by": by}) if evidence_ref(e) == key else e
                      for e in d.evidence]
    return new, item


def parse_setting(text: str) -> tuple[str, int]:
    """``DIM=LEVEL`` -> (dimension, level)."""
    match = _SETTING.match(text)
    if not match:
        raise UserError(f"--set {text!r} must be DIMENSION=LEVEL, e.g. --set strategy=3")
    return match.group(1), int(match.group(2))


def set_level(a: Assessment, pack: FrameworkPack, dimension: str, level: int, reason: str,
              by: str, at: str) -> tuple[Assessment, int | None]:
    """The assessment with the reviewer's level on ``dimension``; and the level it had."""
    if not reason.strip():
        raise UserError("a level set by a reviewer needs a reason: --reason 'why'")
    known = [d.id for d in a.dimensions]
    if dimension not in known:
        raise UserError(f"no dimension {dimension!r} in this assessment; use one of: "
                        f"{', '.join(known)}")
    low, top = pack.levels[0].level, pack.top_level
    if not low <= level <= top:
        raise UserError(f"level {level} is outside {pack.id}'s levels {low} to {top}")
    new = a.model_copy(deep=True)
    d = new.dimension(dimension)
    before = d.level
    proposed = d.override.proposed if d.override else d.level
    d.override = Override(level=level, reason=" ".join(reason.split()), by=by, at=at,
                          proposed=proposed)
    d.level, d.level_name = level, pack.level_name(level)
    new.roadmap = build_roadmap(pack, new)
    return new, before
