"""Messages between the app, its widgets and its workers: small dataclasses, no behaviour.

Widgets never call the interview core; they post one of these and the app decides.
Workers (threads) post the core's results back the same way, which Textual makes
thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from agent.assessment.model import Assessment
from agent.interview import AgentTurn, Stakeholder

if TYPE_CHECKING:  # the store module pulls in langgraph's SQLite checkpointer
    from agent.interview.store import PastTurn


@dataclass
class AnswerSubmitted(Message):
    """The person pressed enter on an answer (or a command word such as ``skip``)."""

    text: str


@dataclass
class DimensionSelected(Message):
    """A scorecard row was highlighted: the drawer should show that dimension."""

    dimension_id: str
    open_drawer: bool = False


@dataclass
class AgentReplied(Message):
    """The core answered: what the agent says now and the assessment so far."""

    session_id: str
    turn: AgentTurn
    assessment: Assessment
    #: Set when the session was opened: the person who answers from now on.
    stakeholder: Stakeholder | None = None
    #: Set when a session was resumed: its questions and answers so far, oldest first.
    previous: list[PastTurn] = field(default_factory=list)


@dataclass
class StatusChanged(Message):
    """Progress of slow work (loading the knowledge index) for the status line."""

    text: str


@dataclass
class StakeholderNeeded(Message):
    """A resumed session has nobody to resume as: ask for name and role."""


@dataclass
class AgentFailed(Message):
    """A core call failed; the text says what went wrong and what to do."""

    error: str


@dataclass
class ReportSaved(Message):
    """The final report files (and the history entry) are written."""

    paths: list[Path]
    notes: list[str] = field(default_factory=list)
