"""A review session on a stored assessment: changes applied in order, one new revision.

The changes of one ``maturity review`` call (rejections, then acceptances, then levels
set) are applied to the newest revision of the assessment, in that order, and stored
together as the next revision with one audit entry each. Nothing is stored when any
change is invalid: the whole call is checked before the history is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.assessment import review
from agent.assessment.model import Assessment, Evidence
from agent.errors import UserError
from agent.history.store import AuditEntry, HistoryEntry, HistoryStore
from agent.knowledge.schema import FrameworkPack


@dataclass
class ReviewRequest:
    reject: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    set: list[str] = field(default_factory=list)
    reason: str | None = None
    by: str = ""
    #: A change's own reason, by its evidence ref or dimension id (the review screen
    #: asks one per change); ``reason`` stands for the changes not named here.
    reasons: dict[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.reject or self.accept or self.set)

    def reason_for(self, target: str) -> str:
        return " ".join((self.reasons.get(target) or self.reason or "").split())


@dataclass
class ReviewResult:
    base: HistoryEntry  # the revision the changes were applied to
    revision: str  # the new history entry
    changes: list[AuditEntry]
    assessment: Assessment


def apply_review(store: HistoryStore, pack: FrameworkPack, entry: str, request: ReviewRequest,
                 at: str) -> ReviewResult:
    """Apply ``request`` to the newest revision of ``entry`` and store the result."""
    by = " ".join(request.by.split())
    if not by:
        raise UserError("who is reviewing? pass --reviewer NAME")
    settings = [review.parse_setting(s) for s in request.set]
    if any(not request.reason_for(t) for t in [*request.reject, *(d for d, _ in settings)]):
        raise UserError("say why with --reason 'TEXT': every rejection and level set is "
                        "kept in the audit trail with its reason")
    base = store.newest_revision(entry)
    current = store.get(base.id)
    changes: list[AuditEntry] = []
    for ref in request.reject:
        previous = current
        current, item = review.reject(current, pack, ref)
        changes.append(_change(by, at, "reject", item, request.reason_for(ref), previous,
                               current))
    for ref in request.accept:
        previous = current
        current, item = review.accept(current, ref, by)
        changes.append(_change(by, at, "accept", item, request.reason_for(ref) or "accepted",
                               previous, current))
    for dimension, level in settings:
        reason = request.reason_for(dimension)
        current, was = review.set_level(current, pack, dimension, level, reason, by, at)
        changes.append(AuditEntry(by=by, at=at, action="set", target=dimension, reason=reason,
                                  detail={"level": level, "was": was}))
    new_id = store.save_revision(base.id, current, changes)
    done = [AuditEntry(**{**c.__dict__, "revision": new_id}) for c in changes]
    return ReviewResult(base=base, revision=new_id, changes=done, assessment=current)


def _change(by: str, at: str, action: str, item: Evidence, reason: str, previous: Assessment,
            after: Assessment) -> AuditEntry:
    """An evidence change, with the item's words and its dimension's level before and after."""
    dimension = item.dimension
    detail: dict[str, object] = {"quote": item.quote, "speaker": item.speaker,
                                 "source": item.source, "line": item.line,
                                 "indicator": item.indicator_id, "dimension": dimension}
    if dimension in previous.levels():
        detail["was"] = previous.levels()[dimension]
        detail["level"] = after.levels().get(dimension)
    return AuditEntry(by=by, at=at, action=action, target=review.evidence_ref(item),
                      reason=reason, detail=detail)
