"""The pending changes of a review on screen, and what they would make of the assessment.

The screen scores nothing itself. Its preview runs ``apply_review``, the function the
``maturity review`` flags run (same order: rejections, acceptances, then levels set; same
checks; same re-scoring), against a stand-in store that keeps nothing; ``write`` runs it
once more against the real history. So the levels on the status line are the levels
``maturity review ID --reject REF --set DIM=LEVEL --reason ...`` would store, and the
audit trail of a write from the screen is the one those flags leave.

Each change keeps its own reason (``ReviewRequest.reasons``), as the screen asks one per
change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from agent.assessment.model import Assessment
from agent.history.reviews import ReviewRequest, ReviewResult, apply_review
from agent.history.store import AuditEntry, HistoryEntry

if TYPE_CHECKING:
    from agent.history.store import HistoryStore
    from agent.knowledge.schema import FrameworkPack

Action = Literal["reject", "accept", "set"]
#: The id the stand-in store gives a previewed revision.
PREVIEW_ID = "preview"


@dataclass(frozen=True)
class PendingChange:
    action: Action
    target: str  # an evidence ref, or a dimension id for "set"
    reason: str = ""
    level: int | None = None  # for "set"

    def label(self) -> str:
        """The change in the CLI's words: ``reject 9c1e04ab``, ``set strategy=3``."""
        if self.action == "set":
            return f"set {self.target}={self.level}"
        return f"{self.action} {self.target}"


@dataclass
class _DryRunStore:
    """Just the store methods ``apply_review`` uses, over one assessment held in memory."""

    entry: HistoryEntry
    assessment: Assessment
    saved: list[AuditEntry] = field(default_factory=list)

    def newest_revision(self, id_or_prefix: str) -> HistoryEntry:
        return self.entry

    def get(self, id_or_prefix: str) -> Assessment:
        return self.assessment

    def save_revision(self, of: str, assessment: Assessment,
                      changes: Sequence[AuditEntry]) -> str:
        self.saved = list(changes)
        return PREVIEW_ID


class ReviewDraft:
    """Changes not yet written, on the newest revision ``entry`` of an assessment."""

    def __init__(self, entry: HistoryEntry, assessment: Assessment, pack: FrameworkPack,
                 by: str) -> None:
        self.entry = entry
        self.base = assessment
        self.pack = pack
        self.by = by
        self.changes: list[PendingChange] = []
        self.preview: Assessment = assessment
        #: What each pending change would do (the audit entries a write would store).
        self.effects: list[AuditEntry] = []

    def add(self, change: PendingChange, at: str) -> None:
        """Add ``change`` (replacing a pending one on the same target); UserError, and
        nothing changed, when ``apply_review`` would refuse the result."""
        kept = [c for c in self.changes if not _same_target(c, change)]
        self._recompute([*kept, change], at)

    def undo(self, target: str | None, at: str) -> PendingChange | None:
        """Drop the pending change on ``target``, else the newest one; which one it was."""
        if not self.changes:
            return None
        on_target = [c for c in self.changes if c.target == target]
        dropped = on_target[-1] if on_target else self.changes[-1]
        self._recompute([c for c in self.changes if c is not dropped], at)
        return dropped

    def pending(self, target: str) -> PendingChange | None:
        return next((c for c in self.changes if c.target == target), None)

    def request(self) -> ReviewRequest:
        """The pending changes as one review call, exactly as the CLI flags build it."""
        return ReviewRequest(
            reject=[c.target for c in self.changes if c.action == "reject"],
            accept=[c.target for c in self.changes if c.action == "accept"],
            set=[f"{c.target}={c.level}" for c in self.changes if c.action == "set"],
            reasons={c.target: c.reason for c in self.changes if c.reason.strip()},
            by=self.by)

    def store_in(self, store: HistoryStore, at: str) -> ReviewResult:
        """Store every pending change as one revision (the draft itself is unchanged:
        this runs in a worker thread; ``start_over`` follows on the app's)."""
        return apply_review(store, self.pack, self.entry.id, self.request(), at)

    def start_over(self, entry: HistoryEntry, assessment: Assessment) -> None:
        """Nothing pending, on the revision just written."""
        self.entry, self.base, self.preview = entry, assessment, assessment
        self.changes, self.effects = [], []

    def _recompute(self, changes: list[PendingChange], at: str) -> None:
        if not changes:
            self.changes, self.preview, self.effects = [], self.base, []
            return
        scratch = _DryRunStore(self.entry, self.base)
        ordered = ReviewDraft(self.entry, self.base, self.pack, self.by)
        ordered.changes = changes
        result = apply_review(cast("HistoryStore", scratch), self.pack, self.entry.id,
                              ordered.request(), at)
        self.changes, self.preview, self.effects = changes, result.assessment, scratch.saved


def _same_target(a: PendingChange, b: PendingChange) -> bool:
    """Accepting and rejecting one item exclude each other; a level set replaces the last."""
    return a.target == b.target and (a.action == "set") == (b.action == "set")
