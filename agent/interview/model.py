"""The interview's public values (INTERFACES §2) and the shape of its checkpointed state.

The state is plain JSON-like data (dicts, lists, strings), so langgraph's serializer
stores it without custom types and a session opened by a later version still loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypedDict

TurnKind = Literal["question", "follow_up", "explain", "status", "skip", "back", "finished",
                   "error"]


@dataclass(frozen=True)
class Stakeholder:
    name: str
    role: str  # free text ("Head of Data"); mapped to a category by agent.transcripts.roles


@dataclass(frozen=True)
class AgentTurn:
    """What the agent says now, and what the (next) question is about."""

    text: str
    kind: TurnKind
    dimension: str | None
    indicator_id: str | None
    for_roles: tuple[str, ...]  # role categories best placed to answer the question
    finished: bool


@dataclass(frozen=True)
class SessionSummary:
    id: str
    framework: str
    stakeholders: list[str]
    turns: int
    updated: str  # ISO 8601


# -- checkpointed state ----------------------------------------------------------------
# A question record (pending or resolved) is a dict with the keys of QuestionRecord.


class QuestionRecord(TypedDict, total=False):
    question_id: str | None  # bank question id; follow-ups keep their base question's id
    dimension: str | None
    indicator_id: str | None
    kind: str  # "question" | "follow_up"
    text: str
    for_roles: list[str]
    to: str | None  # stakeholder name it was asked of
    follow_ups: int  # follow-ups already asked on this base question
    used: list[str]  # follow-up asks already used on this base question
    base_text: str  # the bank question a follow-up digs into
    by: str  # who resolved it (answered or skipped)
    outcome: str  # "answered" | "skipped" (resolved records only)
    line: int | None  # the answer that resolved it
    declined: bool  # the person said they do not know (resolved records only)


class AnswerRecord(TypedDict, total=False):
    line: int  # 1-based answer number: the line of the session's transcript
    name: str
    role: str
    text: str
    question_id: str | None
    asked: str | None  # the question as put to the person: the context it is read in
    withdrawn: bool  # taken back with "back": kept for the record, no longer evidence
    evidence: list[dict[str, Any]] | None  # proposed by the LLM turn; None: read offline
    usage: dict[str, float]  # the LLM turn's tokens and cost
    injection: bool  # the LLM turn reported the answer as trying to instruct it
    irrelevant: int  # the LLM turn's proposals dropped before the checks


class InterviewState(TypedDict, total=False):
    session_id: str
    framework: str
    engine: str
    stakeholders: list[dict[str, str]]  # {"name", "role"}
    current: str | None  # who the pending question is for
    answers: list[AnswerRecord]
    log: list[QuestionRecord]  # resolved questions, oldest first
    pending: QuestionRecord | None
    skipped: dict[str, list[str]]  # stakeholder name -> dimensions they skipped
    finished: bool
    event: dict[str, Any]  # the input being handled: {"kind", "name", "role", "text"}
    reading: dict[str, Any]  # what the last answer needs next (set by read, used by decide)
    reply: dict[str, Any] | None  # the AgentTurn for this event, as a dict
    note: dict[str, str] | None  # a command's effect the next node reports (skip, keep)
    warnings: list[str]
    max_questions: int | None  # questions per stakeholder (follow-ups included); None: no cap
    deliveries: list[str]  # ids of the last messages answered (Slack events), oldest first


def turn_from_dict(data: dict[str, Any]) -> AgentTurn:
    return AgentTurn(
        text=str(data["text"]),
        kind=data["kind"],
        dimension=data.get("dimension"),
        indicator_id=data.get("indicator_id"),
        for_roles=tuple(data.get("for_roles") or ()),
        finished=bool(data.get("finished")),
    )
