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

from agent.assessment.model import DocumentRequest
from agent.engines.language import is_injection, read_statement
from agent.engines.sentences import is_question, split_sentences
from agent.interview.model import AnswerRecord, QuestionRecord
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


# -- follow-ups that asked for a document --------------------------------------------
# The documents a report asks the client for include every "point to the document"
# follow-up that went unanswered. An answer counts as naming one only when it names a
# concrete artefact: a link, a file, a ticket or page id, a tool it lives in, or a titled
# document. "I'll send it later" and "we don't have that written down" do not.

#: A follow-up that asks for a document or artefact (not one that only mentions a report).
_ASKS_FOR_ARTEFACT = re.compile(
    r"\b(?:documents?|documented|dashboards?|tickets?|written(?:\s+down)?|minutes|runbooks?|"
    r"wiki|spreadsheets?|charters?|show\s+me|point\s+(?:me\s+)?to|share\s+the|"
    r"send\s+(?:me\s+)?the|can\s+i\s+see|where\s+(?:does|do|is|are)\s+\w+(?:\s+\w+)?\s+"
    r"(?:live|lives|kept|stored))\b", re.I)

#: Identifiers that name an artefact whatever else the answer says.
_HARD = [
    re.compile(r"https?://\S+|\bwww\.\S+"),
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:pdf|docx?|xlsx?|pptx?|csv|md|txt|ipynb|ya?ml|json"
               r"|html?)\b", re.I),
    # A ticket or page id: MLOPS-231, ML-Gov-12, GOV-7.
    re.compile(r"\b[A-Z][A-Za-z]{1,9}(?:-[A-Za-z]+)*-\d+\b"),
]
#: Where a document lives, named: counts unless the answer denies or defers it.
_TOOLS = re.compile(
    r"\b(?:Confluence|Jira|SharePoint|Notion|Google\s+(?:Docs?|Drive|Sheets?|Slides)|GitHub|"
    r"GitLab|Bitbucket|Grafana|Datadog|Kibana|Looker|Tableau|Power\s?BI|MLflow|Weights\s+&\s+"
    r"Biases|ServiceNow|Airtable|Backstage|Databricks|OneDrive|Dropbox|Miro|Coda|Quip)\b")
_ARTEFACT_NOUN = (r"(?i:policy|policies|document|doc|dashboard|deck|charter|register|runbook|"
                  r"playbook|page|report|minutes|standard|spreadsheet|plan|strategy|handbook|"
                  r"guide|wiki|repo|repository|board|tracker)")
#: A titled artefact: "the Model Risk Policy", "the AI Strategy deck", "#ml-governance".
_TITLED = re.compile(rf"\b((?:[A-Z][\w&-]*\s+){{1,5}}){_ARTEFACT_NOUN}\b|"
                     r"(?<!\w)[\"“'‘][^\"”'’\n]{4,80}[\"”'’](?!\w)|(?<![\w&])#[a-z][\w-]{2,}")
_DETERMINERS = frozenset("the our a an this that it we they there its their yes no see".split())
_ABSENT = re.compile(
    r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|haven'?t|have\s+not|hasn'?t|isn'?t|is\s+not|"
    r"aren'?t|no|not|never|nothing|nowhere|none)\b", re.I)
_DEFERRED = re.compile(
    r"\b(?:i'?ll|i\s+will|we'?ll|will|i\s+can|i\s+could|i'?d\s+have\s+to|have\s+to|need\s+to)"
    r"\s+(?:\w+\s+){0,2}?(?:send|share|dig|find|look|get\s+back|forward|check|ask|follow\s+up)"
    r"|\blater\b", re.I)


def asks_for_artefact(text: str) -> bool:
    return _ASKS_FOR_ARTEFACT.search(text) is not None


def _titled(text: str) -> str:
    for match in _TITLED.finditer(text):
        words = (match.group(1) or "").split()
        if match.group(1) is not None and words[0].lower() in _DETERMINERS:
            if len(words) == 1:
                continue  # "The dashboard", "Our wiki": nothing named
            return " ".join([*words[1:], match.group(0).split()[-1]])
        return match.group(0).strip()
    return ""


def named_artefact(answer: str) -> str:
    """The words in ``answer`` that name a concrete artefact, or "" when it names none.

    A link, a file name or a ticket or page id always count. A tool the document lives
    in, or a titled document, counts unless the answer says there is none or defers it
    ("I'll send the Jira board later" names nothing the client has handed over).
    """
    for pattern in _HARD:
        if (hit := pattern.search(answer)):
            return hit.group(0).rstrip(".,;:)")
    if _ABSENT.search(answer) or _DEFERRED.search(answer):
        return ""
    if (tool := _TOOLS.search(answer)):
        return tool.group(0)
    return _titled(answer)


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def document_requests(log: list[QuestionRecord], answers: list[AnswerRecord],
                      pending: QuestionRecord | None = None) -> list[DocumentRequest]:
    """Every follow-up that asked for a document, in the order asked, with what came back:
    answered (the answer names an artefact), or not (answered without one, skipped, or
    still pending when the session ended)."""
    said = {a["line"]: a["text"] for a in answers if not a.get("withdrawn")}
    out: list[DocumentRequest] = []
    for record in [*log, *([pending] if pending else [])]:
        asked = str(record.get("text") or "")
        dimension = record.get("dimension")
        if record.get("kind") != "follow_up" or not dimension or not asks_for_artefact(asked):
            continue
        line = record.get("line")
        answer = said.get(line, "") if record.get("outcome") == "answered" and line else ""
        artefact = named_artefact(answer) if answer else ""
        out.append(DocumentRequest(
            dimension=dimension, indicator_id=record.get("indicator_id"), asked=asked,
            asked_of=record.get("by") or record.get("to"), answer_excerpt=_excerpt(answer),
            answered=bool(artefact), artefact=artefact))
    return out
