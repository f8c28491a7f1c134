"""Who is being interviewed: asked first when the command line did not say."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from agent.interview import Stakeholder


class StakeholderForm(ModalScreen[Stakeholder]):
    """Name and role; the role decides which questions this person is asked first."""

    def __init__(self, cursor_blink: bool = True) -> None:
        super().__init__(id="stakeholder-form")
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static("Who is being interviewed?", id="form-title")
            yield Label("Name")
            yield Input(placeholder="e.g. Dana Smith", id="name")
            yield Label("Role")
            yield Input(placeholder="e.g. Head of Data, CTO, ML engineer", id="role")
            yield Static("", id="form-error")
            yield Button("Start the interview", variant="primary", id="start")

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self._cursor_blink
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "name":
            self.query_one("#role", Input).focus()
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
            self.query_one(f"#{missing}", Input).focus()
            return
        self.dismiss(Stakeholder(name=name, role=role))
