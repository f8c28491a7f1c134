"""Score each track of a pack (classical ML, LLM) separately and show the gap.

An indicator tagged with a track counts only for that track; untagged indicators count
for both (the mlops-llmops seed's rule). A track's level uses the same level rule as the
pooled level (agent.assessment.rubric), over the indicators that apply to it; the pooled
level is the weaker of the tracks spoken about. A track with no evidence on any of its
own indicators is reported as not evidenced rather than borrowing the untagged indicators' level: it
would otherwise look as mature as the other track by default.
"""

from __future__ import annotations

from agent.assessment.model import DimensionResult, TrackResult, TrackView
from agent.assessment.rubric import track_level
from agent.knowledge.schema import FrameworkPack


def track_view(pack: FrameworkPack, dimensions: list[DimensionResult]) -> TrackView | None:
    if len(pack.tracks) < 2:
        return None
    track_of = {ind_id: ind.track for ind_id, (_, _, ind) in pack.indicators().items()}
    results = []
    for track in pack.tracks:
        evidenced = any(track_of.get(e.indicator_id or "") == track.id and e.strength != "claim"
                        for d in dimensions for e in d.evidence)
        levels = {d.id: (track_level(pack.dimension(d.id), d.evidence, track.id, track_of)
                         if evidenced else None)
                  for d in dimensions}
        results.append(TrackResult(id=track.id, name=track.name, levels=levels,
                                   evidenced=evidenced))
    first, second = results[0], results[1]
    gaps = {d.id: _difference(first.levels[d.id], second.levels[d.id]) for d in dimensions}
    return TrackView(tracks=results, gaps=gaps, summary=_summary(first, second, gaps))


def _difference(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _summary(first: TrackResult, second: TrackResult, gaps: dict[str, int | None]) -> str:
    for track in (first, second):
        if not track.evidenced:
            return (f"No evidence specific to the {track.name} track: ask about it before "
                    "reading the other track's levels as the organisation's.")
    known = {d: g for d, g in gaps.items() if g is not None}
    ahead = [d for d, g in known.items() if g > 0]
    behind = [d for d, g in known.items() if g < 0]
    if not ahead and not behind:
        return f"{first.name} and {second.name} are level on every dimension scored."
    parts = []
    if ahead:
        parts.append(f"{first.name} leads {second.name} on {', '.join(ahead)} "
                     f"(by up to {max(known[d] for d in ahead)})")
    if behind:
        parts.append(f"{second.name} leads {first.name} on {', '.join(behind)} "
                     f"(by up to {max(-known[d] for d in behind)})")
    return "; ".join(parts) + "."
