"""``maturity sessions list``: the interview sessions saved under MATURITY_HOME."""

from __future__ import annotations

from typing import Annotated

import typer

from agent.cli.output import check_format, emit_json

sessions_app = typer.Typer(help="Interview sessions (resume one with 'maturity interview "
                                "--resume ID').", no_args_is_help=True)


@sessions_app.command("list")
def sessions_list(
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
) -> None:
    """List interview sessions, most recently updated first."""
    from agent.interview.model import SessionSummary
    from agent.paths import maturity_home

    check_format(fmt, ("json", "md"))
    from agent.interview.store import existing_session_store

    summaries: list[SessionSummary] = []
    store = existing_session_store(maturity_home())
    if store is not None:
        try:
            summaries = store.summaries()
        finally:
            store.close()
    if fmt == "json":
        emit_json([{"id": s.id, "framework": s.framework, "stakeholders": s.stakeholders,
                    "turns": s.turns, "updated": s.updated} for s in summaries])
        return
    typer.echo("| id | framework | stakeholders | turns | updated |")
    typer.echo("|---|---|---|---|---|")
    for s in summaries:
        people = ", ".join(s.stakeholders).replace("|", "/")
        typer.echo(f"| {s.id} | {s.framework} | {people} | {s.turns} | {s.updated} |")
