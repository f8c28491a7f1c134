"""Simulated stakeholders: the gold transcripts of the evals, interviewed again.

A **persona** is one stakeholder of a gold transcript. Asked a question, it answers with
its own most relevant sentences from that transcript (by embedding similarity of the
question to each of its sentences: the best ``TOP`` that reach ``FLOOR``, each said
once), or "I don't know." So it knows exactly what that person said in the meeting, no
more, and the interview can only find what is in it.

Two ways of interviewing every persona of a case, one session per case:

- **adaptive**: the real :class:`~agent.interview.Interviewer` (planner, follow-ups,
  checkpoints), with a question budget per stakeholder of ``cap``;
- **fixed**: the framework's whole question bank in pack order, no follow-ups, as a
  survey kit asks it.

The personas take turns, one exchange at a time, the one asked least going next (an
exchange is a question and its follow-ups). After every exchange the pooled levels are
recorded with how many questions each persona has had, so one run gives the agreement
with the case's gold for every budget N: the levels when no persona had more than N.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agent.app import Services
from agent.engines.sentences import is_facilitator, whole_sentences
from agent.evals.dataset import EvalCase
from agent.evals.metrics import exact, within_one
from agent.interview.interviewer import Interviewer
from agent.interview.model import InterviewState, Stakeholder
from agent.interview.turns import TurnLogic
from agent.knowledge.schema import FrameworkPack
from agent.retrieval.embedder import Embedder
from agent.transcripts import read_transcripts

FLOOR = 0.35  # cosine of question and sentence: below it the persona has nothing to say
TOP = 3
MIN_WORDS = 4
UNKNOWN = "I don't know."
Levels = dict[str, int | None]


class Persona:
    """One stakeholder of a transcript, answering from what they said there."""

    def __init__(self, name: str, role: str, sentences: Sequence[str], embedder: Embedder,
                 floor: float = FLOOR, top: int = TOP) -> None:
        self.name, self.role = name, role
        self.sentences = list(dict.fromkeys(sentences))
        self.embedder = embedder
        self.floor, self.top = floor, top
        self.vectors = embedder.embed(self.sentences) if self.sentences else None
        self.said: set[int] = set()

    @property
    def stakeholder(self) -> Stakeholder:
        return Stakeholder(self.name, self.role)

    def answer(self, question: str) -> str:
        if self.vectors is None:
            return UNKNOWN
        sims = self.vectors @ self.embedder.embed([question])[0]
        picked = [int(i) for i in np.argsort(-sims)
                  if int(i) not in self.said and sims[i] >= self.floor][: self.top]
        if not picked:
            return UNKNOWN
        self.said.update(picked)
        return " ".join(self.sentences[i] for i in sorted(picked))


def personas(case: EvalCase, embedder: Embedder) -> list[Persona]:
    """Every stakeholder who speaks in the case's transcripts (facilitators are not)."""
    said: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    for transcript in read_transcripts(case.paths()):
        for u in transcript.utterances:
            if not u.speaker or is_facilitator(u):
                continue
            roles.setdefault(u.speaker, u.role or "stakeholder")
            for _, piece in whole_sentences(u.text):
                text = " ".join(piece.split())
                if len(text.split()) >= MIN_WORDS and not text.endswith("?"):
                    said.setdefault(u.speaker, []).append(text)
    return [Persona(name, roles[name], said[name], embedder) for name in said]


@dataclass
class Snapshot:
    asked: dict[str, int]  # persona -> questions put to them so far (follow-ups included)
    levels: Levels


@dataclass
class Run:
    case: str
    strategy: str  # "adaptive" | "fixed"
    personas: list[dict[str, object]] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)

    def levels_at(self, budget: int) -> Levels:
        """The pooled levels when no persona had had more than ``budget`` questions."""
        chosen: Levels = {}
        for snap in self.snapshots:
            if max(snap.asked.values(), default=0) > budget:
                break
            chosen = snap.levels
        return chosen


def agreement(gold: dict[str, int | None], levels: Levels) -> tuple[float, float, int]:
    """(within-one share, exact share, dimensions) of ``levels`` against ``gold``."""
    pairs = [(g, levels.get(dim)) for dim, g in gold.items()]
    return within_one(pairs), exact(pairs), len(pairs)


def run_adaptive(services: Services, case: EvalCase, cast: Sequence[Persona], cap: int,
                 db: Path) -> Run:
    run = Run(case.id, "adaptive")
    with Interviewer(services, "offline", db, max_questions=cap) as interviewer:
        asked = {p.name: 0 for p in cast}
        answered = {p.name: 0 for p in cast}
        active = {p.name for p in cast}
        session = ""
        while active:
            persona = min((p for p in cast if p.name in active), key=lambda p: asked[p.name])
            if not session:
                session, turn = interviewer.start(case.framework, persona.stakeholder)
            else:
                turn = interviewer.join(session, persona.stakeholder)
            while not turn.finished and turn.kind in ("question", "follow_up"):
                reply = persona.answer(_query(interviewer, session, turn.text))
                asked[persona.name] += 1
                answered[persona.name] += reply != UNKNOWN
                turn = interviewer.answer(session, persona.stakeholder, reply)
                if turn.kind != "follow_up":
                    break
            if turn.finished:
                active.discard(persona.name)
            run.snapshots.append(Snapshot(dict(asked), interviewer.levels(session)))
    run.personas = [{"name": p.name, "role": p.role, "asked": asked[p.name],
                     "answered": answered[p.name], "sentences": len(p.sentences)} for p in cast]
    return run


def _query(interviewer: Interviewer, session: str, text: str) -> str:
    # A follow-up ("Which tool is it ...?") means nothing alone: the persona hears it with
    # the question it follows, as a person would.
    return interviewer.question_context(session) or text


def run_fixed(logic: TurnLogic, pack: FrameworkPack, case: EvalCase,
              cast: Sequence[Persona]) -> Run:
    """The whole bank in pack order to every persona, read with the interview's own reader."""
    run = Run(case.id, "fixed")
    bank = [q.text for dim in pack.dimensions for q in dim.questions]
    state: InterviewState = {
        "session_id": f"fixed-{case.id}", "framework": pack.id, "engine": "offline",
        "stakeholders": [{"name": p.name, "role": p.role} for p in cast], "answers": []}
    answered = {p.name: 0 for p in cast}
    for n, question in enumerate(bank, start=1):
        for persona in cast:
            reply = persona.answer(question)
            answered[persona.name] += reply != UNKNOWN
            state["answers"] = [*state.get("answers", []), {
                "line": len(state.get("answers", [])) + 1, "name": persona.name,
                "role": persona.role, "text": reply, "asked": question, "evidence": None}]
        levels = {dim: score.level for dim, score in logic.scores(state).items()}
        run.snapshots.append(Snapshot({p.name: n for p in cast}, levels))
    run.personas = [{"name": p.name, "role": p.role, "asked": len(bank),
                     "answered": answered[p.name], "sentences": len(p.sentences)} for p in cast]
    return run


def gold_levels(case: EvalCase) -> dict[str, int | None]:
    return {dim: label.level for dim, label in case.gold.items()}


def curve(runs: Sequence[Run], cases: dict[str, EvalCase],
          budgets: Sequence[int]) -> list[dict[str, float]]:
    """Overall agreement (pooled over every gold dimension) at each budget."""
    out = []
    for budget in budgets:
        hits = hits_exact = total = 0.0
        for run in runs:
            w1, ex, n = agreement(gold_levels(cases[run.case]), run.levels_at(budget))
            hits, hits_exact, total = hits + w1 * n, hits_exact + ex * n, total + n
        out.append({"budget": budget, "within_one": round(hits / total, 3) if total else 0.0,
                    "exact": round(hits_exact / total, 3) if total else 0.0})
    return out


def first_reaching(points: Sequence[dict[str, float]], target: float) -> int | None:
    return next((int(p["budget"]) for p in points if p["within_one"] >= target), None)

