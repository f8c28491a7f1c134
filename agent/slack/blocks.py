"""The scorecard as a Slack message: Block Kit for clients that show blocks, plain text for
the rest (notifications, screen readers, old clients). Neither carries links.
"""

from __future__ import annotations

from typing import Any

from agent.assessment.model import Assessment, DimensionResult
from agent.slack.text import escape

Block = dict[str, Any]

TOP_GAPS = 3
HEADER_LIMIT = 150  # Block Kit's limit for a header's text
SECTION_LIMIT = 3000  # and for a section's


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _level(d: DimensionResult) -> str:
    if d.level is None:
        return "not enough evidence"
    return f"{d.level} {d.level_name or ''}".strip()


def top_gaps(a: Assessment, count: int = TOP_GAPS) -> list[str]:
    """The most urgent next steps: the roadmap's first items, else what each dimension lacks."""
    names = {d.id: d.name or d.id for d in a.dimensions}
    items = sorted(a.roadmap, key=lambda r: r.priority)[:count]
    if items:
        return [f"{names.get(r.dimension, r.dimension)} → level {r.to_level}: {r.action}"
                for r in items]
    lowest = sorted(a.dimensions, key=lambda d: (d.level or 0, d.confidence))
    return [f"{d.name or d.id}: {d.missing[0]}" for d in lowest if d.missing][:count]


def _table(a: Assessment) -> str:
    rows = [(d.name or d.id, _level(d), f"{d.confidence:.2f}") for d in a.dimensions]
    head = ("Dimension", "Level", "Confidence")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
             for row in [head, *rows]]
    return "\n".join(lines)


def _title(a: Assessment, final: bool) -> str:
    kind = "Final scorecard" if final else "Scorecard so far"
    return f"{kind}: {a.framework_name or a.framework}"


def scorecard_text(a: Assessment, final: bool) -> str:
    """The version without blocks: every level, confidence and gap, in plain lines."""
    lines = [_title(a, final)]
    lines += [f"- {d.name or d.id}: {_level(d)}, confidence {d.confidence:.2f}"
              for d in a.dimensions]
    gaps = top_gaps(a)
    if gaps:
        lines.append("Top gaps:")
        lines += [f"{n}. {gap}" for n, gap in enumerate(gaps, start=1)]
    return escape("\n".join(lines))


def scorecard_blocks(a: Assessment, final: bool, answers: int | None = None) -> list[Block]:
    people = ", ".join(s.name for s in a.speakers if s.evidence_eligible) or "nobody yet"
    facts = f"Engine {a.engine} · stakeholders: {people}"
    if answers is not None:
        facts += f" · {answers} answers"
    blocks: list[Block] = [
        {"type": "header",
         "text": {"type": "plain_text", "text": _clip(_title(a, final), HEADER_LIMIT)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(_clip(facts, 2000))}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(
            "```\n" + escape(_table(a)) + "\n```", SECTION_LIMIT)}},
    ]
    gaps = top_gaps(a)
    if gaps:
        listed = "\n".join(f"{n}. {escape(_clip(g, 600))}" for n, g in enumerate(gaps, start=1))
        blocks += [{"type": "divider"},
                   {"type": "section", "text": {"type": "mrkdwn", "text": _clip(
                       "*Top gaps*\n" + listed, SECTION_LIMIT)}}]
    if a.warnings:
        notes = " · ".join(w.message for w in a.warnings)
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": escape(_clip(notes, 2000))}]})
    return blocks
