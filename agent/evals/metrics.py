"""Agreement metrics between predicted and gold levels. ``None`` means "not scored".

Levels are compared where both sides scored; null handling is measured separately
(null precision and recall), so a model cannot look good by refusing to score.
"""

from __future__ import annotations

from collections.abc import Sequence

Pair = tuple[int | None, int | None]  # (gold, predicted)


def exact(pairs: Sequence[Pair]) -> float:
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def within_one(pairs: Sequence[Pair]) -> float:
    def ok(g: int | None, p: int | None) -> bool:
        if g is None or p is None:
            return g is p
        return abs(g - p) <= 1

    return sum(ok(g, p) for g, p in pairs) / len(pairs) if pairs else 0.0


def _scored(pairs: Sequence[Pair]) -> list[tuple[int, int]]:
    return [(g, p) for g, p in pairs if g is not None and p is not None]


def mean_absolute_error(pairs: Sequence[Pair]) -> float:
    both = _scored(pairs)
    return sum(abs(g - p) for g, p in both) / len(both) if both else 0.0


def mean_signed_error(pairs: Sequence[Pair]) -> float:
    """Predicted minus gold: positive is the optimism the seeds warn about."""
    both = _scored(pairs)
    return sum(p - g for g, p in both) / len(both) if both else 0.0


def quadratic_weighted_kappa(pairs: Sequence[Pair], levels: int = 5) -> float:
    both = _scored(pairs)
    if not both:
        return 0.0
    n = levels
    observed = [[0.0] * n for _ in range(n)]
    for g, p in both:
        observed[g - 1][p - 1] += 1
    total = len(both)
    gold_hist = [sum(row) for row in observed]
    pred_hist = [sum(observed[i][j] for i in range(n)) for j in range(n)]
    num = den = 0.0
    for i in range(n):
        for j in range(n):
            w = (i - j) ** 2 / (n - 1) ** 2
            num += w * observed[i][j]
            den += w * gold_hist[i] * pred_hist[j] / total
    return 1.0 - num / den if den else 1.0


def null_precision_recall(pairs: Sequence[Pair]) -> tuple[float, float]:
    predicted_null = [g for g, p in pairs if p is None]
    gold_null = [p for g, p in pairs if g is None]
    hits = sum(1 for g, p in pairs if g is None and p is None)
    precision = hits / len(predicted_null) if predicted_null else 1.0
    recall = hits / len(gold_null) if gold_null else 1.0
    return precision, recall


def summary(pairs: Sequence[Pair], levels: int = 5) -> dict[str, float]:
    precision, recall = null_precision_recall(pairs)
    return {
        "n": len(pairs),
        "exact": round(exact(pairs), 3),
        "within_one": round(within_one(pairs), 3),
        "mae": round(mean_absolute_error(pairs), 3),
        "qwk": round(quadratic_weighted_kappa(pairs, levels), 3),
        "mean_signed_error": round(mean_signed_error(pairs), 3),
        "null_precision": round(precision, 3),
        "null_recall": round(recall, 3),
    }
