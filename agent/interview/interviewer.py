"""The Interviewer: the interview loop behind one small API for every surface.

Each call is one run of the langgraph graph on the session's thread: it resumes the
graph paused at ``ask`` with one event and returns the reply the graph pauses with next.
The checkpoint is written before the call returns (``durability="exit"``: one write
per turn, not one per node), so an answer is never lost once its reply has been seen.

Calls for different sessions may run in parallel threads (Slack); calls for one
session are serialised by a per-session lock, and, with PostgreSQL, by an advisory lock
across every worker. An answer may carry its delivery id (a Slack event): the ids of the
last answers are checkpointed with the turn, so a delivery handled again after a worker
died (its turn saved, its acknowledgement of the work not) returns the pending question
instead of recording the answer twice.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from langgraph.types import Command

from agent.app import Services, ensure_home
from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.interview.loop import build_graph
from agent.interview.model import (
    AgentTurn,
    InterviewState,
    SessionSummary,
    Stakeholder,
    turn_from_dict,
)
from agent.interview.store import SessionStore, session_store
from agent.interview.turns import TurnLogic, question_context, turn_dict
from agent.progress import Progress
from agent.redact import redact_text

if TYPE_CHECKING:
    from agent.llm.provider import ChatProvider

SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
MAX_ANSWER_CHARS = 20_000
MAX_NAME_CHARS = 200


class Interviewer:
    def __init__(self, services: Services, engine: str = "offline", db_path: Path | None = None,
                 *, provider: ChatProvider | None = None, redact: bool = False,
                 max_questions: int | None = None) -> None:
        if engine not in ("offline", "llm"):
            raise UserError(f"unknown engine {engine!r}; use 'offline' or 'llm'")
        self.services = services
        self.engine = engine
        #: Replace e-mail addresses and phone numbers in answers before they are read,
        #: sent to an LLM or checkpointed (``--redact``); the raw text is never stored.
        self.redact = redact
        llm = None
        if engine == "llm":
            from agent.interview.llm_turn import LLMTurnReader
            from agent.llm.provider import make_provider
            from agent.llm.settings import load_settings

            llm = LLMTurnReader(provider or make_provider(load_settings(services.home)))
        if max_questions is not None and max_questions < 0:
            raise UserError("--max-questions must be 0 (no limit) or more")
        #: Questions per stakeholder (follow-ups included); None: the session's own, or
        #: agent.interview.planner.DEFAULT_MAX_QUESTIONS; 0: no limit.
        self.logic = TurnLogic(services, llm=llm, max_questions=max_questions)
        self.store = (SessionStore(db_path) if db_path is not None
                      else session_store(ensure_home(services.home)))
        self.graph = build_graph(self.logic, self.store.saver)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Interviewer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API (INTERFACES §2) -------------------------------------------------------

    def start(self, framework: str, stakeholder: Stakeholder,
              session_id: str | None = None) -> tuple[str, AgentTurn]:
        """A new session: its id (generated unless given) and the first question."""
        pack = self.services.registry.get(framework)
        _check_person(stakeholder)
        sid = session_id or self._new_id()
        if not SESSION_ID.match(sid):
            raise UserError(f"session id {sid!r} must be letters, digits, '.', '_', ':' or '-'")
        with self._session(sid):
            if self.store.exists(sid) or self._values(sid):
                raise UserError(f"session {sid!r} already exists; resume it with --resume {sid}")
            state: InterviewState = {
                "session_id": sid, "framework": pack.id, "engine": self.engine,
                "event": _event("start", stakeholder)}
            return sid, self._run(sid, state)

    def join(self, session_id: str, stakeholder: Stakeholder) -> AgentTurn:
        """Another person joins the session (or the same person returns): their question."""
        _check_person(stakeholder)
        with self._session(session_id):
            self._known(session_id)
            return self._run(session_id, Command(resume=_event("join", stakeholder)))

    def pending(self, session_id: str) -> AgentTurn:
        """The question waiting for an answer, or the closing turn when nothing is left."""
        self._known(session_id)
        values = self._values(session_id)
        record = values.get("pending")
        if record:
            return turn_from_dict(turn_dict(record, str(record.get("kind", "question")),
                                            str(record.get("text", ""))))
        reply = values.get("reply") or turn_dict(None, "finished", "The interview is finished.",
                                                 True)
        return turn_from_dict({**reply, "finished": True, "kind": "finished"})

    def answer(self, session_id: str, stakeholder: Stakeholder, text: str,
               delivery: str | None = None) -> AgentTurn:
        """An answer or a command (skip, back, why, status, done) from ``stakeholder``;
        ``delivery`` names the message it came in (handled once, see the module doc)."""
        _check_person(stakeholder)
        if not text.strip():
            return AgentTurn("Please type an answer, or one of: skip, back, why, status, done.",
                             "error", None, None, (), False)
        if len(text) > MAX_ANSWER_CHARS:
            return AgentTurn(f"That answer is {len(text)} characters long; please keep it under "
                             f"{MAX_ANSWER_CHARS}.", "error", None, None, (), False)
        if self.redact:
            text = redact_text(text)
        with self._session(session_id):
            self._known(session_id)
            if delivery is not None and delivery in self._values(session_id).get(
                    "deliveries", []):
                return self.pending(session_id)
            event = {**_event("answer", stakeholder), "text": text}
            if delivery is not None:
                event["delivery"] = delivery
            return self._run(session_id, Command(resume=event))

    def assessment(self, session_id: str) -> Assessment:
        """The pooled evidence so far through the same checks, rubric and pipeline."""
        self._known(session_id)
        return self.logic.assessment(self._values(session_id))

    def sessions(self) -> list[SessionSummary]:
        return self.store.summaries()

    def framework_of(self, session_id: str) -> str:
        framework = self.store.framework(session_id)
        if framework is None:
            raise _unknown(session_id)
        return framework

    # -- additions for surfaces (beyond INTERFACES §2) ---------------------------------

    def prepare(self, framework: str | None = None, progress: Progress | None = None) -> None:
        """Build the knowledge index and load the embedder up front (seconds, once), so
        the first answer is as quick as the rest. Optional: otherwise the first answer
        read offline pays for it."""
        pack = self.services.registry.get(framework)
        self.services.index(progress)
        self.logic.warm_up(pack.id)

    def standing(self, session_id: str) -> str:
        """The stop rule for the person the pending question is for: which dimensions are
        settled, which are still open and how many questions are left."""
        self._known(session_id)
        return self.logic.standing(self._values(session_id))

    def levels(self, session_id: str) -> dict[str, int | None]:
        """The pooled level per dimension so far (what the planner sees; the assessment
        reports the same levels, with everything else)."""
        self._known(session_id)
        return {dim: s.level for dim, s in self.logic.scores(self._values(session_id)).items()}

    def question_context(self, session_id: str) -> str | None:
        """The pending question as the answer will be read: a follow-up with the question
        it follows."""
        return question_context(self._values(session_id).get("pending"))

    def stakeholders(self, session_id: str) -> list[Stakeholder]:
        self._known(session_id)
        return [Stakeholder(s["name"], s["role"])
                for s in self._values(session_id).get("stakeholders", [])]

    def current_stakeholder(self, session_id: str) -> Stakeholder | None:
        """Who the pending question is for (the person to resume as)."""
        values = self._values(session_id)
        name = values.get("current")
        return next((Stakeholder(s["name"], s["role"]) for s in values.get("stakeholders", [])
                     if s["name"] == name), None)

    # -- plumbing ----------------------------------------------------------------------

    def _run(self, session_id: str, graph_input: Any) -> AgentTurn:
        config = _config(session_id)
        result = self.graph.invoke(graph_input, config, durability="exit")
        state = cast(InterviewState, result)  # the values the graph paused with
        answers = [a for a in state.get("answers", []) if not a.get("withdrawn")]
        self.store.record(session_id, state["framework"], self.logic.engine_name,
                          [s["name"] for s in state.get("stakeholders", [])], len(answers),
                          bool(state.get("finished")),
                          self.services.clock().isoformat(timespec="seconds"))
        reply = state.get("reply")
        if not reply:
            raise RuntimeError(f"interview graph paused without a reply in {session_id}")
        return turn_from_dict(reply)

    def _values(self, session_id: str) -> InterviewState:
        values: InterviewState = self.graph.get_state(_config(session_id)).values  # type: ignore[assignment]
        return values

    def _known(self, session_id: str) -> None:
        # A checkpoint without its metadata row (a crash between the two writes) still counts.
        if not self.store.exists(session_id) and not self._values(session_id):
            raise _unknown(session_id)

    @contextmanager
    def _session(self, session_id: str) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.setdefault(session_id, threading.Lock())
        with lock, self.store.session_lock(session_id):
            yield

    def _new_id(self) -> str:
        return f"{self.services.clock():%Y%m%d}-{secrets.token_hex(3)}"


def _config(session_id: str) -> Any:
    return {"configurable": {"thread_id": session_id}}


def _event(kind: str, person: Stakeholder) -> dict[str, Any]:
    return {"kind": kind, "name": person.name.strip(), "role": person.role.strip()}


def _check_person(person: Stakeholder) -> None:
    if not person.name.strip() or not person.role.strip():
        raise UserError("a stakeholder needs a name and a role, e.g. --name Ada --role 'CTO'")
    if len(person.name) > MAX_NAME_CHARS or len(person.role) > MAX_NAME_CHARS:
        raise UserError(f"name and role must be under {MAX_NAME_CHARS} characters each")


def _unknown(session_id: str) -> UserError:
    return UserError(f"unknown session {session_id!r}; list sessions with "
                     "'maturity sessions list'")
