"""The sections of the HTML report below the profile, one function each."""

from __future__ import annotations

from agent.assessment.model import Assessment, DimensionResult, Evidence, MetricReading
from agent.reports.htmlkit import el, esc, level_index, pill
from agent.reports.review_note import override_note
from agent.reports.svg import dumbbell, range_bars

MAX_QUOTES = 6
MAX_CLAIMS = 2


def top_level(a: Assessment) -> int:
    """The pack's top level: every level has indicators, so the highest one is the top."""
    levels = [s.level for d in a.dimensions for s in d.indicators]
    return max(levels, default=5)


def _names(a: Assessment) -> dict[str, str]:
    return {d.id: d.name or d.id for d in a.dimensions}


def quote(e: Evidence, indicators: list[str] | None = None) -> str:
    kind = "claim" if e.strength == "claim" else ("con" if e.stance == "contradicts" else "pro")
    who = e.speaker or "unknown speaker"
    if e.role:
        who += f" ({e.role})"
    bits = [who, f"{e.source.rsplit('/', 1)[-1]}:{e.line}"]
    ids = indicators if indicators is not None else [e.indicator_id] if e.indicator_id else []
    if ids:
        bits.append(", ".join(ids))
    bits.append("denies" if e.stance == "contradicts" else e.strength)
    return el("li", el("q", esc(e.quote)), el("span", esc(" · ".join(bits)), class_="who"),
              class_=f"quote {kind}")


def _card(title: str, lead: str, *body: str, long: bool = False) -> str:
    parts = [el("h2", esc(title))]
    if lead:
        parts.append(el("p", esc(lead), class_="lead"))
    return el("section", *parts, *body, class_="card long" if long else "card")


def stakeholders(a: Assessment, top: int) -> str:
    view = a.stakeholders
    if view is None or not view.stakeholders:
        return ""
    dims = a.dimensions
    head = el("tr", el("th", "Stakeholder"), *(el("th", esc(d.name or d.id)) for d in dims))
    rows = []
    for s in view.stakeholders:
        label = el("b", esc(s.name)) + el("div", esc(s.role or "role unknown"), class_="small")
        cells = [_heat_cell(s.levels.get(d.id), top, f"{s.evidence.get(d.id, 0)} evidence item(s)")
                 for d in dims]
        rows.append(el("tr", el("td", label), *cells))
    pooled = [_heat_cell(d.level, top, "everyone's evidence together") for d in dims]
    rows.append(el("tr", el("td", "Pooled"), *pooled, class_="pooled"))
    spread = {s.dimension: s for s in view.spread}
    sigma = []
    for d in dims:
        sp = spread.get(d.id)
        text = "–" if sp is None or sp.std_dev is None else f"σ {sp.std_dev:.2f}"
        flag = el("span", " ⚑", class_="flag") if sp and sp.disagree else ""
        sigma.append(el("td", esc(text), flag, class_="small"))
    rows.append(el("tr", el("td", "Spread", class_="small"), *sigma))
    chips = []
    for c in view.coverage:
        detail = ", ".join(c.speakers) if c.present else "nobody"
        chips.append(el("li", esc(f"{'✓' if c.present else '✗'} {c.role}: {detail}"),
                        class_=f"chip {'ok' if c.present else 'no'}"))
    return _card(
        "Where each stakeholder stands",
        "The level each person's own evidence supports (the same rule as the pooled level). "
        "Blank: they said nothing factual about it. ⚑ marks a spread of levels.",
        el("table", el("thead", head), el("tbody", *rows), class_="heat"),
        el("ul", *chips, class_="chips"))


def _heat_cell(level: int | None, top: int, title: str) -> str:
    text = "–" if level is None else str(level)
    return el("td", esc(text), class_=f"cell l{level_index(level, top)}", title=title)


def disagreements(a: Assessment, top: int) -> str:
    if not a.disagreements:
        return ""
    names = _names(a)
    blocks = []
    for d in a.disagreements:
        levels = " ".join(pill(v, top, k) for k, v in d.levels.items())
        pro = [quote(q) for q in d.quotes if q.stance == "supports"]
        con = [quote(q) for q in d.quotes if q.stance == "contradicts"]
        versus = el("div", el("div", el("h3", "Says it is in place", class_="small"),
                              el("ul", *pro, class_="quotes")),
                    el("div", el("h3", "Says it is not", class_="small"),
                       el("ul", *con, class_="quotes")), class_="versus")
        blocks.append(el("div", el("h3", esc(names.get(d.dimension, d.dimension))),
                         el("p", esc(d.message), class_="small"), el("p", levels),
                         versus, class_="dis"))
    return _card("Where stakeholders disagree",
                 "Settle these with evidence before acting on the level; do not average them.",
                 *blocks, long=True)


def roadmap(a: Assessment, top: int) -> str:
    if not a.roadmap and not a.mistakes:
        return ""
    names = _names(a)
    items = []
    for r in a.roadmap:
        title = r.title or r.action
        action = r.action.removeprefix(f"{r.title}: ") if r.title else ""
        start = f"level {r.from_level} → {r.to_level}" if r.from_level else f"to level {r.to_level}"
        tag = f"{names.get(r.dimension, r.dimension)} · {start}"
        body = [el("span", esc(tag), class_="tag"), el("p", el("b", esc(title)))]
        if action:
            body.append(el("p", esc(action)))
        body.append(el("p", esc(r.why), " ", el("code", esc(r.chunk_id)), class_="small"))
        items.append(el("li", el("div", esc(r.priority), class_="prio"), el("div", *body)))
    mistakes = [_mistake(m.title, m.reason, m.text, m.chunk_id, m.quotes) for m in a.mistakes]
    return _card("What to do next",
                 "The next transition's actions from the framework, most urgent first: the "
                 "dimensions furthest behind, foundations before the rest.",
                 el("ol", *items, class_="roadmap") if items else "", *mistakes, long=True)


def _mistake(title: str, reason: str, text: str, chunk: str, quotes: list[Evidence]) -> str:
    return el("div", el("h3", esc(f"Watch out: {title}")), el("p", el("b", esc(reason))),
              el("p", esc(text), " ", el("code", esc(chunk)), class_="small"),
              el("ul", *(quote(q) for q in quotes[:3]), class_="quotes"), class_="mistake")


def benchmark(a: Assessment, top: int) -> str:
    b = a.benchmark
    if b is None:
        return ""
    names = _names(a)
    rows = [(names.get(p.dimension, p.dimension), p.compared) for p in b.placements]
    scale = max(top if not b.mapped else 5, b.leading_edge, b.typical_max)
    chart = range_bars(rows, scale, b.typical_min, b.typical_max, b.leading_edge,
                       f"{b.industry}: typical range and leading edge")
    mapped = (f" Levels translated into {b.framework} through the crosswalk." if b.mapped
              else "")
    return _card(f"Against {b.industry}", b.summary + mapped, chart,
                 el("p", esc(f"Main constraint in this industry: {b.constraint}"), " ",
                    el("code", esc(b.chunk_id)), class_="small"))


def tracks(a: Assessment, top: int) -> str:
    t = a.tracks
    if t is None or len(t.tracks) < 2:
        return ""
    first, second = t.tracks[0], t.tracks[1]
    rows = [(d.name or d.id, first.levels.get(d.id), second.levels.get(d.id))
            for d in a.dimensions]
    chart = dumbbell(rows, top, (first.name, second.name), "Level per track")
    return _card("Classical ML and LLM tracks, scored separately", t.summary, chart)


def metrics(a: Assessment, top: int) -> str:
    if not a.metrics:
        return ""
    head = el("tr", *(el("th", h) for h in ("Metric", "Stated", "Reads as", "What was said")))
    rows = [_metric_row(m, top) for m in a.metrics]
    return _card("Operational metrics stated in the meeting",
                 "A cross-check on the levels, placed in the framework's bands; they change "
                 "no score.", el("table", el("thead", head), el("tbody", *rows)))


def _metric_row(m: MetricReading, top: int) -> str:
    who = f"{m.speaker or 'unknown'} · {m.source.rsplit('/', 1)[-1]}:{m.line}"
    return el("tr", el("td", el("b", esc(m.name))), el("td", esc(m.value)),
              el("td", pill(m.level, top), el("div", esc(m.band), class_="small"),
                 el("code", esc(m.chunk_id))),
              el("td", el("q", esc(m.quote)), el("div", esc(who), class_="small")))


def crosswalk(a: Assessment) -> str:
    if not a.crosswalk:
        return ""
    head = el("tr", *(el("th", h) for h in ("Framework", "Equivalent level", "Why it maps so")))
    rows = []
    for c in a.crosswalk:
        levels = ", ".join(f"{n} {name}" for n, name in zip(c.overall, c.overall_names,
                                                               strict=False)) or "–"
        rows.append(el("tr", el("td", el("b", esc(c.target_name)), el("div", el("code", esc(
            c.target)))), el("td", esc(levels)), el("td", esc(c.rationale), class_="small")))
    lead = ("The typical (median) dimension level read in the other frameworks through the "
            "crosswalk; frameworks measure different things, so most map to a range.")
    return _card("Equivalent levels in other frameworks", lead,
                 el("table", el("thead", head), el("tbody", *rows)))


def evidence(a: Assessment, top: int) -> str:
    blocks = [_dimension(d, top) for d in a.dimensions]
    return _card("Evidence and citations", "The strongest statements first; every quote is "
                 "verbatim at its source line.", *blocks, long=True)


def _grouped(evidence: list[Evidence]) -> list[tuple[Evidence, list[str]]]:
    """One entry per statement (and stance), with every indicator it bears on."""
    groups: dict[tuple[str, int, str, str], tuple[Evidence, list[str]]] = {}
    for e in evidence:
        key = (e.source, e.line, e.quote, e.stance)
        _, ids = groups.setdefault(key, (e, []))
        if e.indicator_id and e.indicator_id not in ids:
            ids.append(e.indicator_id)
    return list(groups.values())


def _dimension(d: DimensionResult, top: int) -> str:
    facts = _grouped([e for e in d.evidence if e.strength != "claim"])[:MAX_QUOTES]
    claims = _grouped([e for e in d.evidence if e.strength == "claim"])[:MAX_CLAIMS]
    parts = [el("header", el("h3", esc(d.name or d.id)), pill(d.level, top, d.level_name or ""),
                el("span", esc(f"confidence {d.confidence:.2f}"), class_="small")),
             el("p", esc(d.rationale), class_="small")]
    if note := override_note(d):
        parts.insert(1, el("p", el("b", esc(note)), class_="override"))
    if facts or claims:
        parts.append(el("ul", *(quote(e, ids) for e, ids in facts + claims), class_="quotes"))
    if d.missing:
        nxt = 2 if d.level is None else d.level + 1
        parts.append(el("p", el("b", esc(f"Still missing for level {nxt}:"))))
        parts.append(el("ul", *(el("li", esc(m)) for m in d.missing), class_="cites"))
    if d.citations:
        cites = [el("li", el("code", esc(c.chunk_id)), " ", esc(f"({c.why}) " if c.why else ""),
                     esc(c.text)) for c in d.citations]
        parts.append(el("p", el("b", "Framework citations:")))
        parts.append(el("ul", *cites, class_="cites"))
    return el("div", *parts, class_="dim")
