"""The evidence and citation drawer for the dimension selected on the scorecard.

Everything a reader needs to check a level: the verbatim quotes (who, which answer,
for or against which indicator), the framework chunks cited, and what is still missing
for the next level. Built as rich Text, never markup, so a quote with brackets in it is
shown as typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from agent.assessment.model import DimensionResult, Evidence, IndicatorStatus

CITATION_CHARS = 220  # a cited chunk is shown in part; the report holds the whole text


def _quote(e: Evidence) -> Text:
    who = e.speaker or "unknown speaker"
    mark, style = ("+", "green") if e.stance == "supports" else ("−", "red")
    line = Text()
    line.append(f" {mark} ", style=f"bold {style}")
    line.append(f"“{e.quote}”")
    line.append(f"\n   {who} · line {e.line} · {e.stance}", style="dim")
    if e.strength == "claim":
        line.append(" · claim, does not count", style="yellow")
    if e.indicator_id:
        line.append(f"\n   {e.indicator_id}", style="dim")
    return line


def drawer_text(result: DimensionResult) -> Text:
    level = "not scored yet" if result.level is None else (
        f"level {result.level} ({result.level_name})" if result.level_name
        else f"level {result.level}")
    out = Text()
    out.append(f"{result.name or result.id}", style="bold")
    out.append(f" — {level}, confidence {result.confidence:.2f}\n")
    if result.rationale:
        out.append(result.rationale + "\n", style="italic")
    out.append(f"\nEvidence ({len(result.evidence)})\n", style="bold underline")
    if not result.evidence:
        out.append(" none yet: answer a question about this dimension\n", style="dim")
    for e in result.evidence:
        out.append_text(_quote(e))
        out.append("\n")
    out.append(f"\nCitations ({len(result.citations)})\n", style="bold underline")
    for c in result.citations:
        out.append(f" [{c.chunk_id}]", style="cyan")
        if c.why:
            out.append(f" {c.why}", style="dim")
        text = c.text if len(c.text) <= CITATION_CHARS else c.text[:CITATION_CHARS] + "…"
        out.append(f"\n   {text}\n")
    out.append_text(_not_evidenced(result))
    if result.level is not None and not result.missing_indicators:
        out.append("\nTop level reached: nothing missing\n", style="bold")
        return out
    target = 2 if result.level is None else result.level + 1
    states = {s.id: s for s in result.indicators}
    out.append(f"\nMissing for level {target} ({len(result.missing_indicators)})\n",
               style="bold underline")
    for ind_id, text in zip(result.missing_indicators, result.missing, strict=False):
        out.append(f" • {text} ")
        out.append(f"({ind_id})", style="dim")
        state = states.get(ind_id)
        if state is not None and state.status != "not_discussed":
            out.append(f" · {_state(state)}", style="yellow")
        out.append("\n")
    return out


def _state(s: IndicatorStatus) -> str:
    if s.status == "inferred":
        return f"inferred from {', '.join(s.inferred_from)}" if s.inferred_from else "inferred"
    if s.status == "contradicted":
        return "contradicted"
    if s.claims:
        return f"not discussed, {s.claims} claim(s) only"
    return "not discussed" if s.status == "not_discussed" else s.status


def _not_evidenced(result: DimensionResult) -> Text:
    """The indicators of the levels reached that nobody evidenced, each named: the level
    stands on balance (or on inference), and these are what a reader should check."""
    out = Text()
    if result.level is None or result.level < 2:
        return out
    gaps = [s for s in result.indicators
            if 2 <= s.level <= result.level and s.status != "evidenced"]
    if not gaps:
        return out
    span = "level 2" if result.level == 2 else f"levels 2-{result.level}"
    out.append(f"\nNot evidenced at {span} ({len(gaps)})\n", style="bold underline")
    for s in gaps:
        out.append(f" • {s.text} ")
        out.append(f"({s.id}, level {s.level})", style="dim")
        out.append(f" · {_state(s)}\n", style="yellow")
    return out


class EvidenceDrawer(VerticalScroll):
    """Scrollable; shows one dimension at a time."""

    def __init__(self) -> None:
        super().__init__(id="drawer")
        self.dimension_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a scorecard row to see its evidence.", style="dim"),
                     id="drawer-body")

    def show(self, result: DimensionResult) -> None:
        self.dimension_id = result.id
        self.border_title = f"Evidence · {result.name or result.id}"
        self.query_one("#drawer-body", Static).update(drawer_text(result))
