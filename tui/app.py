"""The terminal interview: chat on the left, live scorecard and evidence drawer on the right.

The app is a surface. Every call into the interview core runs in a worker thread (an
LLM turn can take seconds) and comes back as a message; widgets only post messages.
The session is persisted by the core after every answer, so quitting at any point
leaves it resumable with ``maturity interview --resume ID``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static

from agent.assessment.model import Assessment
from agent.cli.output import standing_lines
from agent.errors import UserError
from agent.interview import AgentTurn, Stakeholder
from tui.messages import (
    AgentFailed,
    AgentReplied,
    AnswerSubmitted,
    DimensionSelected,
    ReportSaved,
    StakeholderNeeded,
    StatusChanged,
)
from tui.report_files import report_paths, save_history, save_report
from tui.widgets.chat import ChatPane
from tui.widgets.confirm_finish import ConfirmFinish
from tui.widgets.drawer import EvidenceDrawer
from tui.widgets.scorecard import Scorecard
from tui.widgets.stakeholder_form import StakeholderForm

if TYPE_CHECKING:  # the real one pulls in langgraph; the app only needs its methods
    from agent.interview import Interviewer
    from agent.interview.model import TurnKind
    from agent.interview.store import PastTurn

DRAWER_HINT = "tab to the scorecard, ↑↓ to pick a dimension, ctrl+e for its evidence"
#: How long the resume command stays on screen after ctrl+q before the app closes (a
#: second ctrl+q closes at once); it is printed to the terminal as well.
QUIT_NOTICE_SECONDS = 0.8


def resume_command(session_id: str) -> str:
    return f"maturity interview --resume {session_id}"


def is_done(text: str) -> bool:
    """The answer is the ``done`` command (as the core reads it: "Done.", " done ")."""
    return text.strip().lower().rstrip("?!. ") == "done"


class InterviewApp(App[Assessment | None]):
    """Returns the final Assessment, or None when the person quits before the end."""

    CSS_PATH = "app.tcss"
    TITLE = "maturity · interview"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = "#answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "command('status')", "Status", priority=True),
        Binding("ctrl+w", "command('why')", "Why?", priority=True),
        Binding("ctrl+k", "command('skip')", "Skip", priority=True),
        Binding("ctrl+b", "command('back')", "Back", priority=True),
        Binding("ctrl+d", "command('done')", "Done", priority=True),
        Binding("ctrl+e", "toggle_drawer", "Evidence", priority=True),
        Binding("ctrl+q", "leave", "Quit", priority=True),
    ]

    def __init__(self, interviewer: Interviewer, framework: str, stakeholder: Stakeholder | None,
                 session_id: str | None = None, out: Path | None = None) -> None:
        super().__init__()
        self._interviewer = interviewer
        self._framework = framework
        self.stakeholder = stakeholder
        self.session_id = session_id
        self._out = out
        self.assessment: Assessment | None = None
        self.turn: AgentTurn | None = None
        self.finished = False
        self.saved: list[Path] = []
        self.thinking = False
        self._leaving = False  # quit asked while the agent thinks: leave after its reply
        self._quitting = False  # the resume command is on screen; the app closes shortly
        #: Tests switch this off so snapshots do not depend on the blink phase.
        self.cursor_blink = True

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ChatPane()
            with Vertical(id="side"):
                yield Scorecard()
                yield Static(Text(DRAWER_HINT, style="dim"), id="drawer-hint")
                yield EvidenceDrawer()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self._framework
        self.query_one("#answer", Input).cursor_blink = self.cursor_blink
        drawer = self.query_one(EvidenceDrawer)
        drawer.display = drawer.can_focus = False
        self.query_one(Scorecard).border_title = "Scorecard"
        if self.stakeholder is None and self.session_id is None:
            self._ask_who()
        else:  # a resumed session without a name knows whose turn it is
            self._set_thinking(True, "Opening the session…")
            self._open_session(self.stakeholder)

    @property
    def _chat(self) -> ChatPane:
        return self.query_one(ChatPane)

    def _ask_who(self) -> None:
        self._chat.set_status("Who is being interviewed?")
        self.push_screen(StakeholderForm(self.cursor_blink), self._stakeholder_chosen)

    def _stakeholder_chosen(self, stakeholder: Stakeholder | None) -> None:
        if stakeholder is not None:
            self.stakeholder = stakeholder
            self._set_thinking(True, "Preparing the first question…")
            self._open_session(stakeholder)

    # -- talking to the core (always in a worker) ------------------------------------------

    @work(thread=True, exclusive=True, group="agent")
    def _open_session(self, stakeholder: Stakeholder | None) -> None:
        person = stakeholder
        if person is None and self.session_id is not None:
            try:
                person = self._optional("current_stakeholder", self.session_id)
            except Exception:  # then ask; opening the session reports the cause
                person = None
        if person is None:
            self.post_message(StakeholderNeeded())
            return
        previous: list[PastTurn] = []
        self._call_core(lambda: self._start_or_resume(person, previous), person, previous)

    def _start_or_resume(self, person: Stakeholder,
                         previous: list[PastTurn]) -> tuple[str, AgentTurn]:
        self._prepare()
        if self.session_id is None:
            return self._interviewer.start(self._framework, person)
        previous.extend(self._past_turns(self.session_id))
        if self._optional("current_stakeholder", self.session_id) == person:
            return self.session_id, self._interviewer.pending(self.session_id)
        return self.session_id, self._interviewer.join(self.session_id, person)

    def _prepare(self) -> None:
        """Load the index and embedder before the first answer, showing progress."""
        def progress(done: int, total: int) -> None:
            self.post_message(StatusChanged(f"Loading the knowledge index… {done}/{total}"))

        self.post_message(StatusChanged("Loading the knowledge index…"))
        self._optional("prepare", self._framework, progress)
        self.post_message(StatusChanged("Preparing the question…"))

    def _past_turns(self, session_id: str) -> list[PastTurn]:
        """The resumed session's questions and answers so far, from the sessions store.

        Best-effort: the session opens without them if they cannot be read (the
        assessment, and so the scorecard, comes from the core either way).
        """
        read = getattr(getattr(self._interviewer, "store", None), "conversation", None)
        if not callable(read):
            return []
        try:
            return list(read(session_id))
        except Exception as exc:
            from agent.logs import log_exception

            log_exception(exc)
            return []

    def _optional(self, method: str, *args: Any) -> Any:
        """Call one of the real Interviewer's helpers beyond INTERFACES §2, if it has it."""
        found = getattr(self._interviewer, method, None)
        return found(*args) if callable(found) else None

    @work(thread=True, exclusive=True, group="agent")
    def _send(self, session_id: str, stakeholder: Stakeholder, text: str) -> None:
        self._call_core(lambda: (session_id,
                                 self._interviewer.answer(session_id, stakeholder, text)))

    def _call_core(self, call: Callable[[], tuple[str, AgentTurn]],
                   opened_by: Stakeholder | None = None,
                   previous: list[PastTurn] | None = None) -> None:
        """Run one core call in this worker thread and post the outcome to the app."""
        try:
            session_id, turn = call()
            assessment = self._interviewer.assessment(session_id)
        except UserError as exc:
            self.post_message(AgentFailed(str(exc)))
            return
        except Exception as exc:  # an engine or storage failure must not kill the chat
            from agent.logs import log_exception

            where = log_exception(exc)
            self.post_message(AgentFailed(
                f"internal error: {type(exc).__name__}: {exc}{where}. Every answer so far is "
                "saved: try again, or quit and resume later."))
            return
        self.post_message(AgentReplied(session_id, turn, assessment, opened_by,
                                       list(previous or [])))

    @work(thread=True, exclusive=True, group="save")
    def _save(self, session_id: str, assessment: Assessment) -> None:
        services = getattr(self._interviewer, "services", None)
        if services is not None:
            home = services.home
        else:
            from agent.paths import maturity_home

            home = maturity_home()
        try:
            saved = save_report(assessment, report_paths(self._out, home, session_id))
        except UserError as exc:
            self.post_message(AgentFailed(str(exc)))
            return
        if services is not None:
            saved.notes.append(save_history(services, assessment))
        self.post_message(ReportSaved(saved.paths, saved.notes))

    # -- messages ------------------------------------------------------------------------

    def on_answer_submitted(self, message: AnswerSubmitted) -> None:
        if self.thinking:
            self.notify("Still thinking about the last answer…", timeout=2)
        elif is_done(message.text):
            self._confirm_done(message.text, from_box=True)
        elif self._submit(message.text):
            self._chat.clear_answer()

    def _confirm_done(self, word: str = "done", *, from_box: bool = False) -> None:
        """``done`` ends the interview for good: show where things stand and ask first."""
        if self.thinking or self.finished or self.session_id is None:
            return
        if isinstance(self.screen, ConfirmFinish):
            return
        standing = standing_lines(self.assessment) if self.assessment is not None else []

        def answered(finish: bool | None) -> None:
            if from_box:  # the word was typed: it is not an answer either way
                self._chat.clear_answer()
            if finish:
                self._submit(word)
            else:
                self._chat.set_status(f"Carrying on · {self._status_text()}")
                self.set_focus(self.query_one("#answer", Input))

        self.push_screen(ConfirmFinish(standing), answered)

    def _submit(self, text: str) -> bool:
        if self.thinking or self.finished or self.session_id is None or self._quitting:
            return False
        assert self.stakeholder is not None
        self._chat.add_person(self.stakeholder.name, text)
        self._set_thinking(True, "Reading your answer…")
        self._send(self.session_id, self.stakeholder, text)
        return True

    def on_agent_replied(self, message: AgentReplied) -> None:
        if message.stakeholder is not None:
            self.stakeholder = message.stakeholder
        self.session_id = message.session_id
        self.turn = message.turn
        self.assessment = message.assessment
        self.sub_title = f"{self._framework} · session {message.session_id}"
        if message.previous:
            self._replay(message.session_id, message.previous)
        self._chat.add_agent(message.turn)
        scorecard = self.query_one(Scorecard)
        scorecard.show(message.assessment, message.turn.dimension)
        self._refresh_drawer(scorecard.selected_dimension())
        self._set_thinking(False, self._status_text())
        if message.turn.finished:
            self.finished = True
            self._chat.close("The interview is finished: ctrl+q to leave")
            self._chat.set_status("Saving the report…")
            self._save(message.session_id, message.assessment)
            self.refresh_bindings()
        if self._leaving:
            self.action_leave()

    def _replay(self, session_id: str, previous: list[PastTurn]) -> None:
        """A resumed session's conversation so far, before the question that waits."""
        answered = sum(p.speaker == "person" and p.kind == "answer" and not p.withdrawn
                       for p in previous)
        self._chat.add_notice(f"Resumed session {session_id}: the conversation so far "
                              f"({answered} answer(s)).")
        for past in previous:
            if past.speaker == "agent":
                kind = cast("TurnKind", past.kind if past.kind == "follow_up" else "question")
                self._chat.add_agent(AgentTurn(past.text, kind, past.dimension, None, (),
                                               False))
            else:
                self._chat.add_person(past.name or "?", past.text, withdrawn=past.withdrawn)
        self._chat.add_notice("Picking up where the session stopped:")

    def on_agent_failed(self, message: AgentFailed) -> None:
        self._chat.add_notice(message.error, error=True)
        status = self._status_text() if self.assessment else "Not started: ctrl+q to leave"
        self._set_thinking(False, status)
        if self._leaving:
            self.action_leave()

    def on_status_changed(self, message: StatusChanged) -> None:
        self._chat.set_status(message.text)

    def on_stakeholder_needed(self, message: StakeholderNeeded) -> None:
        self._set_thinking(False, "Who is being interviewed?")
        self._ask_who()

    def on_report_saved(self, message: ReportSaved) -> None:
        self.saved = message.paths
        lines = ["Report saved:"] + [f"  {p}" for p in message.paths] + message.notes
        self._chat.add_notice("\n".join(lines))
        self._chat.set_status(f"Finished · saved {len(message.paths)} file(s) · ctrl+q to leave")

    def on_dimension_selected(self, message: DimensionSelected) -> None:
        if message.open_drawer:
            self._show_drawer(True)
        self._refresh_drawer(message.dimension_id)

    # -- actions -------------------------------------------------------------------------

    def action_command(self, word: str) -> None:
        if word == "done":
            self._confirm_done()
        else:
            self._submit(word)

    def action_toggle_drawer(self) -> None:
        self._show_drawer(not self.query_one(EvidenceDrawer).display)

    def action_leave(self) -> None:
        if self.thinking and not self._leaving:
            # Let the answer in flight be stored before the core is closed; a second
            # ctrl+q leaves at once.
            self._leaving = True
            self._chat.set_status("Storing the last answer, then quitting…")
            return
        hint = self.resume_hint()
        if hint is None or self._quitting:
            self._exit_now()
            return
        # Say how to come back before closing; the same line is printed to the terminal
        # once the app has closed (run_interview_app).
        self._quitting = True
        self._chat.add_notice(hint)  # wraps, where the status line would cut it short
        self._chat.set_status("Quitting…")
        self.notify(hint, title="Quitting", timeout=QUIT_NOTICE_SECONDS + 5)
        self.set_timer(QUIT_NOTICE_SECONDS, self._exit_now)

    def _exit_now(self) -> None:
        self.exit(self.assessment if self.finished else None)

    def resume_hint(self) -> str | None:
        """How to continue an unfinished session (None when finished or never started)."""
        if self.finished or self.session_id is None:
            return None
        return f"The session is saved. Resume with: {resume_command(self.session_id)}"

    def exit_lines(self) -> list[str]:
        """What to print on the terminal once the app has closed."""
        hint = self.resume_hint()
        if hint is not None:
            return [hint]
        if self.finished and self.saved:
            return ["Report saved:", *(f"  {p}" for p in self.saved)]
        return []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command":
            ready = (self.session_id is not None and not self.finished and not self._quitting
                     and not isinstance(self.screen, ConfirmFinish))
            return None if (self.thinking or not ready) else True
        if action == "toggle_drawer":
            return self.assessment is not None or None
        return True

    # -- helpers -------------------------------------------------------------------------

    def _show_drawer(self, show: bool) -> None:
        drawer = self.query_one(EvidenceDrawer)
        drawer.display = show
        drawer.can_focus = show  # hidden, it must never take the focus (or typed keys)
        self.query_one("#drawer-hint").display = not show
        if show:
            self._refresh_drawer(self.query_one(Scorecard).selected_dimension())
            return
        # Back to the answer box, wherever the focus was: keys typed next are an answer.
        answer = self.query_one("#answer", Input)
        self.set_focus(answer if not answer.disabled else self.query_one(Scorecard))

    def _refresh_drawer(self, dimension_id: str | None) -> None:
        if self.assessment is None or dimension_id is None:
            return
        drawer = self.query_one(EvidenceDrawer)
        if drawer.display:
            drawer.show(self.assessment.dimension(dimension_id))

    def _set_thinking(self, thinking: bool, status: str) -> None:
        if thinking != self.thinking:
            self.thinking = thinking
            self.refresh_bindings()
        self._chat.set_thinking(thinking)
        self._chat.set_status(status)

    def _status_text(self) -> str:
        assert self.stakeholder is not None
        who = f"{self.stakeholder.name} ({self.stakeholder.role})"
        a = self.assessment
        if a is None:
            return who
        scored = sum(d.level is not None for d in a.dimensions)
        return f"{who} · {answers(a)} answered · {scored}/{len(a.dimensions)} scored"


def answers(assessment: Assessment) -> int:
    """Answers in the session so far (everyone's): the utterances of its transcript."""
    return sum(source.utterances for source in assessment.sources)


def run_interview_app(interviewer: Interviewer, framework: str, stakeholder: Stakeholder | None,
                      session_id: str | None, out: Path | None) -> None:
    """The ``interview-app`` surface (pyproject entry point): the interview at a terminal.

    Once the app has closed, the terminal gets the command that resumes an unfinished
    session (or where the finished report was saved).
    """
    app = InterviewApp(interviewer, framework, stakeholder, session_id=session_id, out=out)
    app.run()
    for line in app.exit_lines():
        print(line, file=sys.stderr)
