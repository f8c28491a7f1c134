"""The HTML report: one self-contained file people would rather read than the JSON.

Everything is inline (stylesheet, SVG charts); there is no script, no font, no image and
no URL, so the file opens offline, can be mailed as an attachment, and prints on A4.
"""

from __future__ import annotations

from agent.assessment.model import Assessment, Warning_
from agent.reports import client_sections as client
from agent.reports import html_sections as sec
from agent.reports.htmlkit import el, esc, pill
from agent.reports.style import CSS
from agent.reports.svg import Axis, radar


def render_html(a: Assessment) -> str:
    top = sec.top_level(a)
    body = [
        _hero(a, top),
        el("main",
           client.summary_html(a),
           _warnings(a.warnings),
           _profile(a, top),
           sec.stakeholders(a, top),
           sec.disagreements(a, top),
           sec.roadmap(a, top),
           client.requests_html(a),
           sec.benchmark(a, top),
           sec.tracks(a, top),
           sec.metrics(a, top),
           sec.crosswalk(a),
           sec.evidence(a, top),
           _footer(a)),
    ]
    title = f"AI maturity assessment: {a.framework_name or a.framework}"
    head = el("head", '<meta charset="utf-8" />',
              el("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", esc(title)), el("style", CSS))
    return "<!DOCTYPE html>\n" + el("html", head, el("body", *body), lang="en") + "\n"


def _hero(a: Assessment, top: int) -> str:
    people = [s for s in a.speakers if s.evidence_eligible]
    words = sum(s.words for s in a.sources)
    sources = ", ".join(s.source.rsplit("/", 1)[-1] for s in a.sources) or "no source"
    meta = (f"{a.created[:10]} · engine {a.engine} · {sources} ({words:,} words) · "
            f"{len(people)} stakeholder(s)")
    if a.prompt_version:
        meta += f" · prompt {a.prompt_version}"
    scored = [d.level for d in a.dimensions if d.level is not None]
    spread = (f"{min(scored)}–{max(scored)}" if scored and min(scored) != max(scored)
              else str(scored[0]) if scored else "–")
    names = (f"{_level_name(a, min(scored))} to {_level_name(a, max(scored))}"
             if scored and min(scored) != max(scored) else "")
    kpis = [
        (spread, f"levels across dimensions{f' ({names})' if names else ''}"),
        (f"{len(scored)}/{len(a.dimensions)}", "dimensions scored"),
        (str(a.stats.evidence), "evidence items, all quoted"),
        (str(len(a.disagreements)), "dimensions with disagreement"),
        (str(len(a.roadmap)), "next steps in the roadmap"),
    ]
    cards = "".join(el("div", el("b", esc(v)), el("span", esc(k)), class_="kpi")
                    for v, k in kpis)
    inner = el("div", el("div", "AI maturity assessment", class_="eyebrow"),
               el("h1", esc(a.framework_name or a.framework)), el("p", esc(meta), class_="meta"),
               el("div", cards, class_="kpis"), class_="inner")
    return el("header", inner, class_="hero")


def _level_name(a: Assessment, level: int) -> str:
    for d in a.dimensions:
        if d.level == level and d.level_name:
            return d.level_name
    return f"level {level}"


def _warnings(warnings: list[Warning_]) -> str:
    if not warnings:
        return ""
    items = [el("li", el("b", esc(w.code.replace("_", " "))), " · ", esc(w.message))
             for w in warnings]
    return el("ul", *items, class_="warnings")


def _profile(a: Assessment, top: int) -> str:
    band = None
    if a.benchmark and not a.benchmark.mapped:
        band = (a.benchmark.typical_min, a.benchmark.typical_max)
    axes = [Axis(d.name or d.id, d.level) for d in a.dimensions]
    chart = radar(axes, top, band, title="Level per dimension") if len(axes) >= 3 else ""
    rows = []
    for d in a.dimensions:
        facts = sum(e.strength != "claim" for e in d.evidence)
        conf = el("span", el("i", style=f"width:{round(d.confidence * 100)}%"), class_="conf")
        gap = d.missing[0] if d.missing else ("top level reached" if d.level == top else "–")
        rows.append(el("tr", el("td", el("b", esc(d.name or d.id)),
                                el("div", esc(_short(gap, 90)), class_="small")),
                       el("td", pill(d.level, top, d.level_name or "no evidence")),
                       el("td", conf, el("span", f"{d.confidence:.2f}", class_="small")),
                       el("td", esc(facts))))
    head = el("tr", *(el("th", h) for h in ("Dimension and next gap", "Level", "Confidence",
                                            "Evidence")))
    table = el("table", el("thead", head), el("tbody", *rows))
    note = "Points: the pooled level of each dimension (– where evidence is lacking)."
    if band and a.benchmark:
        note += (f" Shaded: the typical range for {a.benchmark.industry} "
                 f"(level {band[0]}–{band[1]}).")
    note = el("p", esc(note), class_="small")
    return el("section", el("h2", "Profile"),
              el("p", "Each dimension is scored on its own; a level counts only when every "
                 "indicator up to it is evidenced.", class_="lead"),
              el("div", el("div", chart, note), table, class_="grid2"), class_="card")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _footer(a: Assessment) -> str:
    s = a.stats
    return el("footer", esc(
        f"{s.sentences} sentences read · {s.evidence} evidence items · {s.claims} claims set "
        f"aside · {s.ungrounded_dropped} ungrounded quotes dropped · {s.seconds:.2f} s. "
        "Every quote was checked verbatim against its source line; every citation is a "
        "framework chunk id from 'maturity knowledge list'."))
