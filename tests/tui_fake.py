"""A scripted Interviewer (the INTERFACES §2 API) and Pilot helpers for fast TUI tests.

Questions come from the pack's real question bank, one dimension after another; an
answer becomes evidence for the question's level-2 indicators (``specific`` when it
names a number, else ``general``, which earns a follow-up), and the assessment is
computed by the real rubric, citations and missing-indicator code. Only the reading of
answers is faked, which is what keeps these tests fast.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from agent.app import Services
from agent.assessment.citations import citations_for, missing_texts
from agent.assessment.model import Assessment, DimensionResult, Evidence, SourceInfo
from agent.assessment.rubric import score_dimension
from agent.errors import UserError
from agent.interview import AgentTurn, SessionSummary, Stakeholder
from agent.interview.store import PastTurn
from agent.knowledge.schema import Dimension, FrameworkPack

FOLLOW_UP = "Which tool, used by how many teams, since when?"


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs, the app stopped thinking and every message is handled."""
    for _ in range(500):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(w.is_running for w in pilot.app.workers)
        if not busy and not getattr(pilot.app, "thinking", False):
            return
        await pilot.pause(0.02)
    raise AssertionError("the app is still busy after 10 s")


async def say(pilot: Pilot[Any], text: str) -> None:
    """Type an answer, press enter, wait for the agent's reply."""
    pilot.app.query_one("#answer", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


@dataclass
class FakeSession:
    framework: str
    stakeholders: list[Stakeholder]
    position: int = 0  # index of the dimension being asked about
    evidence: list[Evidence] = field(default_factory=list)
    answers: int = 0
    pending: AgentTurn | None = None
    skipped: set[str] = field(default_factory=set)
    history: list[PastTurn] = field(default_factory=list)  # what the store would replay


class FakeStore:
    """The part of the real SessionStore the app reads: the conversation so far."""

    def __init__(self, interviewer: FakeInterviewer) -> None:
        self.interviewer = interviewer

    def conversation(self, session_id: str) -> list[PastTurn]:
        return list(self.interviewer._session(session_id).history)


class FakeInterviewer:
    def __init__(self, services: Services | None, pack: FrameworkPack,
                 gate: threading.Event | None = None, fail_on: str | None = None,
                 credit: Callable[[Dimension], list[str]] | None = None) -> None:
        self.services = services
        self.pack = pack
        self.gate = gate  # when set, every call waits for it: the app is seen "thinking"
        self.fail_on = fail_on  # an answer text that raises UserError, once
        #: The indicator ids an answer about ``dim`` is evidence for (default: level 2's).
        self.credit = credit or (lambda dim: [i.id for i in dim.cells[1].indicators])
        self.sessions_by_id: dict[str, FakeSession] = {}
        self.calls: list[tuple[str, ...]] = []
        self.store = FakeStore(self)

    # -- the API ---------------------------------------------------------------------

    def start(self, framework: str, stakeholder: Stakeholder,
              session_id: str | None = None) -> tuple[str, AgentTurn]:
        self._wait()
        self.calls.append(("start", framework, stakeholder.name, stakeholder.role))
        sid = session_id or f"s-{len(self.sessions_by_id) + 1:04d}"
        session = FakeSession(framework, [stakeholder])
        self.sessions_by_id[sid] = session
        return sid, self._ask(session, "question")

    def join(self, session_id: str, stakeholder: Stakeholder) -> AgentTurn:
        self._wait()
        session = self._session(session_id)
        self.calls.append(("join", session_id, stakeholder.name))
        session.stakeholders.append(stakeholder)
        return self._ask(session, "question")

    def pending(self, session_id: str) -> AgentTurn:
        self._wait()
        session = self._session(session_id)
        self.calls.append(("pending", session_id))
        assert session.pending is not None
        return session.pending

    def answer(self, session_id: str, stakeholder: Stakeholder, text: str) -> AgentTurn:
        self._wait()
        session = self._session(session_id)
        self.calls.append(("answer", session_id, stakeholder.name, text))
        if self.fail_on is not None and text == self.fail_on:
            self.fail_on = None
            raise UserError("the engine could not read that answer; rephrase it")
        word = text.strip().lower().rstrip("?!. ")
        if word in ("skip", "back", "why", "status", "done"):
            return self._command(session, word)
        session.answers += 1
        specific = any(ch.isdigit() for ch in text)
        dim = self._dimension(session)
        if session.pending is not None:
            session.history.append(PastTurn("agent", session.pending.text,
                                            dimension=session.pending.dimension,
                                            kind=session.pending.kind))
        session.history.append(PastTurn("person", text, name=stakeholder.name,
                                        dimension=dim.id, kind="answer"))
        for indicator_id in self.credit(dim):
            session.evidence.append(Evidence(
                quote=text, source=f"interview:{session_id}", line=session.answers,
                speaker=stakeholder.name, stance="supports", indicator_id=indicator_id,
                strength="specific" if specific else "general", role=stakeholder.role,
                dimension=dim.id))
        if not specific:
            return self._turn(session, FOLLOW_UP, "follow_up")
        session.position += 1
        return self._ask(session, "question")

    def assessment(self, session_id: str) -> Assessment:
        session = self._session(session_id)
        dimensions = []
        for dim in self.pack.dimensions:
            score = score_dimension(self.pack, dim, session.evidence)
            dimensions.append(DimensionResult(
                id=dim.id, name=dim.name, level=score.level,
                level_name=self.pack.level_name(score.level) if score.level else None,
                confidence=score.confidence,
                evidence=[e for e in session.evidence if e.dimension == dim.id],
                citations=citations_for(self.pack, dim, score),
                missing=missing_texts(self.pack, score), missing_indicators=score.missing,
                indicators=score.statuses))
        source = SourceInfo(source=f"interview:{session_id}", format="interview",
                            utterances=session.answers, words=0)
        return Assessment(framework=self.pack.id, framework_name=self.pack.name,
                          engine="offline", created="2025-01-01T00:00:00+00:00",
                          sources=[source], dimensions=dimensions)

    def sessions(self) -> list[SessionSummary]:
        return [SessionSummary(sid, s.framework, [f"{p.name} ({p.role})" for p in s.stakeholders],
                               s.answers, "2025-01-01T00:00:00+00:00")
                for sid, s in self.sessions_by_id.items()]

    def framework_of(self, session_id: str) -> str:
        return self._session(session_id).framework

    def current_stakeholder(self, session_id: str) -> Stakeholder | None:
        """Beyond §2, as the real Interviewer has it: whose turn it is (the last to join)."""
        session = self.sessions_by_id.get(session_id)
        return session.stakeholders[-1] if session and session.stakeholders else None

    # -- the script ------------------------------------------------------------------

    def _wait(self) -> None:
        if self.gate is not None:
            assert self.gate.wait(10), "test never released the fake interviewer"

    def _session(self, session_id: str) -> FakeSession:
        if session_id not in self.sessions_by_id:
            raise UserError(f"unknown session {session_id!r}; see 'maturity sessions list'")
        return self.sessions_by_id[session_id]

    def _dimension(self, session: FakeSession):  # type: ignore[no-untyped-def]
        return self.pack.dimensions[session.position]

    def _ask(self, session: FakeSession, kind: str) -> AgentTurn:
        if session.position >= len(self.pack.dimensions):
            return self._finish(session)
        question = self._dimension(session).questions[0]
        return self._turn(session, question.text, kind, tuple(question.roles))

    def _command(self, session: FakeSession, word: str) -> AgentTurn:
        if word == "done":
            return self._finish(session)
        if word == "status":
            scored = sum(1 for d in self.pack.dimensions
                         if score_dimension(self.pack, d, session.evidence).level is not None)
            return self._turn(session, f"{scored} of {len(self.pack.dimensions)} dimensions "
                              "scored so far.", "status")
        if word == "why":
            dim = self._dimension(session)
            indicator = dim.cells[1].indicators[0]
            return self._turn(session, f"I am looking for evidence that {indicator.text.lower()} "
                              f"({self.pack.id}:{indicator.id}).", "explain")
        if word == "skip":
            session.skipped.add(self._dimension(session).id)
            session.position += 1
        else:
            session.position = max(0, session.position - 1)
        return self._ask(session, word)

    def _finish(self, session: FakeSession) -> AgentTurn:
        turn = AgentTurn("Thank you, that is everything I need.", "finished", None, None, (),
                         True)
        session.pending = turn
        return turn

    def _turn(self, session: FakeSession, text: str, kind: str,
              roles: tuple[str, ...] = ()) -> AgentTurn:
        dim = self._dimension(session)
        turn = AgentTurn(text, kind, dim.id, dim.cells[1].indicators[0].id,  # type: ignore[arg-type]
                         roles, False)
        session.pending = turn
        return turn
