"""``maturity history``, ``maturity compare`` and ``maturity report``: the stored assessments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.output import check_format, emit_json, write_output


def history(
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    framework: Annotated[str | None, typer.Option("--framework",
                                                  help="only this framework")] = None,
) -> None:
    """List every stored assessment, oldest first."""
    from agent.app import build_services
    from agent.history.store import history_store
    from agent.reports.comparison import history_markdown

    check_format(fmt, ("json", "md"))
    entries = history_store(build_services()).list(framework)
    if fmt == "json":
        emit_json([e.public() for e in entries])
    else:
        write_output(history_markdown(entries), None)


def compare(
    before: Annotated[str, typer.Argument(help="history id (or a unique prefix) of the earlier")],
    after: Annotated[str, typer.Argument(help="history id (or prefix, or 'latest') of the later")],
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the comparison here")] = None,
) -> None:
    """Per-dimension movement between two stored assessments of the same framework."""
    from agent.app import build_services
    from agent.history.compare import compare as compare_assessments
    from agent.history.store import history_store
    from agent.reports.comparison import comparison_markdown

    check_format(fmt, ("json", "md"))
    store = history_store(build_services())
    first, second = store.resolve(before), store.resolve(after)
    result = compare_assessments(store.get(first), store.get(second), first, second)
    text = result.model_dump_json(indent=2) if fmt == "json" else comparison_markdown(result)
    write_output(text, out)


def report(
    entry: Annotated[str, typer.Argument(help="history id (or a unique prefix, or 'latest')")],
    fmt: Annotated[str, typer.Option("--format", help="json, md, html or csv")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report here")] = None,
) -> None:
    """Render a stored assessment again, in any report format."""
    from agent.app import build_services
    from agent.history.store import history_store
    from agent.reports.render import FORMATS, render

    check_format(fmt, FORMATS)
    write_output(render(history_store(build_services()).get(entry), fmt), out)
