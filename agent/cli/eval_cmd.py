"""``maturity eval``: agreement of an engine with the gold-labelled cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.cli.output import check_format, progress_bar, write_output


def evaluate(
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report here")] = None,
) -> None:
    """Score every gold case and report agreement (QWK, exact, within-one, bias)."""
    from agent.app import build_services, configured_engine
    from agent.engines.factory import make_engine
    from agent.evals.runner import run_eval

    check_format(fmt, ("json", "md"))
    services = build_services()
    with progress_bar("indexing knowledge") as progress:
        proposer = make_engine(configured_engine(engine), services, progress)
    with progress_bar("scoring gold cases") as progress:
        report = run_eval(services, proposer, progress=progress)
    text = json.dumps(report, indent=2) if fmt == "json" else eval_markdown(report)
    write_output(text, out)


def eval_markdown(report: dict[str, Any]) -> str:
    lines = [f"Engine `{report['engine']}`, {report['cases']} cases.", "",
             "| group | n | exact | within-one | MAE | QWK | mean signed error | null P | null R |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, m in report["metrics"].items():
        lines.append(f"| {name} | {m['n']} | {m['exact']:.3f} | {m['within_one']:.3f} | "
                     f"{m['mae']:.3f} | {m['qwk']:.3f} | {m['mean_signed_error']:+.3f} | "
                     f"{m['null_precision']:.2f} | {m['null_recall']:.2f} |")
    lines += ["", f"Quote grounding rate {report['quote_grounding_rate']:.3f}; "
              f"{report['ungrounded_dropped']} ungrounded quotes dropped; "
              f"{report['seconds_per_case']:.2f} s per case."]
    return "\n".join(lines) + "\n"
