"""Asked before ``done`` (or ctrl+d) ends the interview: where each dimension stands, and
whether to finish now. Finishing is final for the report, so the safe answer is the
default: enter, ``n`` or escape carry on; ``y`` or the Finish button finish."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QUESTION = "Finish the interview now? (y/N)"


class ConfirmFinish(ModalScreen[bool]):
    """Dismissed with True to finish, False to carry on with the interview."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Finish", show=False),
        Binding("n,escape", "answer(False)", "Carry on", show=False),
    ]

    def __init__(self, standing: list[str]) -> None:
        super().__init__(id="confirm-finish")
        self._standing = standing

    def compose(self) -> ComposeResult:
        body = Text("Where each dimension stands:\n", style="bold")
        for line in self._standing:
            body.append(f"  {line}\n")
        body.append("\nOpen dimensions stay unscored in the report.", style="dim")
        with Vertical(id="confirm"):
            yield Static(Text(QUESTION, style="bold"), id="confirm-title")
            yield Static(body, id="confirm-standing")
            with Horizontal(id="confirm-buttons"):
                yield Button("Carry on (n)", id="carry-on")
                yield Button("Finish (y)", variant="warning", id="finish")

    def on_mount(self) -> None:
        self.query_one("#carry-on", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "finish")

    def action_answer(self, finish: bool) -> None:
        self.dismiss(finish)
