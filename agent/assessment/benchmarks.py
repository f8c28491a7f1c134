"""Place an assessment against an industry's typical range (``--industry``).

The ranges come from a pack's benchmarks: the assessed pack's own when it has them,
else the enterprise-ai pack's, with each dimension's level translated through the
crosswalk into that framework's levels (a range, because frameworks measure different
things). A dimension is ``below``, ``within`` or ``above`` the typical range, or at the
``leading`` edge; with a translated range, any overlap with the typical range counts as
within.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from agent.assessment.model import BenchmarkPlacement, BenchmarkView, DimensionResult, Position
from agent.errors import UserError
from agent.knowledge.schema import Benchmark, Crosswalk, FrameworkPack

BENCHMARK_FRAMEWORK = "enterprise-ai"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _close(typed: str, word: str) -> bool:
    """'fin' -> financial, 'finance' -> financial (a shared stem of five letters or more)."""
    shared = next((n for n, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b),
                  min(len(typed), len(word)))
    return word.startswith(typed) or shared >= 5


def find_benchmark(benchmarks: Sequence[Benchmark], name: str) -> Benchmark:
    """The benchmark whose industry or id best matches what the user typed.

    Every word typed must start a word of the industry name or id ("finance",
    "financial services", "saas", "public sector" all work); ambiguity is an error.
    """
    wanted = _words(name)
    if not wanted:
        raise UserError("--industry needs a name, e.g. 'financial services'")
    matches = []
    for b in benchmarks:
        words = _words(b.industry) + _words(b.id.removeprefix("benchmark."))
        words += [x + y for x, y in itertools.pairwise(words)]  # "e commerce"
        if all(any(_close(x, w) for w in words) for x in wanted):
            matches.append(b)
    choices = "; ".join(b.industry for b in benchmarks)
    if not matches:
        raise UserError(f"unknown industry {name!r}; choose one of: {choices}")
    if len(matches) > 1:
        names = "; ".join(b.industry for b in matches)
        raise UserError(f"industry {name!r} matches several ({names}); be more specific")
    return matches[0]


def benchmark_view(pack: FrameworkPack, dimensions: Sequence[DimensionResult], industry: str,
                   packs: Sequence[FrameworkPack], crosswalk: Crosswalk) -> BenchmarkView:
    source = pack if pack.benchmarks else _benchmark_pack(packs)
    mapping = None
    if source.id != pack.id:
        mapping = next((m for m in crosswalk.mappings
                        if m.source == pack.id and m.target == source.id), None)
        if mapping is None:
            raise UserError(f"no industry benchmarks for {pack.id} and no crosswalk to "
                            f"{source.id}; score with --framework {source.id}")
    bench = find_benchmark(source.benchmarks, industry)
    placements = []
    for d in dimensions:
        if d.level is None:
            compared: list[int] = []
        else:
            compared = mapping.levels.get(d.level, []) if mapping else [d.level]
        placements.append(BenchmarkPlacement(dimension=d.id, level=d.level, compared=compared,
                                             position=_position(compared, bench)))
    return BenchmarkView(
        id=bench.id, chunk_id=f"{source.id}:{bench.id}", framework=source.id,
        industry=bench.industry, typical_min=bench.typical_min, typical_max=bench.typical_max,
        leading_edge=bench.leading_edge, constraint=bench.constraint,
        strongest_dimension=bench.strongest_dimension, mapped=mapping is not None,
        placements=placements, summary=_summary(bench, placements))


def _benchmark_pack(packs: Sequence[FrameworkPack]) -> FrameworkPack:
    for p in packs:
        if p.id == BENCHMARK_FRAMEWORK:
            return p
    raise UserError(f"industry benchmarks need the {BENCHMARK_FRAMEWORK} pack, which is missing")


def _position(levels: list[int], b: Benchmark) -> Position:
    if not levels:
        return "unknown"
    low, high = min(levels), max(levels)
    if low >= b.leading_edge:
        return "leading"
    if high < b.typical_min:
        return "below"
    if low > b.typical_max:
        return "above"
    return "within"


def _summary(b: Benchmark, placements: list[BenchmarkPlacement]) -> str:
    counts: dict[str, list[str]] = {}
    for p in placements:
        counts.setdefault(p.position, []).append(p.dimension)
    parts = [f"{len(dims)} {pos} ({', '.join(dims)})"
             for pos in ("leading", "above", "within", "below", "unknown")
             if (dims := counts.get(pos))]
    return (f"{b.industry} typically sits at level {b.typical_min}-{b.typical_max} (leading "
            f"edge {b.leading_edge}). Dimensions: " + "; ".join(parts) + ".")
