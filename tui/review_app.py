"""``maturity review ID`` at a terminal: correct a stored assessment, then write it once.

Dimensions on the left (the machine's level, the reviewer's, the level after the pending
changes, the indicator states), the selected dimension's evidence on the right (ref,
stance, speaker, status, quote). ``a`` accepts the highlighted item, ``r`` rejects it
(asks why), ``s`` sets the dimension's level (asks which and why), ``u`` undoes a
pending change, ``w`` writes them all as one revision, ``q`` quits (asking first when
changes are pending). Nothing is stored until ``w``; the status line previews the
levels the write would store (``tui.review_draft``: the CLI's own ``apply_review``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Static

from agent.errors import UserError
from agent.history.reviews import ReviewResult
from agent.history.store import AuditEntry, HistoryEntry
from tui.review_draft import PendingChange, ReviewDraft
from tui.widgets.review_prompts import ChangePrompt, ConfirmQuit
from tui.widgets.review_tables import (
    PAST,
    DimensionTable,
    EvidenceTable,
    evidence_detail,
    evidence_rows,
    indicator_lines,
)

if TYPE_CHECKING:
    from agent.app import Clock, Services
    from agent.history.store import HistoryStore

_REVIEW_ACTIONS = frozenset({"accept", "reject", "set_level", "undo", "write", "leave"})
IDLE_HINT = "a accept · r reject · s set level · u undo · w write · q quit"


@dataclass
class RevisionWritten(Message):
    result: ReviewResult
    entry: HistoryEntry  # the new revision, which further changes apply to
    audit: list[AuditEntry]


@dataclass
class WriteFailed(Message):
    error: str


class ReviewApp(App[list[str]]):
    """Returns the ids of the revisions written (none when quitting without writing)."""

    CSS_PATH = "app.tcss"
    TITLE = "maturity · review"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = "#review-dims"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("s", "set_level", "Set level"),
        Binding("u", "undo", "Undo"),
        Binding("w", "write", "Write"),
        Binding("q", "leave", "Quit"),
    ]

    def __init__(self, store: HistoryStore, draft: ReviewDraft, audit: list[AuditEntry],
                 clock: Clock) -> None:
        super().__init__()
        self._store = store
        self.draft = draft
        self.audit = audit
        self._clock = clock
        self.written: list[ReviewResult] = []
        self.writing = False
        #: Tests switch this off so snapshots do not depend on the blink phase.
        self.cursor_blink = True

    @classmethod
    def open(cls, services: Services, entry: str, by: str) -> ReviewApp:
        """The screen on the newest revision of ``entry`` (UserError when unknown)."""
        from agent.history.store import history_store

        store = history_store(services)
        newest = store.newest_revision(entry)
        draft = ReviewDraft(newest, store.get(newest.id),
                            services.registry.get(newest.framework), by)
        return cls(store, draft, store.audit(newest.id), services.clock)

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-main"):
            with Vertical(id="review-left"):
                yield DimensionTable()
                yield Static(id="review-indicators")
            with Vertical(id="review-right"):
                yield EvidenceTable()
                yield Static(id="review-item")
        yield Static(id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        self._set_titles()
        self.query_one(DimensionTable).border_title = "Dimensions"
        self.query_one(EvidenceTable).border_title = "Evidence"
        self._refresh()

    def _set_titles(self) -> None:
        entry = self.draft.entry
        revision = f" · revision {entry.revision}" if entry.revision else ""
        self.sub_title = f"{entry.framework} · {entry.root}{revision} · reviewer {self.draft.by}"

    # -- showing the draft ---------------------------------------------------------------

    def _refresh(self) -> None:
        self.query_one(DimensionTable).show(self.draft)
        self._show_dimension(self.query_one(DimensionTable).selected())
        self._set_status()

    def _show_dimension(self, dimension: str | None) -> None:
        if dimension is None:
            return
        table = self.query_one(EvidenceTable)
        table.border_title = f"Evidence · {self.draft.base.dimension(dimension).name}"
        table.show(evidence_rows(self.draft, self.audit, dimension))
        self.query_one("#review-indicators", Static).update(
            indicator_lines(self.draft.preview.dimension(dimension)))
        self._show_item(table.selected())

    def _show_item(self, key: str | None) -> None:
        body = (evidence_detail(self.draft, self.audit, key) if key is not None
                else Text("No evidence for this dimension.", style="dim"))
        self.query_one("#review-item", Static).update(body)

    def status_text(self) -> str:
        """Pending changes and the levels they lead to, or what the keys do."""
        draft = self.draft
        if not draft.changes:
            saved = (f"Saved revision {self.written[-1].revision} · " if self.written else "")
            return saved + "No changes pending · " + IDLE_HINT
        before, after = draft.base.levels(), draft.preview.levels()
        moved = [f"{d} {_level(before.get(d))} → {_level(level)}" for d, level in after.items()
                 if before.get(d) != level]
        levels = "levels: " + ", ".join(moved) if moved else "levels unchanged"
        labels = ", ".join(c.label() for c in draft.changes)
        return f"{len(draft.changes)} pending: {labels} · {levels} · w writes one revision"

    def _set_status(self) -> None:
        self.query_one("#review-status", Static).update(Text(self.status_text()))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        if event.data_table.id == "review-dims":
            self._show_dimension(key)
        else:
            self._show_item(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "review-dims":  # enter: on to its evidence
            self.query_one(EvidenceTable).focus()

    # -- changes -------------------------------------------------------------------------

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    def _item(self) -> str | None:
        """The highlighted evidence item, when the evidence list has the focus."""
        table = self.query_one(EvidenceTable)
        key = table.selected() if self.focused is table else None
        if key is None:
            self.notify("Pick an item first: enter or tab to the evidence list", timeout=3)
        elif key.startswith(PAST):
            self.notify("That item was rejected in an earlier revision", timeout=3)
            return None
        return key

    def _add(self, change: PendingChange) -> str | None:
        try:
            self.draft.add(change, self._now())
        except UserError as exc:
            return str(exc)
        self._refresh()
        return None

    def action_accept(self) -> None:
        ref = self._item()
        if ref is not None:
            error = self._add(PendingChange("accept", ref))
            if error:
                self.notify(error, severity="error")

    def action_reject(self) -> None:
        ref = self._item()
        if ref is None:
            return

        def submit(_level: str, reason: str) -> str | None:
            if not reason.strip():
                return "Say why: every rejection is kept in the audit trail with its reason."
            return self._add(PendingChange("reject", ref, " ".join(reason.split())))

        self.push_screen(ChangePrompt(f"Reject {ref}", submit, blink=self.cursor_blink))

    def action_set_level(self) -> None:
        dimension = self.query_one(DimensionTable).selected()
        if dimension is None:
            return
        pack = self.draft.pack
        low, top = pack.levels[0].level, pack.top_level
        d = self.draft.preview.dimension(dimension)

        def submit(level_text: str, reason: str) -> str | None:
            if not level_text.strip().isdigit():
                return f"The level is a number from {low} to {top}."
            if not reason.strip():
                return "Say why: a level set by a reviewer is kept with its reason."
            return self._add(PendingChange("set", dimension, " ".join(reason.split()),
                                           int(level_text)))

        title = f"Set the level of {d.name or d.id} (now {_level(d.level)})"
        self.push_screen(ChangePrompt(title, submit, ask_level=f"level, {low} to {top}",
                                      blink=self.cursor_blink))

    def action_undo(self) -> None:
        focused = self.focused
        target = focused.selected() if isinstance(focused, DimensionTable | EvidenceTable) \
            else None
        dropped = self.draft.undo(target, self._now())
        if dropped is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self._refresh()
        self.notify(f"Undone: {dropped.label()}", timeout=2)

    # -- writing and leaving -----------------------------------------------------------

    def action_write(self) -> None:
        if not self.draft.changes:
            self.notify("Nothing to write", timeout=2)
            return
        self.writing = True
        self.refresh_bindings()
        self.query_one("#review-status", Static).update(Text("Writing the revision…"))
        self._write(self._now())

    @work(thread=True, exclusive=True, group="write")
    def _write(self, at: str) -> None:
        try:
            result = self.draft.store_in(self._store, at)
            entry = self._store.newest_revision(result.revision)
            audit = self._store.audit(result.revision)
        except UserError as exc:
            self.post_message(WriteFailed(str(exc)))
            return
        except Exception as exc:  # storage failure: the pending changes stay on screen
            from agent.logs import log_exception

            where = log_exception(exc)
            self.post_message(WriteFailed(f"internal error: {type(exc).__name__}: {exc}"
                                          f"{where}; nothing was written"))
            return
        self.post_message(RevisionWritten(result, entry, audit))

    def on_revision_written(self, message: RevisionWritten) -> None:
        self.writing = False
        self.written.append(message.result)
        self.draft.start_over(message.entry, message.result.assessment)
        self.audit = message.audit
        self._set_titles()
        self._refresh()
        self.refresh_bindings()
        self.notify(f"Saved revision {message.result.revision} "
                    f"({len(message.result.changes)} change(s))", timeout=4)

    def on_write_failed(self, message: WriteFailed) -> None:
        self.writing = False
        self.refresh_bindings()
        self._set_status()
        self.notify(message.error, severity="error", timeout=8)

    def action_leave(self) -> None:
        if not self.draft.changes:
            self._exit_now()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._exit_now()

        self.push_screen(ConfirmQuit([c.label() for c in self.draft.changes]), answered)

    def _exit_now(self) -> None:
        self.exit([r.revision for r in self.written])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed into a prompt are words, and nothing changes mid-write.
        busy = isinstance(self.screen, ModalScreen) or self.writing
        return None if busy and action in _REVIEW_ACTIONS else True

    def exit_lines(self) -> list[str]:
        """What to print on the terminal once the app has closed."""
        lines = [f"saved revision {r.revision} of {r.base.root} ({len(r.changes)} change(s))"
                 for r in self.written]
        return lines or ["no changes written"]


def _level(value: int | None) -> str:
    return "—" if value is None else str(value)


def run_review_app(services: Services, entry: str, by: str) -> None:
    """The ``review-app`` surface (pyproject entry point): ``maturity review ID`` at a
    terminal. The revisions written are listed on the terminal once the app closes."""
    app = ReviewApp.open(services, entry, by)
    app.run()
    for line in app.exit_lines():
        print(line, file=sys.stderr)
