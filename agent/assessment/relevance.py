"""Is a real quote about the indicator it is credited to? A code check, not the model's word.

Grounding proves a quote exists; it does not prove the quote shows what it is credited
with. A proposer that pins true sentences on high-level indicators would otherwise lift
a score with real words. So every credited item is scored the way the offline engine
matches sentences: cosine similarity of the quote and the indicator text (vectors of the
knowledge index, same embedder) plus a small bonus per indicator keyword in the quote.
An item is kept only if

- its relevance reaches ``floor`` (the quote is about the indicator at all), and
- it is within ``margin`` of the quote's best indicator anywhere in the pack (the quote
  is not more plainly about something else), and
- it is among the ``max_credits`` most relevant indicators credited with the same
  quote (one statement cannot carry a whole dimension), and
- it is the only credit of its utterance to that indicator with that stance (saying it
  twice, or quoting two pieces of one answer, does not double the support; the
  strongest reading is kept).

What fails is dropped and counted (``irrelevant_dropped``); items without an indicator
id, or with ids the pack does not know (``check_evidence`` counts those), pass through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.assessment.checks import fold
from agent.assessment.model import Evidence
from agent.knowledge.schema import FrameworkPack
from agent.retrieval.index import KnowledgeIndex

_STRENGTH_ORDER = {"specific": 0, "general": 1, "claim": 2}


@dataclass(frozen=True)
class RelevanceSettings:
    """The offline engine's own matching thresholds (agent.engines.offline).

    Calibrated on the 23 gold cases (scratch script, not kept): every sentence the
    offline engine credits was re-pinned on every level-3+ indicator of its dimension,
    and on every indicator of its dimension, and run through this check and the rubric.
    With these values no dimension scored above the offline engine's level under either
    attack; without the check 169 and 204 of 258 did.
    """

    floor: float = 0.34
    margin: float = 0.15
    max_credits: int = 3
    keyword_bonus: float = 0.08
    keyword_cap: float = 0.16


@dataclass
class RelevanceResult:
    kept: list[Evidence]
    dropped: list[Evidence]


class RelevanceCheck:
    def __init__(self, index: KnowledgeIndex, settings: RelevanceSettings | None = None) -> None:
        self.index = index
        self.settings = settings or RelevanceSettings()

    def check(self, evidence: Sequence[Evidence], pack: FrameworkPack) -> RelevanceResult:
        table = pack.indicators()
        credited = [e for e in evidence if e.indicator_id in table]
        kept = [e for e in evidence if e.indicator_id not in table]
        if not credited:
            return RelevanceResult(kept, [])
        ids = list(table)
        quotes = sorted({fold(e.quote) for e in credited})
        scores = self.scores(quotes, pack, ids)
        row = {q: i for i, q in enumerate(quotes)}
        col = {ind: j for j, ind in enumerate(ids)}
        s = self.settings
        dropped: list[Evidence] = []
        scored: list[tuple[float, Evidence]] = []
        for e in credited:
            r = row[fold(e.quote)]
            value = float(scores[r, col[str(e.indicator_id)]])
            if value < s.floor or value < float(scores[r].max()) - s.margin:
                dropped.append(e)
            else:
                scored.append((value, e.model_copy(update={"relevance": round(value, 3)})))
        passed, repeated = _one_credit_per_utterance(scored)
        capped, over = _cap_per_quote(passed, s.max_credits)
        return RelevanceResult(kept + capped, dropped + repeated + over)

    def scores(self, texts: Sequence[str], pack: FrameworkPack, ids: Sequence[str]) -> np.ndarray:
        """Relevance of each text to each indicator: cosine plus a capped keyword bonus."""
        table = pack.indicators()
        vectors = self.index.vectors([f"{pack.id}:{i}" for i in ids])
        scores: np.ndarray = self.index.embedder.embed(list(texts)) @ vectors.T
        lowered = [t.lower() for t in texts]
        s = self.settings
        for j, ind_id in enumerate(ids):
            keywords = table[ind_id][2].keywords
            for i, text in enumerate(lowered):
                hits = sum(1 for k in keywords if k in text)
                if hits:
                    scores[i, j] += min(s.keyword_cap, s.keyword_bonus * hits)
        return scores


Scored = list[tuple[float, Evidence]]


def _one_credit_per_utterance(scored: Scored) -> tuple[Scored, list[Evidence]]:
    best: dict[tuple[str, int, str | None, str], tuple[float, Evidence]] = {}
    repeated: list[Evidence] = []
    for value, e in scored:
        key = (e.source, e.line, e.indicator_id, e.stance)
        old = best.get(key)
        if old is None:
            best[key] = (value, e)
            continue
        rank_new = (_STRENGTH_ORDER[e.strength], -value)
        rank_old = (_STRENGTH_ORDER[old[1].strength], -old[0])
        if rank_new < rank_old:
            repeated.append(old[1])
            best[key] = (value, e)
        else:
            repeated.append(e)
    return list(best.values()), repeated


def _cap_per_quote(scored: Scored, cap: int) -> tuple[list[Evidence], list[Evidence]]:
    """Keep the ``cap`` most relevant indicators credited with each quote.

    A quote inside another quote from the same utterance counts as that quote, so
    cutting a sentence into pieces does not multiply what it may carry.
    """
    quotes: dict[tuple[str, int], set[str]] = {}
    for _, e in scored:
        quotes.setdefault((e.source, e.line), set()).add(fold(e.quote))

    def whole(e: Evidence) -> tuple[str, int, str]:
        mine = fold(e.quote)
        return (e.source, e.line, max((q for q in quotes[(e.source, e.line)] if mine in q),
                                      key=lambda q: (len(q), q)))

    by_quote: dict[tuple[str, int, str], dict[str, float]] = {}
    for value, e in scored:
        indicators = by_quote.setdefault(whole(e), {})
        key = str(e.indicator_id)
        indicators[key] = max(value, indicators.get(key, value))
    allowed = {where: set(sorted(inds, key=lambda i: (-inds[i], i))[:cap])
               for where, inds in by_quote.items()}
    kept: list[Evidence] = []
    over: list[Evidence] = []
    for _, e in scored:
        (kept if str(e.indicator_id) in allowed[whole(e)] else over).append(e)
    return kept, over
