"""``maturity history``, ``maturity compare`` and ``maturity report``: the stored assessments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.output import check_format, check_pdf_target, emit_json, write_output, write_report
from agent.errors import UserError

if TYPE_CHECKING:
    from agent.history.store import HistoryEntry


def history(
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    framework: Annotated[str | None, typer.Option("--framework",
                                                  help="only this framework")] = None,
    engagement: Annotated[str | None, typer.Option(
        "--engagement", help="only this engagement, by its exact name: a team is "
        "'Parent/Team' ('maturity engagements list'; 'engagements show Parent' rolls "
        "teams up)")] = None,
) -> None:
    """List every stored assessment (and review revision), oldest first."""
    from agent.app import build_services
    from agent.history.store import history_store
    from agent.reports.comparison import history_markdown

    check_format(fmt, ("json", "md"))
    store = history_store(build_services())
    if engagement is not None:
        engagement = store.known_engagement(engagement)
    entries = store.list(framework, engagement)
    if fmt == "json":
        emit_json([e.public() for e in entries])
    else:
        write_output(history_markdown(entries), None)


def compare(
    before: Annotated[str, typer.Argument(help="history id (or a unique prefix) of the earlier")],
    after: Annotated[str, typer.Argument(help="history id (or prefix, or 'latest') of the later")],
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the comparison here")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="compare assessments of different engagements anyway")] = False,
) -> None:
    """Per-dimension movement between two stored assessments of the same framework."""
    from agent.app import build_services
    from agent.history.compare import compare as compare_assessments
    from agent.history.store import history_store
    from agent.reports.comparison import comparison_markdown

    check_format(fmt, ("json", "md"))
    store = history_store(build_services())
    first, second = store.resolve(before), store.resolve(after)
    if not force:
        _same_engagement(store.entry(first), store.entry(second))
    result = compare_assessments(store.get(first), store.get(second), first, second)
    text = result.model_dump_json(indent=2) if fmt == "json" else comparison_markdown(result)
    write_output(text, out)


def _same_engagement(first: HistoryEntry, second: HistoryEntry) -> None:
    """Comparing one client's assessment with another's is refused unless asked for."""
    if first.engagement != second.engagement:
        def name(e: HistoryEntry) -> str:
            return f"engagement {e.engagement!r}" if e.engagement else "no engagement"

        raise UserError(f"{first.id} is in {name(first)} and {second.id} in {name(second)}; "
                        "compare assessments of one engagement, or pass --force")


def report(
    entry: Annotated[str, typer.Argument(help="history id (or a unique prefix, or 'latest')")],
    fmt: Annotated[str, typer.Option("--format", help="json, md, html, csv or pdf")] = "md",
    out: Annotated[Path | None, typer.Option(
        "--out", help="write the report here (pdf needs it)")] = None,
) -> None:
    """Render a stored assessment again, in any report format (pdf as score prints it)."""
    from agent.app import build_services
    from agent.history.store import history_store
    from agent.reports.render import FORMATS

    check_format(fmt, (*FORMATS, "pdf"))
    check_pdf_target(fmt, out)  # no --out or no browser: exit 2 before opening the history
    write_report(history_store(build_services()).get(entry), fmt, out)
