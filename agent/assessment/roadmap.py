"""The next steps per dimension, taken from the pack's advancement roadmap.

Lower levels go first (foundations before refinements, as the seeds advise); at equal
level, heavier dimensions (data, governance, strategy in enterprise-ai) go first.
"""

from __future__ import annotations

from agent.assessment.model import Assessment, RoadmapItem
from agent.knowledge.schema import FrameworkPack


def build_roadmap(pack: FrameworkPack, assessment: Assessment) -> list[RoadmapItem]:
    items: list[tuple[tuple[int, float, int], RoadmapItem]] = []
    for result in assessment.dimensions:
        current = result.level or 1
        if current >= pack.top_level:
            continue
        weight = pack.dimension(result.id).weight
        for transition in pack.roadmap:
            if transition.from_level != current:
                continue
            for n, step in enumerate(transition.steps):
                if result.id in step.dimensions:
                    item = RoadmapItem(dimension=result.id, to_level=transition.to_level,
                                       action=f"{step.title}: {step.action}",
                                       chunk_id=f"{pack.id}:{step.id}")
                    items.append(((current, -weight, n), item))
    items.sort(key=lambda p: p[0])
    out = []
    for priority, (_, item) in enumerate(items, start=1):
        out.append(item.model_copy(update={"priority": priority}))
    return out
