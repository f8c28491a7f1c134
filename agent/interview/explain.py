"""What the agent says for "why", "status" and at the end: plain text with chunk ids.

Chunk ids (``<framework>:<item id>``) are the same ids ``maturity knowledge list``
prints, so a stakeholder can look up every framework passage the agent cites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.assessment.model import Assessment
from agent.interview.model import QuestionRecord
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
                pending: QuestionRecord | None) -> str:
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
