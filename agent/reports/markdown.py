"""A readable Markdown report: scorecard, rationale with quotes and citations, next steps."""

from __future__ import annotations

from agent.assessment.model import Assessment, DimensionResult, Evidence
from agent.reports import client_sections as client
from agent.reports import markdown_views as views
from agent.reports.review_note import override_note

MAX_QUOTES = 5


def _level(d: DimensionResult) -> str:
    return "—" if d.level is None else f"{d.level} {d.level_name or ''}".strip()


def _quote(e: Evidence) -> str:
    who = e.speaker or "unknown speaker"
    if e.role:
        who += f" ({e.role})"
    mark = "✓" if e.stance == "supports" else "✗"
    ind = f" → `{e.indicator_id}`" if e.indicator_id else ""
    return f"- {mark} “{e.quote}” — {who}, {e.source}:{e.line}{ind} *({e.strength}: {e.reason})*"


def render_markdown(a: Assessment) -> str:
    out = [f"# AI maturity assessment — {a.framework_name or a.framework}", ""]
    sources = ", ".join(s.source for s in a.sources)
    out.append(f"Engine `{a.engine}` · created {a.created} · sources: {sources}")
    speakers = ", ".join(f"{s.name} ({s.role or 'role unknown'})" for s in a.speakers)
    out += [f"Speakers: {speakers}", ""]
    out += client.summary_markdown(a)
    if a.warnings:
        out.append("## Warnings")
        out += [f"- **{w.code}**: {w.message}" for w in a.warnings]
        out.append("")
    out += ["## Scorecard", "", "| Dimension | Level | Confidence | Evidence | Next gap |",
            "|---|---|---|---|---|"]
    for d in a.dimensions:
        gap = d.missing[0] if d.missing else "—"
        count = sum(e.strength != "claim" for e in d.evidence)
        out.append(f"| {d.name or d.id} | {_level(d)} | {d.confidence:.2f} | {count} | {gap} |")
    out.append("")
    out += views.stakeholders(a)
    for d in a.dimensions:
        out += _dimension_section(d)
    if a.disagreements:
        out.append("## Where stakeholders disagree")
        for dis in a.disagreements:
            levels = ", ".join(f"{k}: {v if v is not None else '—'}" for k, v in dis.levels.items())
            out.append(f"- **{dis.dimension}**: {dis.message} ({levels})")
            out += [f"  {_quote(q)}" for q in dis.quotes]
        out.append("")
    if a.roadmap:
        out += ["## What to do next", ""]
        for item in a.roadmap:
            out.append(f"{item.priority}. **{item.dimension} → level {item.to_level}**: "
                       f"{item.action} (`{item.chunk_id}`)")
        out.append("")
    out += views.mistakes(a)
    out += client.requests_markdown(a)
    out += views.benchmark(a) + views.tracks(a) + views.metrics(a) + views.crosswalk(a)
    s = a.stats
    out.append(f"*{s.sentences} sentences read, {s.evidence} evidence items, {s.claims} claims, "
               f"{s.ungrounded_dropped} ungrounded quotes dropped, {s.seconds:.2f} s.*")
    out += _llm_usage(a)
    return "\n".join(out) + "\n"


def _llm_usage(a: Assessment) -> list[str]:
    """Tokens and cost, for runs that used an LLM."""
    s = a.stats
    if not (s.llm_calls or s.prompt_tokens or s.completion_tokens):
        return []
    prompt = f", prompt `{a.prompt_version}`" if a.prompt_version else ""
    return ["", f"*LLM: {s.llm_calls} call(s), {s.prompt_tokens:,} prompt + "
                f"{s.completion_tokens:,} completion tokens, estimated cost ${s.cost_usd:.4f}, "
                f"{s.llm_seconds:.1f} s waiting; {s.irrelevant_dropped} quote(s) dropped as not "
                f"about their indicator{prompt}.*"]


def _dimension_section(d: DimensionResult) -> list[str]:
    out = [f"## {d.name or d.id}: {_level(d)}", "", d.rationale, ""]
    if note := override_note(d):
        out[2:2] = [f"**{note}**", ""]
    shown = [e for e in d.evidence if e.strength != "claim"][:MAX_QUOTES]
    claims = [e for e in d.evidence if e.strength == "claim"][:2]
    if shown or claims:
        out.append("Evidence:")
        out += [_quote(e) for e in shown + claims]
        out.append("")
    if d.missing:
        out.append("Still missing for the next level:")
        out += [f"- {m}" for m in d.missing]
        out.append("")
    if d.citations:
        out.append("Framework citations:")
        out += [f"- `{c.chunk_id}` ({c.why}): {c.text}" for c in d.citations]
        out.append("")
    return out
