"""The nodes of the interview graph: what happens to the state on each event.

Every node takes the checkpointed state and returns the keys it changes. Nothing here
decides a level: the session's answers become a Transcript and go through
``agent.assessment.pipeline.assess`` (engine, checks, rubric) like any transcript.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from agent.assessment.checks import check_evidence
from agent.assessment.ledger import Ledger, dedupe
from agent.assessment.model import Assessment, Evidence
from agent.assessment.pipeline import assess
from agent.assessment.rubric import DimensionScore
from agent.interview.evidence import AnswerReader, SessionEngine, Usage, interview_engine
from agent.interview.explain import finish_text, standing_text, status_text, why_text
from agent.interview.followups import (
    AnswerReading,
    document_requests,
    follow_up,
    read_answer,
)
from agent.interview.model import AnswerRecord, InterviewState, QuestionRecord
from agent.interview.planner import (
    DEFAULT_MAX_QUESTIONS,
    coverage,
    find_question,
    next_question,
)
from agent.knowledge.schema import FrameworkPack
from agent.transcripts.model import Transcript, Utterance
from agent.transcripts.roles import categorise_role

if TYPE_CHECKING:
    from agent.app import Services
    from agent.interview.llm_turn import LLMTurnReader

COMMANDS = ("skip", "back", "why", "status", "done")
State = dict[str, Any]


def source_of(session_id: str) -> str:
    return f"interview:{session_id}"


def session_transcript(state: InterviewState) -> Transcript:
    source = source_of(state["session_id"])
    roles = {s["name"]: s["role"] for s in state.get("stakeholders", [])}
    utterances = [
        Utterance(speaker=a["name"], role=a.get("role") or roles.get(a["name"]),
                  role_category=categorise_role(a.get("role") or roles.get(a["name"])),
                  text=a["text"], source=source, line=a["line"])
        for a in state.get("answers", []) if not a.get("withdrawn")
    ]
    return Transcript(source=source, format="interview", utterances=utterances)


def turn_dict(record: QuestionRecord | None, kind: str, text: str,
              finished: bool = False) -> dict[str, Any]:
    record = record or {}
    return {"text": text, "kind": kind, "dimension": record.get("dimension"),
            "indicator_id": record.get("indicator_id"),
            "for_roles": list(record.get("for_roles") or []), "finished": finished}


def _with_person(state: InterviewState, event: dict[str, Any]) -> list[dict[str, str]]:
    """The stakeholder list with the event's person added (or their role updated)."""
    people = [dict(s) for s in state.get("stakeholders", [])]
    name, role = str(event["name"]), str(event["role"])
    for person in people:
        if person["name"] == name:
            person["role"] = role
            return people
    return [*people, {"name": name, "role": role}]


def question_context(asked: QuestionRecord | None) -> str | None:
    """What the answer replies to: the question, and for a follow-up its base question."""
    if not asked or not asked.get("text"):
        return None
    if asked.get("kind") == "follow_up" and asked.get("base_text"):
        return f"{asked['base_text']} {asked['text']}"
    return str(asked["text"])


class TurnLogic:
    def __init__(self, services: Services, llm: LLMTurnReader | None = None,
                 max_questions: int | None = None) -> None:
        self.services = services
        self.llm = llm  # None: the offline engine reads every answer
        #: Questions per stakeholder for sessions started or resumed here (0: no cap;
        #: None: the session's own budget, or the default for a new one).
        self.max_questions = max_questions
        self._reader: AnswerReader | None = None
        self._engine_lock = threading.Lock()

    # -- shared helpers ----------------------------------------------------------------

    @property
    def engine_name(self) -> str:
        return self.llm.engine_name if self.llm else "offline"

    def offline_reader(self) -> AnswerReader:
        """The offline engine reading answers, built on first use (it loads the embedder)."""
        with self._engine_lock:
            if self._reader is None:
                from agent.engines.factory import make_engine

                self._reader = AnswerReader(interview_engine(make_engine("offline",
                                                                         self.services)))
            return self._reader

    def warm_up(self, framework: str) -> None:
        """Load the embedder and the indicator vectors now, not on the first answer."""
        warm = Utterance(speaker="warm-up", text="We keep a written plan for this work.",
                         source="warm-up", line=1)
        self.offline_reader().read(self.services.registry.get(framework), warm,
                                   "Is the plan written down?")

    def pack(self, state: InterviewState) -> FrameworkPack:
        return self.services.registry.get(state["framework"])

    def _engine_for(self, state: InterviewState, transcript: Transcript) -> SessionEngine:
        active = [a for a in state.get("answers", []) if not a.get("withdrawn")]
        source = transcript.source
        recorded = {(source, a["line"]): [Evidence.model_validate(e) for e in a["evidence"] or []]
                    for a in active if a.get("evidence") is not None}
        reader = self.offline_reader() if len(recorded) < len(active) else None
        asked = {a["line"]: a.get("asked") for a in active}
        usage = Usage(
            prompt_tokens=sum(int((a.get("usage") or {}).get("prompt_tokens", 0)) for a in active),
            completion_tokens=sum(int((a.get("usage") or {}).get("completion_tokens", 0))
                                  for a in active),
            cost_usd=sum(float((a.get("usage") or {}).get("cost_usd", 0.0)) for a in active),
            irrelevant_dropped=sum(int(a.get("irrelevant") or 0) for a in active))
        failures = state.get("warnings") or []
        warnings = [("llm_fallback", f"{len(failures)} answer(s) were read by the offline rules "
                     f"because the LLM failed (first: {failures[0]})")] if failures else []
        flagged = {(source, a["line"]) for a in active if a.get("injection")}
        return SessionEngine(self.engine_name, recorded, reader, lambda u: asked.get(u.line),
                             usage, warnings, flagged)

    def assessment(self, state: InterviewState) -> Assessment:
        """The full assessment: the same pipeline as ``maturity score``."""
        transcript = session_transcript(state)
        version = self.llm.prompt_version if self.llm else None
        assessment = assess([transcript], self.pack(state), self._engine_for(state, transcript),
                            self.services.clock(), version)
        # What the transcript cannot show: which follow-ups asked for a document, and
        # whether the answer named one (the report asks the client for the rest).
        assessment.requested_documents = document_requests(
            list(state.get("log", [])), list(state.get("answers", [])), state.get("pending"))
        return assessment

    def scores(self, state: InterviewState) -> dict[str, DimensionScore]:
        """Checks and the pooled rubric, per dimension (the levels the assessment reports):
        all the planner needs, every turn."""
        transcript = session_transcript(state)
        pack = self.pack(state)
        proposal = self._engine_for(state, transcript).propose([transcript], pack)
        kept, _ = dedupe(check_evidence(proposal.evidence, [transcript], pack).kept)
        return Ledger(pack, kept).scores()

    def budget(self, state: InterviewState) -> int | None:
        """Questions per stakeholder in this session (None: no cap)."""
        chosen = state.get("max_questions", DEFAULT_MAX_QUESTIONS)
        if self.max_questions is not None:
            chosen = self.max_questions
        return chosen or None

    def _plan_for(self, state: InterviewState,
                  log: list[QuestionRecord]) -> QuestionRecord | None:
        person = state.get("current") or ""
        role = next((s["role"] for s in state.get("stakeholders", []) if s["name"] == person), "")
        skipped = (state.get("skipped") or {}).get(person, [])
        return next_question(self.pack(state), self.scores(state), log, person,
                             categorise_role(role), skipped, self.budget(state))

    def standing(self, state: InterviewState) -> str:
        """The stop rule as the person sees it: what is settled, what is open, how many
        questions are left."""
        person = state.get("current") or ""
        return standing_text(self.pack(state), self.scores(state), list(state.get("log", [])),
                             person, self.budget(state))

    # -- nodes -------------------------------------------------------------------------

    def intake(self, state: InterviewState) -> State:
        """A new session, or a stakeholder joining one."""
        event = state["event"]
        people = _with_person(state, event)
        update: State = {"stakeholders": people, "current": event["name"], "note": None,
                         "max_questions": self.budget(state) or 0}
        if event["kind"] == "start":
            return {**update, "answers": [], "log": [], "skipped": {}, "finished": False,
                    "pending": None, "warnings": []}
        pending = state.get("pending")
        if pending and state.get("current") == event["name"] and not state.get("finished"):
            # The person the pending question is for (re)joins: ask it again.
            return {**update, "note": {"kind": "keep"},
                    "reply": turn_dict(pending, str(pending.get("kind", "question")),
                                       str(pending.get("text", "")))}
        return update

    def plan(self, state: InterviewState) -> State:
        note = state.get("note") or {}
        if note.get("kind") == "keep":
            return {"note": None}
        record = self._plan_for(state, list(state.get("log", [])))
        prefix = f"{note['prefix']} " if note.get("prefix") else ""
        kind = note.get("kind") or "question"
        if record is None:
            text = (prefix + finish_text(self.assessment(state), by_command=False) + "\n"
                    + self.standing(state))
            return {"pending": None, "finished": True, "note": None, "reading": {},
                    "reply": turn_dict(None, "finished", text, True)}
        reading = state.get("reading") or {}
        if reading.get("llm_question") and reading.get("planned_id") == record["question_id"]:
            record = {**record, "base_text": record["text"], "text": reading["llm_question"]}
        return {"pending": record, "finished": False, "note": None, "reading": {},
                "reply": turn_dict(record, kind, prefix + str(record["text"]))}

    def read(self, state: InterviewState) -> State:
        """Record the answer (persisted with this turn) and read it."""
        event = state["event"]
        people = _with_person(state, event)
        answers = list(state.get("answers", []))
        line = len(answers) + 1
        asked = state.get("pending")
        answer: AnswerRecord = {"line": line, "name": event["name"], "role": event["role"],
                                "text": event["text"], "withdrawn": False, "evidence": None,
                                "question_id": (asked or {}).get("question_id"),
                                "asked": question_context(asked)}
        log = list(state.get("log", []))
        offline = read_answer(event["text"])
        if asked:
            log.append({**asked, "outcome": "answered", "line": line, "by": event["name"],
                        "declined": offline.reason == "unknown"})
        reading: State = {"asked": asked, "needs": offline.needs_follow_up,
                          "reason": offline.reason, "cue": offline.cue}
        warnings = list(state.get("warnings") or [])
        if self.llm is not None:
            state_now: InterviewState = {**state, "stakeholders": people, "current": event["name"],
                                         "log": log}
            self._read_with_llm(state_now, asked, answer, reading, warnings)
        return {"answers": [*answers, answer], "log": log, "stakeholders": people,
                "current": event["name"], "reading": reading, "finished": False,
                "warnings": warnings}

    def _read_with_llm(self, state: InterviewState, asked: QuestionRecord | None,
                       answer: AnswerRecord, reading: State, warnings: list[str]) -> None:
        from agent.assessment.relevance import RelevanceCheck
        from agent.llm.provider import LLMError

        assert self.llm is not None
        pack = self.pack(state)
        planned = self._plan_for(state, list(state.get("log", [])))
        hint = follow_up(asked, find_question(pack, asked.get("question_id")),
                         AnswerReading(True, "general")) if asked else None
        utterance = Utterance(speaker=answer["name"], role=answer["role"],
                              role_category=categorise_role(answer["role"]),
                              text=answer["text"], source=source_of(state["session_id"]),
                              line=answer["line"])
        try:
            turn = self.llm.read(pack, asked, planned, utterance,
                                 str((hint or {}).get("text", "(none)")),
                                 RelevanceCheck(self.services.index()))
        except LLMError as exc:
            warnings.append(" ".join(str(exc).split())[:200])
            return
        answer["evidence"] = [e.model_dump() for e in turn.evidence]
        answer["usage"] = turn.usage
        answer["injection"] = turn.injection
        answer["irrelevant"] = turn.irrelevant
        reading.update(llm_follow_up=turn.follow_up, llm_question=turn.question,
                       planned_id=(planned or {}).get("question_id"))

    def decide(self, state: InterviewState) -> State:
        """Follow up on this answer, or move on (the plan node picks what next)."""
        reading = state.get("reading") or {}
        asked: QuestionRecord | None = reading.get("asked")
        if not asked:
            return {"reply": None}
        offline = AnswerReading(bool(reading.get("needs")), str(reading.get("reason", "")),
                                str(reading.get("cue", "")))
        budget = self.budget(state)
        if budget is not None and coverage(state.get("log", [])).put_to[
                str(asked.get("to") or state.get("current") or "")] >= budget:
            return {"reply": None}  # the person's questions are spent: no follow-up either
        if "llm_follow_up" in reading:
            # The model may ask for more; a claim or an empty answer always gets asked.
            must = offline.reason in ("claim", "hedge", "empty")
            offline = AnswerReading(bool(reading["llm_follow_up"]) or must, offline.reason,
                                    offline.cue)
        record = follow_up(asked, find_question(self.pack(state), asked.get("question_id")),
                           offline)
        if record is None:
            return {"reply": None}
        if reading.get("llm_follow_up") and reading.get("llm_question"):
            record = {**record, "text": str(reading["llm_question"])}
        return {"pending": record, "reading": {},
                "reply": turn_dict(record, "follow_up", str(record["text"]))}

    def command(self, state: InterviewState) -> State:
        event = state["event"]
        word = event["text"].strip().lower().rstrip("?!. ")
        people = _with_person(state, event)
        base: State = {"stakeholders": people, "note": None}
        state = {**state, "stakeholders": people}
        pending = state.get("pending")
        if word == "why":
            question = find_question(self.pack(state), (pending or {}).get("question_id"))
            text = why_text(self.pack(state), pending, self.assessment(state),
                            list(question.indicators) if question else [])
            return {**base, "reply": turn_dict(pending, "explain", text, not pending)}
        if word == "status":
            text = status_text(self.assessment(state), state.get("skipped") or {}, pending,
                               self.standing(state))
            return {**base, "reply": turn_dict(pending, "status", text,
                                               bool(state.get("finished")) and not pending)}
        if word == "done":
            text = finish_text(self.assessment(state), by_command=True)
            return {**base, "finished": True, "reply": turn_dict(pending, "finished", text, True)}
        if word == "skip":
            return {**base, **self._skip(state, event["name"], pending)}
        return {**base, **self._back(state, event["name"], pending)}

    def _skip(self, state: InterviewState, person: str, pending: QuestionRecord | None) -> State:
        if not pending or not pending.get("dimension"):
            return {"reply": turn_dict(None, "skip", "There is no question to skip.",
                                       bool(state.get("finished")))}
        dim = str(pending["dimension"])
        skipped = {k: list(v) for k, v in (state.get("skipped") or {}).items()}
        skipped[person] = [*skipped.get(person, []), dim]
        log = [*state.get("log", []), {**pending, "outcome": "skipped", "line": None,
                                         "by": person}]
        name = self.pack(state).dimension(dim).name
        return {"skipped": skipped, "log": log, "current": person,
                "note": {"kind": "skip", "prefix": f"Skipped {name}."}}

    def _back(self, state: InterviewState, person: str, pending: QuestionRecord | None) -> State:
        log = list(state.get("log", []))
        index = next((i for i in range(len(log) - 1, -1, -1) if log[i].get("by") == person), None)
        if index is None:
            text = "There is no earlier answer of yours to go back to."
            if pending:
                text += f" The question stands: {pending.get('text', '')}"
            return {"reply": turn_dict(pending, "back", text, bool(state.get("finished")))}
        entry = log.pop(index)
        update: State = {"log": log, "current": person, "finished": False}
        if entry.get("outcome") == "skipped":
            skipped = {k: list(v) for k, v in (state.get("skipped") or {}).items()}
            mine = skipped.get(person, [])
            if entry.get("dimension") in mine:
                mine.remove(str(entry["dimension"]))
            update["skipped"] = skipped
        else:
            update["answers"] = [{**a, "withdrawn": True} if a["line"] == entry.get("line") else a
                                 for a in state.get("answers", [])]
        again: QuestionRecord = {k: v for k, v in entry.items()  # type: ignore[assignment]
                                 if k not in ("outcome", "line", "by")}
        text = f"Going back. {again.get('text', '')}"
        return {**update, "pending": again,
                "reply": turn_dict(again, "back", text)}
