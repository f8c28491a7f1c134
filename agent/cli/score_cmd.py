"""``maturity score``: transcripts in, a scored and cited assessment out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.output import check_format, progress_bar, write_output

FORMATS = ("json", "md")


def score(
    paths: Annotated[
        list[Path], typer.Argument(help="transcript files (text, VTT, SRT, Slack JSON)")
    ],
    framework: Annotated[str | None, typer.Option("--framework", help="framework id")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report to this file")] = None,
) -> None:
    """Score one or more meeting transcripts against a framework."""
    from agent.app import build_services, configured_engine
    from agent.assessment.pipeline import assess
    from agent.engines.factory import make_engine
    from agent.reports.render import render
    from agent.transcripts import read_transcripts

    check_format(fmt, FORMATS)
    engine_name = configured_engine(engine)
    services = build_services()
    pack = services.registry.get(framework)
    transcripts = read_transcripts(paths)
    with progress_bar("indexing knowledge") as progress:
        proposer = make_engine(engine_name, services, progress)
    assessment = assess(transcripts, pack, proposer, services.clock())
    write_output(render(assessment, fmt), out)
