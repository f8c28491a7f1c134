"""Cited evidence against the sentence gold: precision, recall, and intervals by transcript.

An engine's quote (a clause, a sentence or a whole turn) is matched to the gold sentences
of the same utterance that it overlaps. A cited item is **right** when one of them was
labelled with the same indicator and stance, **defensible** when right or the indicator is
in that sentence's ``also_ok``. An item on a line with no gold sentence (a facilitator's
or a bot's line) is wrong. **Recall** is the share of the gold (sentence, indicator,
stance) triples that some factual item cites.

Sentences within a transcript are not independent, so intervals come from a bootstrap
over cases (clustered by transcript), and the gate compares runs by the paired
difference per case.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from agent.assessment.checks import fold
from agent.assessment.model import Assessment, Evidence
from agent.evals.dataset import EvalCase
from agent.evals.sentence_gold import GoldSentence, SentenceGold

BOOTSTRAP = 1000


@dataclass
class EvidenceCounts:
    cited: int = 0
    right: int = 0
    defensible: int = 0
    gold: int = 0
    found: int = 0
    off_gold: int = 0  # cited from lines no stakeholder sentence is on

    def add(self, other: EvidenceCounts) -> EvidenceCounts:
        return EvidenceCounts(*(a + b for a, b in zip(astuple(self), astuple(other),
                                                       strict=True)))


def _overlaps(quote: str, sentence: str) -> bool:
    q, s = fold(quote).lower(), fold(sentence).lower()
    return bool(q) and (q in s or s in q)


def match(e: Evidence, by_line: dict[tuple[str, int], list[GoldSentence]]) -> list[GoldSentence]:
    return [s for s in by_line.get((e.source, e.line), []) if _overlaps(e.quote, s.text)]


def counts(assessment: Assessment, gold: SentenceGold, case: EvalCase) -> EvidenceCounts:
    absolute = case.sources()
    by_line: dict[tuple[str, int], list[GoldSentence]] = {}
    for s in gold.sentences:
        by_line.setdefault((absolute[s.source], s.line), []).append(s)
    cited = [e for d in assessment.dimensions for e in d.evidence
             if e.strength != "claim" and e.indicator_id]
    c = EvidenceCounts(cited=len(cited))
    found: set[tuple[str, str, str]] = set()
    for e in cited:
        hits = match(e, by_line)
        if not by_line.get((e.source, e.line)):
            c.off_gold += 1
        labelled = [s for s in hits if e.indicator_id in
                    (s.supports if e.stance == "supports" else s.contradicts)]
        c.right += bool(labelled)
        c.defensible += bool(labelled) or any(e.indicator_id in s.also_ok for s in hits)
        found |= {(s.id, str(e.indicator_id), e.stance) for s in labelled}
    c.gold = sum(len(s.supports) + len(s.contradicts) for s in gold.sentences)
    c.found = len(found)
    return c


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def summary(per_case: Sequence[EvidenceCounts], seed: int = 0) -> dict[str, float]:
    total = EvidenceCounts()
    for c in per_case:
        total = total.add(c)
    out = {"cases": float(len(per_case)), "cited": float(total.cited),
           "precision": _ratio(total.right, total.cited),
           "defensible": _ratio(total.defensible, total.cited),
           "recall": _ratio(total.found, total.gold), "off_gold": float(total.off_gold)}
    for name, num, den in (("precision", "right", "cited"), ("recall", "found", "gold")):
        low, high = interval(per_case, num, den, seed)
        out[f"{name}_low"], out[f"{name}_high"] = low, high
    return out


def interval(per_case: Sequence[EvidenceCounts], num: str, den: str,
             seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of the pooled ratio, resampling whole cases."""
    if not per_case:
        return 1.0, 1.0
    rng = random.Random(seed)
    values = []
    for _ in range(BOOTSTRAP):
        sample = [rng.choice(per_case) for _ in per_case]
        n, d = sum(getattr(c, num) for c in sample), sum(getattr(c, den) for c in sample)
        values.append(n / d if d else 1.0)
    values.sort()
    return round(values[int(0.025 * BOOTSTRAP)], 4), round(values[int(0.975 * BOOTSTRAP) - 1], 4)


def paired_difference(old: dict[str, dict[str, int]], new: dict[str, dict[str, int]],
                      num: str, den: str, seed: int = 0) -> tuple[float, float, float]:
    """Mean and 95% interval of (new - old) pooled ratio over the cases both ran."""
    ids = sorted(old.keys() & new.keys())
    if not ids:
        return 0.0, 0.0, 0.0

    def ratio(table: dict[str, dict[str, int]], sample: Sequence[str]) -> float:
        d = sum(table[i][den] for i in sample)
        return sum(table[i][num] for i in sample) / d if d else 1.0

    rng = random.Random(seed)
    diffs = []
    for _ in range(BOOTSTRAP):
        sample = [rng.choice(ids) for _ in ids]
        diffs.append(ratio(new, sample) - ratio(old, sample))
    diffs.sort()
    point = ratio(new, ids) - ratio(old, ids)
    return (round(point, 4), round(diffs[int(0.025 * BOOTSTRAP)], 4),
            round(diffs[int(0.975 * BOOTSTRAP) - 1], 4))
