"""The line every report shows for a dimension whose level a reviewer set."""

from __future__ import annotations

from agent.assessment.model import DimensionResult


def override_note(d: DimensionResult) -> str:
    """"Level set by reviewer: 3, because …", with who, when and the machine's proposal
    beside it; empty when the level is the machine's."""
    o = d.override
    if o is None:
        return ""
    proposed = "no level" if o.proposed is None else f"level {o.proposed}"
    when = f", {o.at[:10]}" if o.at else ""
    reason = o.reason.rstrip(".")
    return (f"Level set by reviewer: {o.level}, because {reason} ({o.by}{when}; "
            f"the machine proposed {proposed}).")
