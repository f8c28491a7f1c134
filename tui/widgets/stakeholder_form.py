"""Who is being interviewed: asked first when the command line did not say."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from agent.interview import Stakeholder


class NameInput(Input):
    """The name box. A paste of ``Name<tab>Role`` (two spreadsheet cells, a password
    manager) puts the part after the tab in the role box and moves there."""

    def _on_paste(self, event: events.Paste) -> None:
        line = event.text.splitlines()[0] if event.text else ""
        if "\t" not in line:
            return  # Input's own handler (Textual calls it after this one) inserts it
        event.prevent_default()  # this handler does the insert, not Input's
        event.stop()
        name, rest = line.split("\t", 1)
        if self.selection.is_empty:
            self.insert_text_at_cursor(name)
        else:
            self.replace(name, *self.selection)
        role = self.screen.query_one("#role", Input)
        role.value = " ".join(rest.replace("\t", " ").split())
        role.cursor_position = len(role.value)
        self.screen.set_focus(role)


class StakeholderForm(ModalScreen[Stakeholder]):
    """Name and role; the role decides which questions this person is asked first."""

    # Tab, and enter in the name box, are handled before the key reaches a field
    # (priority) and move the focus at once: handled by the field or as ordinary
    # bindings they would act only after the keys typed just behind them had been
    # delivered to the name box ("Name<tab>Role" typed fast, or sent by a tool, landed
    # whole in Name). Enter in the role box stays the field's own, so it submits only
    # once the keys before it are in.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "move_focus(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "to_role", "Next field", show=False, priority=True),
    ]

    def __init__(self, cursor_blink: bool = True) -> None:
        super().__init__(id="stakeholder-form")
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static("Who is being interviewed?", id="form-title")
            yield Label("Name")
            yield NameInput(placeholder="e.g. Dana Smith", id="name")
            yield Label("Role")
            # No select-all on focus: what is typed or pasted on from the name box is added.
            yield Input(placeholder="e.g. Head of Data, CTO, ML engineer", id="role",
                        select_on_focus=False)
            yield Static("", id="form-error")
            yield Button("Start the interview", variant="primary", id="start")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self._cursor_blink
        self.query_one("#name", Input).focus()

    def action_move_focus(self, direction: int) -> None:
        # Screen.focus_next/previous set the focus now, not after a refresh.
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_role":  # elsewhere enter goes to the field or button as usual
            return self.focused is self.query_one("#name", Input)
        return True

    def action_to_role(self) -> None:
        self.set_focus(self.query_one("#role", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "name":
            self.set_focus(self.query_one("#role", Input))
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        if not name or not role:
            missing = "name" if not name else "role"
            self.query_one("#form-error", Static).update(
                f"Please enter your {missing}: the report credits each answer to a person "
                "and a role.")
            self.set_focus(self.query_one(f"#{missing}", Input))
            return
        self.dismiss(Stakeholder(name=name, role=role))
