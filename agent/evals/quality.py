"""Per-case quality figures beyond agreement: citations, adversarial lift, cost, latency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.assessment.checks import fold
from agent.assessment.model import Assessment
from agent.evals.metrics import Pair
from agent.knowledge.chunks import Chunk


def citation_counts(assessment: Assessment, chunks: dict[str, Chunk]) -> tuple[int, int]:
    """(valid, total) citations: the chunk exists and the cited text is part of it."""
    total = valid = 0
    for dim in assessment.dimensions:
        for c in dim.citations:
            total += 1
            chunk = chunks.get(c.chunk_id)
            valid += bool(chunk and fold(c.text) in fold(chunk.text))
    return valid, total


def raised_above_gold(pairs: Sequence[Pair]) -> int:
    """Labels scored higher than gold, a null gold scored at all counting as raised."""
    return sum(1 for g, p in pairs if p is not None and (g is None or p > g))


def usage_row(assessment: Assessment, seconds: float) -> dict[str, Any]:
    s = assessment.stats
    return {"prompt_tokens": s.prompt_tokens, "completion_tokens": s.completion_tokens,
            "cost_usd": round(s.cost_usd, 6), "seconds": round(seconds, 3)}
