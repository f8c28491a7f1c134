"""The client-facing sections every report opens with: the executive summary, and (further
down) the documents to request. One function per section and format."""

from __future__ import annotations

from agent.assessment.model import Assessment, DocumentRequest, ToVerify
from agent.reports.htmlkit import el, esc
from agent.reports.summary import executive_summary, phrased_summary

PHRASED_NOTE = ("Phrased by the model from the assessment's facts; every figure and level "
                "in it was checked against the assessment.")


def summary_markdown(a: Assessment) -> list[str]:
    out = ["## Executive summary", ""]
    if (text := phrased_summary(a)) is not None:
        return [*out, text, "", f"_{PHRASED_NOTE}_", ""]
    out += [f"- **{p.label}.** {p.text}" for p in executive_summary(a)]
    return [*out, ""]


def summary_html(a: Assessment) -> str:
    if (text := phrased_summary(a)) is not None:
        return el("section", el("h2", "Executive summary"), el("p", esc(PHRASED_NOTE),
                                                                class_="lead"),
                  el("p", esc(text), class_="summary"), class_="card keep", id="summary")
    items = [el("li", el("b", esc(p.label)), " ", esc(p.text)) for p in executive_summary(a)]
    return el("section", el("h2", "Executive summary"),
              el("p", "Written from the assessment below; every figure is in it.",
                 class_="lead"),
              el("ul", *items, class_="summary"), class_="card keep", id="summary")


def document_requests(a: Assessment) -> list[tuple[str, ToVerify]]:
    """Every indicator still to verify, as (dimension name, item), weakest dimension first.

    These come from the assessment's ``to_verify`` lists: the next level's indicators
    nobody spoke of, and the inferred ones a level rests on.
    """
    order = sorted(a.dimensions, key=lambda d: d.level or 0)
    return [(d.name or d.id, t) for d in order for t in d.to_verify]


def _key(r: DocumentRequest) -> tuple[str, str]:
    return (r.dimension, r.indicator_id or r.asked)


def unanswered_documents(a: Assessment) -> list[DocumentRequest]:
    """Interview follow-ups that asked for a document and got none, once per indicator; an
    indicator someone later named a document for is left out."""
    named = {_key(r) for r in a.requested_documents if r.answered}
    out: dict[tuple[str, str], DocumentRequest] = {}
    for r in a.requested_documents:
        if not r.answered and _key(r) not in named:
            out.setdefault(_key(r), r)
    return list(out.values())


def _split_unanswered(a: Assessment) -> tuple[dict[tuple[str, str], DocumentRequest],
                                              list[DocumentRequest]]:
    """The unanswered follow-ups on an indicator already to verify (noted on its row), and
    the rest (rows of their own): each document is asked for once."""
    verify = {(d.id, t.indicator_id) for d in a.dimensions for t in d.to_verify}
    on_rows = {_key(r): r for r in unanswered_documents(a) if _key(r) in verify}
    rest = [r for r in unanswered_documents(a) if _key(r) not in verify]
    return on_rows, rest


def _asked_note(r: DocumentRequest) -> str:
    who = f" ({r.asked_of})" if r.asked_of else ""
    excerpt = r.answer_excerpt.rstrip(" .")
    said = f": \u201c{excerpt}\u201d" if excerpt else " (no answer)"
    return f"Asked in the interview{who}; no document named{said}"


def _indicator_text(a: Assessment, r: DocumentRequest) -> str:
    for d in a.dimensions:
        for s in d.indicators:
            if d.id == r.dimension and s.id == r.indicator_id:
                return s.text
    return ""


def _dimension_name(a: Assessment, dimension: str) -> str:
    return next((d.name or d.id for d in a.dimensions if d.id == dimension), dimension)


LEAD = ("Ask the client for the document, dashboard or record that shows each of these; "
        "an indicator counts only once someone can point to it.")
ASKED_TITLE = "Asked for in the interview, not yet shown"
ASKED_LEAD = ("Follow-ups that asked for a document, where the answer named no link, file, "
              "ticket, tool or titled document.")


def requests_markdown(a: Assessment) -> list[str]:
    items = document_requests(a)
    on_rows, rest = _split_unanswered(a)
    if not items and not rest:
        return []
    out = ["## Documents to request", "", LEAD, ""]
    if items:
        out += ["| Dimension | Level | What would show it | Question | Why |",
                "|---|---|---|---|---|"]
    dims = {d.name or d.id: d.id for d in a.dimensions}
    for name, t in items:
        asked = on_rows.get((dims.get(name, name), t.indicator_id))
        why = t.why + (f" {_asked_note(asked)}." if asked else "")
        out.append(f"| {name} | {t.level} | {_cell(t.text)} (`{t.indicator_id}`) | "
                   f"{_cell(t.question) or '—'} | {_cell(why)} |")
    if rest:
        out += ["", f"### {ASKED_TITLE}", "", ASKED_LEAD, "",
                "| Dimension | What would show it | Asked | Answer so far |", "|---|---|---|---|"]
        for r in rest:
            shows = _indicator_text(a, r)
            ref = f" (`{r.indicator_id}`)" if r.indicator_id else ""
            answer = (f"{r.asked_of}: " if r.asked_of else "") + (r.answer_excerpt or "(none)")
            out.append(f"| {_dimension_name(a, r.dimension)} | {_cell(shows) or '—'}{ref} | "
                       f"{_cell(r.asked)} | {_cell(answer)} |")
    return [*out, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def requests_html(a: Assessment) -> str:
    items = document_requests(a)
    on_rows, rest = _split_unanswered(a)
    if not items and not rest:
        return ""
    dims = {d.name or d.id: d.id for d in a.dimensions}
    parts = [el("h2", "Documents to request"), el("p", esc(LEAD), class_="lead")]
    if items:
        head = el("tr", *(el("th", h) for h in ("Dimension", "What would show it",
                                                "Question to ask", "Why")))
        rows = []
        for name, t in items:
            asked = on_rows.get((dims.get(name, name), t.indicator_id))
            note = el("div", esc(_asked_note(asked) + "."), class_="small") if asked else ""
            rows.append(el("tr", el("td", el("b", esc(name)),
                                    el("div", esc(f"level {t.level}"), class_="small")),
                           el("td", esc(t.text), " ", el("code", esc(t.indicator_id))),
                           el("td", esc(t.question or "–")),
                           el("td", esc(t.why), note, class_="small")))
        parts.append(el("table", el("thead", head), el("tbody", *rows), class_="requests"))
    if rest:
        head = el("tr", *(el("th", h) for h in ("Dimension", "What would show it", "Asked",
                                                "Answer so far")))
        rows = [el("tr", el("td", el("b", esc(_dimension_name(a, r.dimension)))),
                   el("td", esc(_indicator_text(a, r) or "–"), " ",
                      el("code", esc(r.indicator_id)) if r.indicator_id else ""),
                   el("td", esc(r.asked)),
                   el("td", el("b", esc(r.asked_of)) + " " if r.asked_of else "",
                      esc(r.answer_excerpt or "(none)"), class_="small"))
                for r in rest]
        parts += [el("h3", esc(ASKED_TITLE), id="requests-asked"),
                  el("p", esc(ASKED_LEAD), class_="lead"),
                  el("table", el("thead", head), el("tbody", *rows), class_="requests")]
    return el("section", *parts, class_="card long", id="requests")
