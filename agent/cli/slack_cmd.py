"""``maturity slack serve``: the Slack intake bot over HTTP (Events API and /maturity)."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from agent.app import Services
    from agent.interview import Interviewer
    from agent.slack.settings import SlackSettings

slack_app = typer.Typer(help="Run the Slack intake bot.", no_args_is_help=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the server like Ctrl-C: queued work finishes


@slack_app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port (0: any free port)")] = 3000,
    workers: Annotated[int, typer.Option("--workers", help="background interview workers")] = 4,
    redact: Annotated[bool, typer.Option(
        "--redact", help="replace e-mail addresses and phone numbers in messages before "
        "they are read or stored")] = False,
) -> None:
    """Answer Slack's Events API and the /maturity command at POST /slack/events."""
    from agent.errors import UserError
    from agent.slack.settings import slack_settings_from_env

    settings = slack_settings_from_env()
    if not 0 <= port <= 65535 or workers < 1:
        raise UserError("--port must be 0-65535 and --workers at least 1")

    from agent.app import build_services, configured_engine
    from agent.interview import Interviewer

    services = build_services()
    engine = configured_engine()
    interviewer = Interviewer(services, engine=engine, redact=redact)
    try:
        _run(settings, services, interviewer, engine, host, port, workers)
    finally:
        interviewer.close()


def _run(settings: SlackSettings, services: Services, interviewer: Interviewer, engine: str,
         host: str, port: int, workers: int) -> None:
    from agent.cli.output import progress_bar
    from agent.errors import UserError
    from agent.slack.service import build_slack_surface
    from agent.slack.service import serve as run

    # The token is checked (auth.test) before the slow warm-up, so a bad one fails fast.
    surface = build_slack_surface(settings, services, interviewer, workers)
    try:
        with progress_bar("indexing knowledge") as progress:
            interviewer.prepare(None, progress)  # now, not during the first answer
    except BaseException:
        surface.close()
        raise

    def ready(url: str) -> None:
        print(f"maturity: listening on {url} (engine {engine}); Ctrl-C stops", file=sys.stderr,
              flush=True)

    signal.signal(signal.SIGTERM, _stop)
    try:
        run(surface, host, port, ready)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                        "choose another --host or --port") from None
    except KeyboardInterrupt:
        print("maturity: stopped", file=sys.stderr)
