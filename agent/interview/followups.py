"""Read an answer with the offline language rules and choose a concrete follow-up.

An answer earns a follow-up unless it states something checkable (a specific,
supporting statement) or plainly says a practice is absent. Hedges ("I think"),
self-assessments ("we're very mature") and general statements are recorded, but the
rubric does not credit a claim, so the agent asks for the tool, the numbers, the date
or the document before it moves on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.engines.language import is_injection, read_statement
from agent.engines.sentences import is_question, split_sentences
from agent.interview.model import QuestionRecord
from agent.knowledge.schema import Question
from agent.transcripts.model import Utterance

MAX_FOLLOW_UPS = 2  # per question: then the agent moves on and the answer stands as given

#: Concrete asks, by what the answer lacked.
ASK_SPECIFICS = "Which tool or process is it, how many teams use it, and since when?"
ASK_ARTEFACT = "Can you point to the document, dashboard or ticket that shows it, and who owns it?"
ASK_EXAMPLE = "When did that last happen, and what came of it?"

_CUE = re.compile(r"\('([^']+)'\)")
#: A plain "I don't know": nothing to press for, and a sign to ask this person elsewhere.
_UNKNOWN = re.compile(r"^\W*(?:i\s+(?:really\s+)?(?:do\s*n[o']?t|dont|cannot|can't)\s+"
                      r"(?:know|say|tell|answer)|no\s+idea|not\s+sure|(?:that'?s\s+|it'?s\s+)?"
                      r"not\s+my\s+(?:area|field|team)|i\s+have\s+no\s+idea|no\s+clue|"
                      r"don'?t\s+know|pass)\b", re.I)
UNKNOWN_WORDS = 14  # longer answers say more than "I don't know"


@dataclass(frozen=True)
class AnswerReading:
    needs_follow_up: bool
    #: specific | absence | claim | hedge | general | empty | unknown (a plain "don't know")
    reason: str
    cue: str = ""  # the words that triggered a claim or hedge


def read_answer(text: str) -> AnswerReading:
    """What an answer proves, sentence by sentence, and whether to press for more."""
    if _UNKNOWN.match(text) and len(text.split()) <= UNKNOWN_WORDS:
        return AnswerReading(False, "unknown")
    utterance = Utterance(speaker="stakeholder", text=text, source="answer", line=1)
    readings = [read_statement(s.text) for s in split_sentences(utterance)
                if not is_question(s) and not is_injection(s.text)]
    if any(r.stance == "supports" and r.strength == "specific" for r in readings):
        return AnswerReading(False, "specific")
    if readings and all(r.stance == "contradicts" for r in readings):
        return AnswerReading(False, "absence")
    for r in readings:
        if r.strength == "claim":
            cue = _CUE.search(r.reason)
            kind = "claim" if r.reason.startswith("self-assessment") else "hedge"
            return AnswerReading(True, kind, cue.group(1) if cue else "")
    return AnswerReading(True, "general" if readings else "empty")


def _lead_in(reading: AnswerReading) -> str:
    if reading.reason == "claim":
        return "That is a judgement, and I can only score what I could check."
    if reading.reason == "hedge":
        said = f"You said '{reading.cue}'" if reading.cue else "That sounds uncertain"
        return f"{said}; I need something I could check."
    if reading.reason == "general":
        return "Thanks. To count that, I need the specifics."
    return "I could not find a statement I can use in that."


def follow_up(asked: QuestionRecord, question: Question | None,
              reading: AnswerReading) -> QuestionRecord | None:
    """A follow-up on the question just answered, or None to move on."""
    done = int(asked.get("follow_ups") or 0)
    if not reading.needs_follow_up or done >= MAX_FOLLOW_UPS or not asked.get("dimension"):
        return None
    bank = list(question.follow_ups) if question else []
    generic = ([ASK_ARTEFACT, ASK_SPECIFICS] if reading.reason in ("claim", "hedge")
               else [ASK_SPECIFICS, ASK_ARTEFACT])
    # A claim first needs something checkable; the bank's follow-ups then dig into it.
    candidates = generic[:1] + bank if reading.reason in ("claim", "hedge") else bank + generic
    used = list(asked.get("used") or [])
    ask = next((c for c in [*candidates, *generic, ASK_EXAMPLE] if c not in used), ASK_EXAMPLE)
    record: QuestionRecord = {
        "question_id": asked.get("question_id"),
        "dimension": asked.get("dimension"),
        "indicator_id": asked.get("indicator_id"),
        "kind": "follow_up",
        "text": f"{_lead_in(reading)} {ask}",
        "for_roles": list(asked.get("for_roles") or []),
        "to": asked.get("to"),
        "follow_ups": done + 1,
        "used": [*used, ask],
        "base_text": str(asked.get("base_text") or asked.get("text") or ""),
    }
    return record
