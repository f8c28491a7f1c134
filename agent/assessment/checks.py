"""Checks every proposed evidence item must pass before the rubric sees it.

Whatever proposed it (rules or an LLM), an item is kept only if its quote occurs
verbatim (whitespace folded) in the utterance its source and line point at, and its
indicator id exists in the pack. What fails is dropped and counted, never repaired.

One thing only the utterance around a quote shows: a quote that lies mostly inside a
quoted passage naming a maturity level ('"Level 5 - Closed-loop and governed. Every system has
named owners..." That's us.') restates a framework or a brochure. It is kept, as a
claim, whatever strength was proposed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.assessment.model import Evidence
from agent.knowledge.schema import FrameworkPack
from agent.transcripts.model import Transcript, Utterance

_SPACE = re.compile(r"\s+")
# Quoted passages of 15+ characters: "...", “...”, or '...' not glued to letters
# (so apostrophes in "it's" open nothing).
_QUOTED = re.compile(r'"([^"]{15,})"|\u201c([^\u201d]{15,})\u201d'
                     r"|(?<![A-Za-z])'([^']{15,})'(?![A-Za-z])")
_LEVEL_LABEL = re.compile(r"\b(?:level|stage|tier)\s*(?:[1-9]|one|two|three|four|five)\b", re.I)
ECHO = "restates a maturity framework's level description (quoted), not evidence"


def fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def quote_in(quote: str, text: str) -> bool:
    folded = fold(quote)
    return bool(folded) and folded in fold(text)


def framework_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of the quoted passages in ``text`` that name a maturity level."""
    return [m.span() for m in _QUOTED.finditer(text) if _LEVEL_LABEL.search(m.group(0))]


def in_framework_quote(quote: str, text: str) -> bool:
    """Whether most of ``quote`` lies inside quoted level descriptions of ``text``."""
    if not framework_quotes(text):
        return False
    text, quote = fold(text), fold(quote)
    at = text.find(quote)
    if at < 0 or not quote:
        return False
    inside = sum(max(0, min(b, at + len(quote)) - max(a, at)) for a, b in framework_quotes(text))
    return inside * 2 >= len(quote)


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
        update: dict[str, object] = {
            "speaker": utterance.speaker, "role": utterance.role,
            "role_category": utterance.role_category, "dimension": dimension}
        if item.strength != "claim" and in_framework_quote(item.quote, utterance.text):
            update.update(strength="claim", reason=ECHO)
        result.kept.append(item.model_copy(update=update))
    return result
