"""Pick a renderer by format name."""

from __future__ import annotations

from agent.assessment.model import Assessment
from agent.errors import UserError

FORMATS = ("json", "md", "html", "csv")


def render(assessment: Assessment, fmt: str) -> str:
    if fmt == "json":
        return assessment.model_dump_json(indent=2)
    if fmt == "md":
        from agent.reports.markdown import render_markdown

        return render_markdown(assessment)
    if fmt == "html":
        from agent.reports.html import render_html

        return render_html(assessment)
    if fmt == "csv":
        from agent.reports.csv import render_csv

        return render_csv(assessment)
    raise UserError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
