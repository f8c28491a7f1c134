"""``maturity eval``: agreement of an engine with the gold-labelled cases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.cli.output import check_format, progress_bar, write_output


def evaluate(
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report here")] = None,
    gate: Annotated[bool, typer.Option(
        "--gate", help="compare with the committed baseline; exit 3 on a regression")] = False,
    write_baseline_: Annotated[bool, typer.Option(
        "--write-baseline", help="store this run as the engine's baseline (evals/baselines)")
    ] = False,
) -> None:
    """Score every gold case and report agreement (QWK, exact, within-one, bias)."""
    from agent.app import build_services, configured_engine
    from agent.engines.factory import make_engine
    from agent.evals.dataset import load_cases
    from agent.evals.markdown import eval_markdown
    from agent.evals.runner import run_eval

    check_format(fmt, ("json", "md"))
    services = build_services()
    cases = load_cases()
    with progress_bar("indexing knowledge") as progress:
        proposer = make_engine(configured_engine(engine), services, progress)
    with progress_bar("scoring gold cases") as progress:
        report = run_eval(services, proposer, cases, progress=progress)
    text = json.dumps(report, indent=2) if fmt == "json" else eval_markdown(report)
    write_output(text, out)
    if write_baseline_:
        from agent.evals.gate import make_baseline, write_baseline

        path = write_baseline(make_baseline(report, cases))
        print(f"baseline written to {path}", file=sys.stderr)
    if gate:
        _gate(report, cases)


def _gate(report: dict[str, Any], cases: list[Any]) -> None:
    from agent.errors import UserError
    from agent.evals.gate import baseline_path, check_gold, compare, read_baseline

    baseline = read_baseline(report["engine"])
    if baseline is None:
        raise UserError(f"no baseline at {baseline_path(report['engine'])}; make one with "
                        f"--write-baseline")
    failures = check_gold(baseline, cases) or compare(baseline, report).failures
    for failure in failures:
        print(f"gate: {failure}", file=sys.stderr)
    if failures:
        raise typer.Exit(3)
