"""Simulated stakeholders: the gold transcripts of the evals, interviewed again.

A **persona** is one stakeholder of a gold transcript. Asked a question, it answers with
its own most relevant sentences from that transcript (by embedding similarity of the
question to each of its sentences: the best ``TOP`` that reach ``FLOOR``, each said
once), or "I don't know." So it knows exactly what that person said in the meeting, no
more, and the interview can only find what is in it.

An **informed** persona (cases with sentence gold, ``evals/sentences``) also knows what
each of its sentences is about: the indicators the rater labelled it with (supports,
contradicts, also_ok). Asked about an indicator, it says its not-yet-said sentences
labelled for it (at most ``TOP``, in transcript order); else those labelled for the
question's dimension; else it falls back to the similarity rule; else "I don't know". A
person knows what their own sentences are about, and the rater's labels say that; the
labels serve the answering side only: the interviewer and the reader see only text.

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

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agent.app import Services
from agent.engines.sentences import is_facilitator, whole_sentences
from agent.evals.dataset import EvalCase
from agent.evals.metrics import exact, within_one
from agent.evals.sentence_gold import SentenceGold
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
    """One stakeholder of a transcript, answering from what they said there.

    ``labels``: sentence text -> the indicators the rater labelled it with (supports,
    contradicts, also_ok; none without sentence gold); ``informed`` answers by them first
    (see the module doc); ``evidence``: the texts labelled supports or contradicts."""

    def __init__(self, name: str, role: str, sentences: Sequence[str], embedder: Embedder,
                 floor: float = FLOOR, top: int = TOP,
                 labels: Mapping[str, Collection[str]] | None = None,
                 dimension_of: Mapping[str, str] | None = None, informed: bool = False,
                 evidence: Collection[str] = ()) -> None:
        self.name, self.role = name, role
        self.sentences = list(dict.fromkeys(sentences))
        self.embedder = embedder
        self.floor, self.top = floor, top
        self.vectors = embedder.embed(self.sentences) if self.sentences else None
        self.said: set[int] = set()
        labels = labels or {}
        self.labels = [frozenset(labels.get(s, ())) for s in self.sentences]
        dimension_of = dimension_of or {}
        self.dimensions = [frozenset(dimension_of[i] for i in ids if i in dimension_of)
                           for ids in self.labels]
        self.informed = informed
        self.unknowns = 0
        evidence = set(evidence)
        #: The sentences the rater labelled as evidence (supports or contradicts): the
        #: diagnosis counts how many of them the interview ever heard.
        self.evidence = {i for i, s in enumerate(self.sentences) if s in evidence}

    @property
    def stakeholder(self) -> Stakeholder:
        return Stakeholder(self.name, self.role)

    def answer(self, question: str, dimension: str | None = None,
               indicators: Collection[str] = ()) -> str:
        """``dimension`` and ``indicators``: what the question is after (read only by an
        informed persona)."""
        picked = self._by_label(dimension, indicators) if self.informed else []
        picked = picked or self._by_similarity(question)
        if not picked:
            self.unknowns += 1
            return UNKNOWN
        self.said.update(picked)
        return " ".join(self.sentences[i] for i in sorted(picked))

    def _by_label(self, dimension: str | None, indicators: Collection[str]) -> list[int]:
        fresh = [i for i in range(len(self.sentences)) if i not in self.said]
        wanted = set(indicators)
        by_indicator = [i for i in fresh if wanted & self.labels[i]]
        by_dimension = [i for i in fresh if dimension in self.dimensions[i]] if dimension else []
        return (by_indicator or by_dimension)[: self.top]

    def _by_similarity(self, question: str) -> list[int]:
        if self.vectors is None:
            return []
        sims = self.vectors @ self.embedder.embed([question])[0]
        return [int(i) for i in np.argsort(-sims)
                if int(i) not in self.said and sims[i] >= self.floor][: self.top]

def personas(case: EvalCase, embedder: Embedder, gold: SentenceGold | None = None,
             pack: FrameworkPack | None = None, informed: bool = False) -> list[Persona]:
    """Every stakeholder who speaks in the case's transcripts (facilitators are not).
    With ``gold`` (and its ``pack``) each persona knows its sentences' labels; ``informed``
    makes it answer by them."""
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
    labels, evidence = sentence_labels(gold)
    dimension_of = {i: dim.id for i, (dim, _, _) in pack.indicators().items()} if pack else {}
    return [Persona(name, roles[name], said[name], embedder, labels=labels,
                    dimension_of=dimension_of, informed=informed and gold is not None,
                    evidence=evidence) for name in said]


def sentence_labels(gold: SentenceGold | None) -> tuple[dict[str, set[str]], set[str]]:
    """(sentence text -> every indicator the rater named for it, the texts labelled as
    evidence), texts with their whitespace collapsed as the personas hold them."""
    labels: dict[str, set[str]] = {}
    evidence: set[str] = set()
    for s in gold.sentences if gold else []:
        text = " ".join(s.text.split())
        labels.setdefault(text, set()).update(s.supports, s.contradicts, s.also_ok)
        if s.labelled:
            evidence.add(text)
    return labels, evidence


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
    #: One entry per question put: to whom, about what, and what it drew out.
    questions: list[dict[str, object]] = field(default_factory=list)

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
                before = set(persona.said)
                reply = persona.answer(_query(interviewer, session, turn.text), turn.dimension,
                                       [turn.indicator_id] if turn.indicator_id else [])
                asked[persona.name] += 1
                answered[persona.name] += reply != UNKNOWN
                run.questions.append(_asked(persona, turn.kind, turn.dimension,
                                            turn.indicator_id, before))
                turn = interviewer.answer(session, persona.stakeholder, reply)
                if turn.kind != "follow_up":
                    break
            if turn.finished:
                active.discard(persona.name)
            run.snapshots.append(Snapshot(dict(asked), interviewer.levels(session)))
    run.personas = [_figures(p, asked[p.name], answered[p.name]) for p in cast]
    return run


def _asked(persona: Persona, kind: str, dimension: str | None, indicator: str | None,
           before: set[int]) -> dict[str, object]:
    new = persona.said - before
    return {"to": persona.name, "kind": kind, "dimension": dimension, "indicator": indicator,
            "said": len(new), "evidence_said": len(new & persona.evidence),
            # what the persona still had on that dimension after answering (informed labels)
            "dimension_left": sum(1 for i in persona.evidence - persona.said
                                  if dimension in persona.dimensions[i])}


def _figures(persona: Persona, asked: int, answered: int) -> dict[str, object]:
    """One persona's row: questions, answers, and how much of what they said was heard."""
    left: dict[str, int] = {}
    for i in persona.evidence - persona.said:
        for dim in persona.dimensions[i]:
            left[dim] = left.get(dim, 0) + 1
    return {"name": persona.name, "role": persona.role, "asked": asked, "answered": answered,
            "sentences": len(persona.sentences), "said": len(persona.said),
            "evidence": len(persona.evidence),
            "evidence_said": len(persona.evidence & persona.said),
            "unknown": persona.unknowns, "evidence_left_by_dimension": left}


def _query(interviewer: Interviewer, session: str, text: str) -> str:
    # A follow-up ("Which tool is it ...?") means nothing alone: the persona hears it with
    # the question it follows, as a person would.
    return interviewer.question_context(session) or text


def run_fixed(logic: TurnLogic, pack: FrameworkPack, case: EvalCase,
              cast: Sequence[Persona]) -> Run:
    """The whole bank in pack order to every persona, read with the interview's own reader."""
    run = Run(case.id, "fixed")
    # A survey question has no target: it is after every indicator it probes.
    bank = [(dim.id, q) for dim in pack.dimensions for q in dim.questions]
    state: InterviewState = {
        "session_id": f"fixed-{case.id}", "framework": pack.id, "engine": "offline",
        "stakeholders": [{"name": p.name, "role": p.role} for p in cast], "answers": []}
    answered = {p.name: 0 for p in cast}
    for n, (dimension, q) in enumerate(bank, start=1):
        question = q.text
        for persona in cast:
            before = set(persona.said)
            reply = persona.answer(question, dimension, q.indicators)
            answered[persona.name] += reply != UNKNOWN
            run.questions.append(_asked(persona, "question", dimension, None, before))
            state["answers"] = [*state.get("answers", []), {
                "line": len(state.get("answers", [])) + 1, "name": persona.name,
                "role": persona.role, "text": reply, "asked": question, "evidence": None}]
        levels = {dim: score.level for dim, score in logic.scores(state).items()}
        run.snapshots.append(Snapshot({p.name: n for p in cast}, levels))
    run.personas = [_figures(p, len(bank), answered[p.name]) for p in cast]
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

