"""The client-facing sections every report opens with: the executive summary, and (further
down) the documents to request. One function per section and format."""

from __future__ import annotations

from agent.assessment.model import Assessment, ToVerify
from agent.reports.htmlkit import el, esc
from agent.reports.summary import executive_summary


def summary_markdown(a: Assessment) -> list[str]:
    out = ["## Executive summary", ""]
    out += [f"- **{p.label}.** {p.text}" for p in executive_summary(a)]
    return [*out, ""]


def summary_html(a: Assessment) -> str:
    items = [el("li", el("b", esc(p.label)), " ", esc(p.text)) for p in executive_summary(a)]
    return el("section", el("h2", "Executive summary"),
              el("p", "Written from the assessment below; every figure is in it.",
                 class_="lead"),
              el("ul", *items, class_="summary"), class_="card keep", id="summary")


def document_requests(a: Assessment) -> list[tuple[str, ToVerify]]:
    """Every indicator still to verify, as (dimension name, item), weakest dimension first.

    These come from the assessment's ``to_verify`` lists: the next level's indicators
    nobody spoke of, and the inferred ones a level rests on. (Follow-ups that asked for a
    document during an interview are not recorded in the assessment, so they cannot be
    listed here.)
    """
    order = sorted(a.dimensions, key=lambda d: d.level or 0)
    return [(d.name or d.id, t) for d in order for t in d.to_verify]


def requests_markdown(a: Assessment) -> list[str]:
    items = document_requests(a)
    if not items:
        return []
    out = ["## Documents to request", "",
           "Ask the client for the document, dashboard or record that shows each of these; "
           "an indicator counts only once someone can point to it.", "",
           "| Dimension | Level | What would show it | Question | Why |", "|---|---|---|---|---|"]
    for name, t in items:
        out.append(f"| {name} | {t.level} | {_cell(t.text)} (`{t.indicator_id}`) | "
                   f"{_cell(t.question) or '—'} | {_cell(t.why)} |")
    return [*out, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def requests_html(a: Assessment) -> str:
    items = document_requests(a)
    if not items:
        return ""
    head = el("tr", *(el("th", h) for h in ("Dimension", "What would show it",
                                            "Question to ask", "Why")))
    rows = [el("tr", el("td", el("b", esc(name)), el("div", esc(f"level {t.level}"),
                                                    class_="small")),
               el("td", esc(t.text), " ", el("code", esc(t.indicator_id))),
               el("td", esc(t.question or "–")), el("td", esc(t.why), class_="small"))
            for name, t in items]
    return el("section", el("h2", "Documents to request"),
              el("p", "Ask for the document, dashboard or record that shows each of these; "
                 "an indicator counts only once someone can point to it.", class_="lead"),
              el("table", el("thead", head), el("tbody", *rows), class_="requests"),
              class_="card long", id="requests")
