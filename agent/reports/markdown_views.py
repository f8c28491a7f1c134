"""Markdown sections for the decision views: stakeholders, mistakes, benchmark, tracks,
metrics and crosswalk. Each returns its lines, or none when the view is empty."""

from __future__ import annotations

from agent.assessment.model import Assessment


def _lv(value: int | None) -> str:
    return "—" if value is None else str(value)


def _names(a: Assessment) -> dict[str, str]:
    return {d.id: d.name or d.id for d in a.dimensions}


def stakeholders(a: Assessment) -> list[str]:
    view = a.stakeholders
    if view is None or not view.stakeholders:
        return []
    dims = a.dimensions
    out = ["## Where each stakeholder stands", "",
           "| Stakeholder | " + " | ".join(d.name or d.id for d in dims) + " |",
           "|---|" + "---|" * len(dims)]
    for s in view.stakeholders:
        who = f"{s.name} ({s.role})" if s.role else s.name
        out.append(f"| {who} | " + " | ".join(_lv(s.levels.get(d.id)) for d in dims) + " |")
    out.append("| **Pooled** | " + " | ".join(f"**{_lv(d.level)}**" for d in dims) + " |")
    spread = {s.dimension: s for s in view.spread}
    cells = []
    for d in dims:
        sp = spread.get(d.id)
        text = "—" if sp is None or sp.std_dev is None else f"σ {sp.std_dev:.2f}"
        cells.append(text + (" ⚑" if sp and sp.disagree else ""))
    out += ["| *Spread* | " + " | ".join(cells) + " |", ""]
    roles = "; ".join(f"{'✓' if c.present else '✗'} {c.role}"
                      + (f" ({', '.join(c.speakers)})" if c.speakers else "")
                      for c in view.coverage)
    out += [f"Role coverage: {roles}.", ""]
    return out


def mistakes(a: Assessment) -> list[str]:
    if not a.mistakes:
        return []
    out = ["### Watch out", ""]
    for m in a.mistakes:
        out.append(f"- **{m.title}** (`{m.chunk_id}`): {m.reason}.")
        out += [f"  - “{q.quote}” — {q.speaker or 'unknown'}, {q.source}:{q.line}"
                for q in m.quotes[:3]]
    return [*out, ""]


def benchmark(a: Assessment) -> list[str]:
    b = a.benchmark
    if b is None:
        return []
    names = _names(a)
    out = [f"## Against {b.industry}", "", b.summary, "",
           f"Main constraint: {b.constraint} (`{b.chunk_id}`)", ""]
    if b.mapped:
        out += [f"Levels translated into {b.framework} through the crosswalk.", ""]
    out += ["| Dimension | Level | Compared | Position |", "|---|---|---|---|"]
    for p in b.placements:
        compared = ", ".join(map(str, p.compared)) or "—"
        out.append(f"| {names.get(p.dimension, p.dimension)} | {_lv(p.level)} | {compared} | "
                   f"{p.position} |")
    return [*out, ""]


def tracks(a: Assessment) -> list[str]:
    t = a.tracks
    if t is None or len(t.tracks) < 2:
        return []
    first, second = t.tracks[0], t.tracks[1]
    out = ["## Tracks", "", t.summary, "",
           f"| Dimension | {first.name} | {second.name} | Gap |", "|---|---|---|---|"]
    for d in a.dimensions:
        gap = t.gaps.get(d.id)
        out.append(f"| {d.name or d.id} | {_lv(first.levels.get(d.id))} | "
                   f"{_lv(second.levels.get(d.id))} | {'—' if gap is None else f'{gap:+d}'} |")
    return [*out, ""]


def metrics(a: Assessment) -> list[str]:
    if not a.metrics:
        return []
    out = ["## Operational metrics stated", "", "| Metric | Stated | Level | Band | Said by |",
           "|---|---|---|---|---|"]
    for m in a.metrics:
        out.append(f"| {m.name} | {m.value} | {m.level} | {m.band} (`{m.chunk_id}`) | "
                   f"{m.speaker or 'unknown'}, {m.source}:{m.line} |")
    return [*out, ""]


def crosswalk(a: Assessment) -> list[str]:
    if not a.crosswalk:
        return []
    out = ["## Equivalent levels in other frameworks", "",
           "| Framework | Equivalent (from the median level) |", "|---|---|"]
    for c in a.crosswalk:
        levels = ", ".join(f"{n} {name}" for n, name in zip(c.overall, c.overall_names,
                                                               strict=False)) or "—"
        out.append(f"| {c.target_name} (`{c.target}`) | {levels} |")
    return [*out, ""]
