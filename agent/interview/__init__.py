"""The interview agent: a langgraph loop that plans, asks, reads answers and decides.

Surfaces (the CLI, the Textual app, Slack) talk to :class:`Interviewer`; the loop reads
answers with the same engines, checks and rubric as transcript scoring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.interview.model import AgentTurn, SessionSummary, Stakeholder

if TYPE_CHECKING:
    from agent.interview.interviewer import Interviewer

__all__ = ["AgentTurn", "Interviewer", "SessionSummary", "Stakeholder"]


def __getattr__(name: str) -> Any:
    # Imported on first use: langgraph and sqlite are not needed to name the values.
    if name == "Interviewer":
        from agent.interview.interviewer import Interviewer

        return Interviewer
    raise AttributeError(name)
