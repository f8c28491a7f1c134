"""The chat pane: the conversation so far, a status line and the answer box."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, LoadingIndicator, Static

from agent.interview import AgentTurn
from tui.messages import AnswerSubmitted

ROLE_HINT = "best answered by"
#: Keys the app binds for the interview; the answer box gives up its own uses of them
#: (delete word, delete to end, ...) so the footer lists the app's keys in a fixed order.
APP_KEYS = frozenset({"ctrl+s", "ctrl+w", "ctrl+k", "ctrl+b", "ctrl+d", "ctrl+e", "ctrl+q"})


def _without_app_keys(bindings: list[BindingType]) -> list[BindingType]:
    kept: list[BindingType] = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            kept.append(binding)
            continue
        keys = [k for k in binding.key.split(",") if k.strip() not in APP_KEYS]
        if keys:
            kept.append(replace(binding, key=",".join(keys)))
    return kept


class AnswerInput(Input, inherit_bindings=False):
    BINDINGS = _without_app_keys(list(Input.BINDINGS))


def agent_text(turn: AgentTurn) -> Text:
    head = Text("Agent", style="bold")
    if turn.dimension:
        head.append(f" · {turn.dimension}", style="dim")
    if turn.kind not in ("question", "finished"):
        head.append(f" · {turn.kind.replace('_', '-')}", style="dim italic")
    head.append("\n")
    head.append(turn.text)
    if turn.for_roles and not turn.finished:
        head.append(f"\n({ROLE_HINT}: {', '.join(turn.for_roles)})", style="dim")
    return head


class ChatMessage(Static):
    """One entry in the conversation; the CSS class says who speaks."""


class ChatPane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="chat-pane")

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="log")
        with Horizontal(id="status-bar"):
            yield LoadingIndicator(id="thinking")
            yield Static("", id="status")
        yield AnswerInput(placeholder="Type your answer and press enter", id="answer")

    def on_mount(self) -> None:
        self.query_one("#thinking").display = False
        # Stay at the newest message as messages grow in height after layout (a one-off
        # scroll can land before the last message is measured and leave it cut off),
        # until the person scrolls up to read back.
        self.query_one("#log", VerticalScroll).anchor()

    def add_agent(self, turn: AgentTurn) -> None:
        kind = "error" if turn.kind == "error" else "agent"
        self._append(ChatMessage(agent_text(turn), classes=f"message {kind}"))

    def add_person(self, name: str, text: str, *, withdrawn: bool = False) -> None:
        body = Text(name, style="bold")
        body.append("\n" + text)
        if withdrawn:
            body.append("\n(taken back with 'back': no longer counts)", style="dim italic")
        self._append(ChatMessage(body, classes="message person"))

    def add_notice(self, text: str, *, error: bool = False) -> None:
        classes = "message error" if error else "message notice"
        self._append(ChatMessage(Text(text), classes=classes))

    def _append(self, message: ChatMessage) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.mount(message)
        log.scroll_end(animate=False)

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def set_thinking(self, thinking: bool) -> None:
        # The answer box stays usable: the person may type ahead while the agent thinks.
        self.query_one("#thinking").display = thinking

    def clear_answer(self) -> None:
        self.query_one("#answer", Input).clear()

    def close(self, placeholder: str) -> None:
        box = self.query_one("#answer", Input)
        box.placeholder = placeholder
        box.disabled = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:  # the app clears the box once it takes the answer
            self.post_message(AnswerSubmitted(text))
