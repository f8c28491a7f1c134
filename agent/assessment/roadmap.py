"""The next steps per dimension, from the pack's advancement roadmap, in the order to take them.

For each dimension below the top, the actions are the steps of the pack's next
transition that name the dimension; where that transition has no step for it, the
unmet indicators of the next level are the actions (they are what blocks the level).

Order: by urgency, the gap to the target level times the dimension's weight, so the
dimensions furthest behind go first and, at equal gap, the foundations the seeds name
(data, governance, strategy weigh more in enterprise-ai) go before the rest. The target
is the top of the industry's typical range with ``--industry``, else the strongest
dimension's level (at least one above the weakest): an uneven profile is levelled up
before anything is pushed further. A step serving several dimensions appears once, at
its most urgent place. Every item cites its chunk.

Nothing already done is recommended: a step whose indicators are evidenced or inferred
(a bank with an exec-endorsed strategy is not told to write one) is left out, and so is
an unmet-indicator action that is in fact shown. Steps do not name their indicators in
the packs, so ``step_indicators`` reads them off: the indicator whose id ends like the
step's, else the target level's indicators whose keywords the step's own words contain.
"""

from __future__ import annotations

import re

from agent.assessment.model import Assessment, DimensionResult, RoadmapItem
from agent.knowledge.schema import FrameworkPack, RoadmapStep, Transition

MAX_INDICATOR_ACTIONS = 3
#: Indicator states that mean the practice is in place: recommending it would be wrong.
IN_PLACE = frozenset({"evidenced", "inferred"})


def target_level(pack: FrameworkPack, assessment: Assessment) -> tuple[int, str]:
    """The level the roadmap aims each dimension at, and why that one."""
    bench = assessment.benchmark
    if bench is not None and not bench.mapped:
        return (min(bench.typical_max, pack.top_level),
                f"the top of the {bench.industry} typical range")
    levels = [d.level or 1 for d in assessment.dimensions] or [1]
    target = min(max(max(levels), min(levels) + 1), pack.top_level)
    return target, "the strongest dimension's level"


def build_roadmap(pack: FrameworkPack, assessment: Assessment) -> list[RoadmapItem]:
    target, reason = target_level(pack, assessment)
    order = {d.id: n for n, d in enumerate(pack.dimensions)}
    statuses: dict[str, str] = {s.id: s.status for d in assessment.dimensions
                                for s in d.indicators}
    ranked: list[tuple[tuple[float, int, float, int, int], RoadmapItem]] = []
    for result in assessment.dimensions:
        current = result.level or 1
        if current >= pack.top_level:
            continue
        for n, item in enumerate(_actions(pack, result, current, (target, reason),
                                          statuses)):
            key = (-item.urgency, current, -item.weight, order.get(result.id, 0), n)
            ranked.append((key, item))
    ranked.sort(key=lambda pair: pair[0])
    return _merge([item for _, item in ranked])


def step_indicators(pack: FrameworkPack, transition: Transition, step: RoadmapStep) -> list[str]:
    """The indicators a roadmap step puts in place (none when the pack's words do not say)."""
    table = pack.indicators()
    slug = step.id.rsplit(".", 1)[-1]
    named = [i for i, (dim, _, _) in table.items()
             if dim.id in step.dimensions and i.rsplit(".", 1)[-1] == slug]
    if named:
        return named
    words = " ".join(f"{step.title} {step.action}".lower().split())
    return [i for i, (dim, cell, ind) in table.items()
            if dim.id in step.dimensions and cell.level == transition.to_level
            and any(re.search(rf"\b{re.escape(k)}\b", words) for k in ind.keywords)]


def _in_place(indicators: list[str], statuses: dict[str, str]) -> bool:
    return bool(indicators) and all(statuses.get(i) in IN_PLACE for i in indicators)


def _actions(pack: FrameworkPack, result: DimensionResult, current: int,
             aim: tuple[int, str], statuses: dict[str, str]) -> list[RoadmapItem]:
    target = aim[0]
    weight = pack.dimension(result.id).weight
    gap = max(target - current, 0)
    base = RoadmapItem(dimension=result.id, from_level=current, to_level=current + 1,
                       gap=gap, weight=weight, urgency=round(gap * weight, 2),
                       why=_why(result, current, aim, gap, weight), action="", chunk_id="")
    transition = next((t for t in pack.roadmap if t.from_level == current), None)
    steps = [s for s in transition.steps if result.id in s.dimensions] if transition else []
    done = [s for s in steps if transition and _in_place(
        step_indicators(pack, transition, s), statuses)]
    steps = [s for s in steps if s not in done]
    if steps:
        return [base.model_copy(update={
            "action": f"{s.title}: {' '.join(s.action.split())}", "title": s.title,
            "chunk_id": f"{pack.id}:{s.id}", "dimensions": list(s.dimensions)}) for s in steps]
    table = pack.indicators()
    missing = [i for i in result.missing_indicators
               if i in table and statuses.get(i) not in IN_PLACE][:MAX_INDICATOR_ACTIONS]
    if done:
        titles = "; ".join(s.title for s in done)
        base = base.model_copy(update={
            "why": f"{base.why}; the framework's own step(s) are already in place ({titles})"})
    return [base.model_copy(update={
        "kind": "indicator", "title": f"Close a level {current + 1} gap",
        "action": " ".join(table[i][2].text.split()), "chunk_id": f"{pack.id}:{i}",
        "dimensions": [result.id]}) for i in missing]


def _why(result: DimensionResult, current: int, aim: tuple[int, str], gap: int,
         weight: float) -> str:
    target, reason = aim
    name = result.name or result.id
    level = f"level {current}" if result.level is not None else "no evidence yet (taken as 1)"
    if gap == 0:
        return f"{name} is at {level}, already at the target {target} ({reason}): refine later"
    return (f"{name} is at {level}, {gap} below the target {target} ({reason}); "
            f"dimension weight {weight:g}")


def _merge(items: list[RoadmapItem]) -> list[RoadmapItem]:
    """One item per chunk, at its most urgent place, then numbered."""
    seen: set[str] = set()
    out: list[RoadmapItem] = []
    for item in items:
        if item.chunk_id in seen:
            continue
        seen.add(item.chunk_id)
        out.append(item.model_copy(update={"priority": len(out) + 1}))
    return out
