"""Pick a renderer by format name."""

from __future__ import annotations

from agent.assessment.model import Assessment
from agent.errors import UserError


def render(assessment: Assessment, fmt: str) -> str:
    if fmt == "json":
        return assessment.model_dump_json(indent=2)
    if fmt == "md":
        from agent.reports.markdown import render_markdown

        return render_markdown(assessment)
    raise UserError(f"unknown format {fmt!r}; use json or md")
