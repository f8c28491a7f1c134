"""Equivalent levels in the other frameworks, through ``knowledge/crosswalk.yaml``.

The crosswalk maps framework levels, not dimension levels, so the overall reading uses
the median dimension level (the lower median: the seeds' scoring is conservative), and
the per-dimension readings are indicative only: a dimension's level mapped as if it
were the organisation's.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.assessment.model import CrosswalkLevels, DimensionResult
from agent.knowledge.schema import Crosswalk, FrameworkPack


def crosswalk_view(pack: FrameworkPack, dimensions: Sequence[DimensionResult],
                   crosswalk: Crosswalk, packs: Sequence[FrameworkPack]) -> list[CrosswalkLevels]:
    names = {p.id: p for p in packs}
    scored = sorted(d.level for d in dimensions if d.level is not None)
    overall_from = scored[(len(scored) - 1) // 2] if scored else None
    out = []
    for mapping in crosswalk.mappings:
        if mapping.source != pack.id:
            continue
        target = names.get(mapping.target)
        overall = mapping.levels.get(overall_from, []) if overall_from is not None else []
        out.append(CrosswalkLevels(
            target=mapping.target,
            target_name=target.name if target else mapping.target,
            levels={d.id: mapping.levels.get(d.level, []) if d.level is not None else []
                    for d in dimensions},
            overall_from=overall_from,
            overall=overall,
            overall_names=[target.level_name(n) for n in overall
                           if target and n <= target.top_level],
            rationale=" ".join(mapping.rationale.split()),
        ))
    return out
