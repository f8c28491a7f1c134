"""Is a real quote about the indicator it is credited to? A code check, not the model's word.

Grounding proves a quote exists; it does not prove the quote shows what it is credited
with. Embedding similarity cannot prove that either: measured on the sentence gold, a
correct quote is often worded nothing like its indicator (a tenth of correct credits score
below 0.12, where a quote pinned on a wrong indicator of the same dimension scores 0.18 at
the median), so a similarity bar that stops misplaced credits also throws away most of the
right ones. The check therefore only disposes of what is plainly wrong:

- a quote about nothing in the pack (relevance below ``floor``);
- a quote far more plainly about another dimension than about the one it is credited to
  (its best indicator elsewhere beats every indicator of its own dimension by more than
  ``dimension_margin``);
- more than ``max_credits`` indicators credited with the same quote (one statement cannot
  carry a whole dimension), keeping the most relevant;
- a second credit of one sentence to the same indicator with the same stance (a clause of
  a sentence already credited adds nothing; the strongest reading is kept).

Relevance is cosine similarity of the quote and the indicator text (vectors of the
knowledge index, same embedder) plus a small bonus per indicator keyword, recorded on each
kept item. What fails is dropped and counted (``irrelevant_dropped``); items without an
indicator id, or with ids the pack does not know (``check_evidence`` counts those), pass
through. The level rule, not this check, keeps claims and plans from counting.
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
    """Chosen on the tuning part of the sentence gold (``maturity eval`` reports the share
    of gold evidence the checks keep): these keep at least 95% of it."""

    floor: float = 0.0
    dimension_margin: float = 0.25
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
        dim_cols: dict[str, list[int]] = {}
        for j, ind in enumerate(ids):
            dim_cols.setdefault(table[ind][0].id, []).append(j)
        for e in credited:
            r = row[fold(e.quote)]
            value = float(scores[r, col[str(e.indicator_id)]])
            own = float(scores[r, dim_cols[table[str(e.indicator_id)][0].id]].max())
            if value < s.floor or own < float(scores[r].max()) - s.dimension_margin:
                dropped.append(e)
            else:
                scored.append((value, e.model_copy(update={"relevance": round(value, 3)})))
        passed, repeated = _one_credit_per_sentence(scored)
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


def _one_credit_per_sentence(scored: Scored) -> tuple[Scored, list[Evidence]]:
    """One credit per quote, indicator and stance: a quote inside another quote of the same
    utterance (a clause of a sentence already credited) adds nothing."""
    best: dict[tuple[str, int, str, str | None, str], tuple[float, Evidence]] = {}
    repeated: list[Evidence] = []
    quotes: dict[tuple[str, int], set[str]] = {}
    for _, e in scored:
        quotes.setdefault((e.source, e.line), set()).add(fold(e.quote))
    for value, e in scored:
        mine = fold(e.quote)
        whole = max((q for q in quotes[(e.source, e.line)] if mine in q), key=len)
        key = (e.source, e.line, whole, e.indicator_id, e.stance)
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
