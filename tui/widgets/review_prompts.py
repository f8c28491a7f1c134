"""The review screen's questions: why an item is rejected, which level and why, and
whether to quit with changes unwritten.

A prompt hands what was typed to ``submit``, which answers with an error to show (the
prompt stays open) or None (the prompt closes). So a bad level or a missing reason is
said where it was typed, in the words ``apply_review`` uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.widgets.yes_no import Layout, YesNo, listed

#: Takes (level text, reason); the level text is "" for a rejection.
Submit = Callable[[str, str], str | None]


class ChangePrompt(ModalScreen[bool]):
    """Asks a reason (and a level, with ``ask_level``); dismissed True once accepted."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, submit: Submit, *, ask_level: str | None = None,
                 blink: bool = True) -> None:
        super().__init__(id="change-prompt")
        self._title = title
        self._submit = submit
        self._ask_level = ask_level  # the placeholder naming the levels, when asked
        self._blink = blink

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(Text(self._title, style="bold"), id="prompt-title")
            if self._ask_level is not None:
                yield Input(placeholder=self._ask_level, id="prompt-level")
            yield Input(placeholder="why (kept in the audit trail)", id="prompt-reason")
            yield Static("", id="prompt-error")
            yield Static(Text("enter to add the change · escape to cancel", style="dim"))

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self._blink
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "prompt-level":
            self.query_one("#prompt-reason", Input).focus()
            return
        level = self.query_one("#prompt-level", Input).value if self._ask_level else ""
        reason = self.query_one("#prompt-reason", Input).value
        error = self._submit(level, reason)
        if error is None:
            self.dismiss(True)
        else:
            self.query_one("#prompt-error", Static).update(Text(error))

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmQuit(YesNo):
    """Quitting drops unwritten changes, so the safe answer is the default: enter, ``n``
    or escape stay; ``y`` quits."""

    LAYOUT: ClassVar[Layout] = Layout(box="quit-box", body="quit-pending",
                                      no=("stay", "Stay (n)"), yes=("quit", "Quit (y)"),
                                      yes_variant="error")

    def __init__(self, pending: list[str]) -> None:
        super().__init__("Quit without writing? (y/N)",
                         listed(f"{len(pending)} change(s) not written:", pending,
                                "w writes them as one revision."), "confirm-quit")
