"""The interview as a langgraph StateGraph: plan -> ask -> read -> decide -> plan ...

``ask`` pauses the graph with ``interrupt()`` and the checkpointer saves the session;
every call of the Interviewer resumes it with one event (an answer, a command, a new
stakeholder) and runs until the next ``ask``. So one turn is one graph run, and the
state a crash leaves is always the one after the last complete turn.

    START -> intake -> plan -> ask --answer--> read -> decide --follow up--> ask
                                   \\                        \\--move on--> plan
                                    --command--> command --skip--> plan
                                                         --why/status/back/done--> ask
                                    --join--> intake
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import interrupt

from agent.interview.model import InterviewState
from agent.interview.turns import COMMANDS, TurnLogic


def command_word(text: str) -> str | None:
    """The command an answer is, if it is one ("Why?", " done " ...)."""
    word = text.strip().lower().rstrip("?!. ")
    return word if word in COMMANDS else None


#: How many delivery ids a session remembers (a redelivery comes within seconds).
DELIVERIES_KEPT = 50


def _ask(state: InterviewState) -> dict[str, Any]:
    # Runs again from the top when resumed: interrupt() then returns the event.
    event = interrupt(state.get("reply"))
    delivery = event.get("delivery") if isinstance(event, dict) else None
    if delivery:  # saved with this turn's checkpoint, so a redelivery is seen as one
        return {"event": event,
                "deliveries": [*state.get("deliveries", []), delivery][-DELIVERIES_KEPT:]}
    return {"event": event}


def _after_ask(state: InterviewState) -> str:
    event = state.get("event") or {}
    if event.get("kind") == "join":
        return "intake"
    return "command" if command_word(str(event.get("text", ""))) else "read"


def _after_command(state: InterviewState) -> str:
    return "plan" if (state.get("note") or {}).get("kind") == "skip" else "ask"


def _after_decide(state: InterviewState) -> str:
    return "ask" if (state.get("reply") or {}).get("kind") == "follow_up" else "plan"


def build_graph(logic: TurnLogic, checkpointer: BaseCheckpointSaver[Any]) -> CompiledStateGraph[
        InterviewState, None, InterviewState, InterviewState]:
    graph = StateGraph(InterviewState)
    graph.add_node("intake", logic.intake)
    graph.add_node("plan", logic.plan)
    graph.add_node("ask", _ask)
    graph.add_node("read", logic.read)
    graph.add_node("decide", logic.decide)
    graph.add_node("command", logic.command)
    graph.add_edge(START, "intake")
    graph.add_edge("intake", "plan")
    graph.add_edge("plan", "ask")
    graph.add_conditional_edges("ask", _after_ask, ["intake", "command", "read"])
    graph.add_edge("read", "decide")
    graph.add_conditional_edges("decide", _after_decide, ["ask", "plan"])
    graph.add_conditional_edges("command", _after_command, ["plan", "ask"])
    return graph.compile(checkpointer=checkpointer)
