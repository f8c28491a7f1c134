"""A yes/no question before something that cannot be taken back (finishing an interview,
quitting with unwritten changes). The safe answer is the default: enter (on the focused
"no" button), ``n`` or escape say no; ``y`` or the other button say yes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant


@dataclass(frozen=True)
class Layout:
    """The ids the stylesheet and the tests know a question's parts by."""

    box: str  # the container; its title, body and buttons are "<box>-title" ...
    body: str
    no: tuple[str, str]  # (button id, label)
    yes: tuple[str, str]
    yes_variant: ButtonVariant = "warning"


class YesNo(ModalScreen[bool]):
    """Dismissed with True for yes; subclasses say what is asked and what it affects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]
    LAYOUT: ClassVar[Layout]

    def __init__(self, question: str, body: Text, screen_id: str) -> None:
        super().__init__(id=screen_id)
        self._question = question
        self._body = body

    def compose(self) -> ComposeResult:
        layout = self.LAYOUT
        with Vertical(id=layout.box):
            yield Static(Text(self._question, style="bold"), id=f"{layout.box}-title")
            yield Static(self._body, id=layout.body)
            with Horizontal(id=f"{layout.box}-buttons"):
                yield Button(layout.no[1], id=layout.no[0])
                yield Button(layout.yes[1], variant=layout.yes_variant,
                             id=layout.yes[0])

    def on_mount(self) -> None:
        self.query_one(f"#{self.LAYOUT.no[0]}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == self.LAYOUT.yes[0])

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def listed(heading: str, lines: list[str], footnote: str) -> Text:
    """A bold heading, the lines indented, a dim footnote."""
    body = Text(heading + "\n", style="bold")
    for line in lines:
        body.append(f"  {line}\n")
    body.append("\n" + footnote, style="dim")
    return body
