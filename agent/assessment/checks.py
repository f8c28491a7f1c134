"""Checks every proposed evidence item must pass before the rubric sees it.

Whatever proposed it (rules or an LLM), an item is kept only if its quote occurs
verbatim (whitespace folded) in the utterance its source and line point at, and its
indicator id exists in the pack. What fails is dropped and counted, never repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.assessment.model import Evidence
from agent.knowledge.schema import FrameworkPack
from agent.transcripts.model import Transcript, Utterance

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def quote_in(quote: str, text: str) -> bool:
    folded = fold(quote)
    return bool(folded) and folded in fold(text)


@dataclass
class CheckResult:
    kept: list[Evidence]
    ungrounded: int = 0
    unknown_indicator: int = 0


def utterance_index(transcripts: Iterable[Transcript]) -> dict[tuple[str, int], Utterance]:
    return {(u.source, u.line): u for t in transcripts for u in t.utterances}


def check_evidence(evidence: Sequence[Evidence], transcripts: Sequence[Transcript],
                   pack: FrameworkPack) -> CheckResult:
    where = utterance_index(transcripts)
    indicators = pack.indicators()
    result = CheckResult(kept=[])
    for item in evidence:
        utterance = where.get((item.source, item.line))
        if utterance is None or not quote_in(item.quote, utterance.text):
            result.ungrounded += 1
            continue
        if item.indicator_id is not None and item.indicator_id not in indicators:
            result.unknown_indicator += 1
            continue
        dimension = indicators[item.indicator_id][0].id if item.indicator_id else item.dimension
        # Speaker and role come from the transcript, never from the proposer.
        result.kept.append(item.model_copy(update={
            "speaker": utterance.speaker, "role": utterance.role, "dimension": dimension,
        }))
    return result
