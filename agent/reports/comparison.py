"""Markdown for the history listing and for the movement between two assessments."""

from __future__ import annotations

from collections.abc import Sequence

from agent.history.compare import Comparison, Movement
from agent.history.store import HistoryEntry

ARROW = {"up": "▲", "down": "▼", "same": "=", "new": "new", "lost": "lost", "unknown": "?"}


def _level(value: int | None) -> str:
    return "—" if value is None else str(value)


def history_markdown(entries: Sequence[HistoryEntry]) -> str:
    if not entries:
        return "No assessments stored yet: `maturity score` saves every assessment it makes.\n"
    out = ["| id | created | framework | engine | origin | levels |", "|---|---|---|---|---|---|"]
    for e in entries:
        levels = ", ".join(f"{k} {_level(v)}" for k, v in e.levels.items())
        out.append(f"| `{e.id}` | {e.created} | {e.framework} | {e.engine} | {e.origin} | "
                   f"{levels} |")
    out += ["", f"{len(entries)} assessment(s). Compare two with `maturity compare ID ID`."]
    return "\n".join(out) + "\n"


def comparison_markdown(c: Comparison) -> str:
    out = [f"# Movement: {c.framework_name or c.framework}", "",
           f"From `{c.before.id}` ({c.before.created}, {c.before.engine}) to `{c.after.id}` "
           f"({c.after.created}, {c.after.engine}).", ""]
    if c.before.engine != c.after.engine or c.before.prompt_version != c.after.prompt_version:
        out += ["*The two assessments were made by different engines or prompt versions; part "
                "of the movement may come from the method, not the organisation.*", ""]
    out += ["| Dimension | Before | After | Change | Confidence |", "|---|---|---|---|---|"]
    for m in c.dimensions:
        change = ARROW[m.direction] + (f" {m.change:+d}" if m.change else "")
        out.append(f"| {m.name} | {_level(m.before)} | {_level(m.after)} | {change} | "
                   f"{m.confidence_before:.2f} → {m.confidence_after:.2f} |")
    s = c.summary
    out += ["", f"{s['up']} up, {s['down']} down, {s['same']} unchanged"
            + (f", {s['new']} newly scored" if s["new"] else "")
            + (f", {s['lost']} no longer scored" if s["lost"] else "") + ".", ""]
    details = [line for m in c.dimensions for line in _indicator_lines(m)]
    if details:
        out += ["## Indicators that changed", "", *details, ""]
    return "\n".join(out)


def _indicator_lines(m: Movement) -> list[str]:
    lines = [f"- **{m.name}**: now evidenced `{i}`" for i in m.newly_met]
    lines += [f"- **{m.name}**: no longer evidenced `{i}`" for i in m.no_longer_met]
    return lines
