"""What the agent says for "why", "status" and at the end: plain text with chunk ids.

Chunk ids (``<framework>:<item id>``) are the same ids ``maturity knowledge list``
prints, so a stakeholder can look up every framework passage the agent cites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.assessment.model import Assessment
from agent.assessment.rubric import DimensionScore
from agent.interview.model import QuestionRecord
from agent.interview.planner import askable, questions_left, settled
from agent.knowledge.schema import FrameworkPack

WHAT_COUNTS = ("What counts is something I could check: a named tool, a number, a date, a "
               "document or an incident. Opinions such as \"we're mature\" are noted but never "
               "raise a level.")
MAX_CITED = 5


def why_text(pack: FrameworkPack, pending: QuestionRecord | None, assessment: Assessment,
             question_indicators: Sequence[str]) -> str:
    if not pending or not pending.get("dimension"):
        return (f"I am assessing {pack.name} dimension by dimension, asking for evidence of the "
                f"indicators that define each level. {WHAT_COUNTS}")
    dim = pack.dimension(str(pending["dimension"]))
    result = assessment.dimension(dim.id)
    table = pack.indicators()
    in_play = list(dict.fromkeys([*question_indicators, *result.missing_indicators]))
    in_play = [i for i in in_play if i in table][:MAX_CITED]
    lines = [f"I am asking about {dim.name}: {dim.summary}"]
    if in_play:
        lines.append("I am looking for evidence of:")
        lines += [f"- [{pack.id}:{i}] {table[i][2].text}" for i in in_play]
    target = 2 if result.level is None else min(result.level + 1, pack.top_level)
    cell = dim.cells[target - 1]
    where = (f"So far {dim.name} is at level {result.level} ({result.level_name})."
             if result.level else f"{dim.name} has no level yet.")
    lines.append(f"{where} Level {target} ({pack.level_name(target)}) is defined as "
                 f"[{pack.id}:{dim.id}.l{target}]: {cell.summary}")
    lines.append(WHAT_COUNTS)
    lines.append(f"The question stands: {pending.get('text', '')}")
    return "\n".join(lines)


def status_text(assessment: Assessment, skipped: Mapping[str, Sequence[str]],
                pending: QuestionRecord | None, standing: str = "") -> str:
    skipped_dims = {d for dims in skipped.values() for d in dims}
    lines = ["Where things stand:"]
    for d in assessment.dimensions:
        factual = sum(e.strength != "claim" for e in d.evidence)
        if d.level is None:
            state = "not enough evidence yet"
        else:
            state = (f"level {d.level} ({d.level_name}), confidence {d.confidence:.2f}, "
                     f"{factual} evidence item(s)")
        note = " (skipped)" if d.id in skipped_dims else ""
        lines.append(f"- {d.name or d.id}: {state}{note}")
    if standing:
        lines.append(standing)
    if pending and pending.get("text"):
        lines.append(f"The question stands: {pending['text']}")
    return "\n".join(lines)


def finish_text(assessment: Assessment, by_command: bool) -> str:
    scored = [d for d in assessment.dimensions if d.level is not None]
    opening = ("Thank you, the interview is saved." if by_command
               else "Thank you, that covers every dimension I can ask you about.")
    summary = ", ".join(f"{d.name or d.id} {d.level}" for d in scored) or "none yet"
    return (f"{opening} {len(scored)} of {len(assessment.dimensions)} dimensions have a level "
            f"({summary}).")


def standing_text(pack: FrameworkPack, scores: Mapping[str, DimensionScore],
                  log: Sequence[QuestionRecord], person: str, budget: int | None) -> str:
    """The stop rule in one paragraph: "Strategy settled at 3; Culture still open at 2:
    2 questions left. 14 of 20 questions left for Ada." A dimension is settled when no answer
    could move its level (agent.interview.planner); an open one says how many bank
    questions could still move it for this person, within what is left of the budget."""
    left = questions_left(budget, log, person)
    parts = []
    for dim in pack.dimensions:
        result = scores[dim.id]
        if settled(pack, dim, result):
            parts.append(f"{dim.name} settled at {result.level}")
            continue
        at = f" at {result.level}" if result.level is not None else ""
        n = askable(pack, dim, result, log, person)
        if left is not None:
            n = min(n, left)
        parts.append(f"{dim.name} still open{at}: {n} question{'s' if n != 1 else ''} left")
    text = "; ".join(parts) + "."
    if left is not None:
        text += f" {left} of {budget} questions left" + (f" for {person}." if person else ".")
    return text
