"""``maturity score``: transcripts in, a scored and cited assessment out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.output import check_format, check_pdf_target, progress_bar, write_report

if TYPE_CHECKING:
    from agent.assessment.model import Assessment
    from agent.history.store import HistoryStore

FORMATS = ("json", "md", "html", "csv", "pdf")


def score(
    paths: Annotated[
        list[Path], typer.Argument(help="transcript files (text, VTT, SRT, Slack JSON)")
    ],
    framework: Annotated[str | None, typer.Option("--framework", help="framework id")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, md, html, csv or pdf")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report to this file")] = None,
    industry: Annotated[str | None, typer.Option(
        "--industry", help="place the result against this industry's benchmark")] = None,
    redact: Annotated[bool, typer.Option(
        "--redact", help="replace e-mail addresses and phone numbers before scoring")] = False,
    max_cost: Annotated[float | None, typer.Option(
        "--max-cost", help="llm engine: stop (exit 2, nothing written) before a call could "
        "take the run's spend past this many USD")] = None,
    engagement: Annotated[str | None, typer.Option(
        "--engagement", help="the client engagement this assessment belongs to")] = None,
) -> None:
    """Score one or more meeting transcripts against a framework."""
    from agent.app import build_services, configured_engine
    from agent.assessment.pipeline import assess
    from agent.engines.factory import make_engine
    from agent.history.store import history_store
    from agent.transcripts import read_transcripts

    check_format(fmt, FORMATS)
    check_pdf_target(fmt, out)
    if engagement is not None:
        from agent.history.store import check_engagement

        engagement = check_engagement(engagement)  # a bad name fails before any scoring
    engine_name = configured_engine(engine)
    services = build_services()
    pack = services.registry.get(framework)
    if industry:
        from agent.assessment.views import check_industry

        check_industry(pack, industry)  # a typo fails before any scoring is paid for
    transcripts = read_transcripts(paths)
    if redact:
        from agent.redact import redact_transcript

        transcripts = [redact_transcript(t) for t in transcripts]
    # Opened once the input is known good, before any scoring: a damaged history stops
    # the run before a report is written, and a typo never creates a history file.
    history = history_store(services)
    with progress_bar("indexing knowledge") as progress:
        proposer = make_engine(engine_name, services, progress, max_cost=max_cost)
    with progress_bar(f"reading with {proposer.name}") as progress:
        if hasattr(proposer, "progress"):
            proposer.progress = progress  # the llm engine reports each call
        # Any other engine reports the sentences it embeds (each batch, through the
        # pipeline), so the bar never sits at 0/?.
        embedding = None if hasattr(proposer, "progress") else progress
        assessment = assess(transcripts, pack, proposer, services.clock(), industry=industry,
                            progress=embedding, phrase_summary=True)
    write_report(assessment, fmt, out)
    save_to_history(history, assessment, engagement)


def save_to_history(history: HistoryStore, assessment: Assessment,
                    engagement: str | None = None) -> None:
    """Every assessment goes into the history; the id is shown only to a person watching."""
    entry = history.save(assessment, "score", engagement=engagement)
    if sys.stderr.isatty():
        print(f"saved to the history as {entry} (maturity history, maturity compare)",
              file=sys.stderr)
