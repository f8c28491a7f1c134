"""The ``maturity`` command line: thin commands over the core.

Heavy modules (chromadb, onnxruntime, langchain) are imported inside the commands so
``maturity --help`` answers fast. Errors a user can fix become exit code 2 and one line
on stderr; anything else is exit code 1, one line, and the traceback goes to the log.
"""

from __future__ import annotations

import sys

import typer

# Typer (0.20+) vendors its own copy of click; its exceptions live here.
from typer._click.exceptions import ClickException, UsageError

from agent.cli import (
    batch_cmd,
    engagements_cmd,
    eval_cmd,
    history_cmd,
    interview_cmd,
    knowledge_cmds,
    review_cmd,
    score_cmd,
    sessions_cmd,
    slack_cmd,
)

app = typer.Typer(
    name="maturity",
    help="Assess AI and MLOps maturity from stakeholder evidence, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(knowledge_cmds.frameworks_app, name="frameworks")
app.add_typer(knowledge_cmds.knowledge_app, name="knowledge")
app.command("score")(score_cmd.score)
app.command("eval")(eval_cmd.evaluate)
app.command("batch")(batch_cmd.batch)
app.add_typer(slack_cmd.slack_app, name="slack")
app.command("interview")(interview_cmd.interview)
app.add_typer(sessions_cmd.sessions_app, name="sessions")
app.command("history")(history_cmd.history)
app.command("compare")(history_cmd.compare)
app.command("report")(history_cmd.report)
app.add_typer(engagements_cmd.engagements_app, name="engagements")
app.command("review")(review_cmd.review)


def _fail(code: int, message: str) -> None:
    first_line = " ".join(message.split())
    print(f"maturity: {first_line}", file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    from agent.errors import UserError

    try:
        # Without standalone mode click returns the code of a typer.Exit instead of exiting.
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except UserError as exc:
        _fail(2, str(exc))
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # help was printed for a bare command group: not an error
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx else ""
        _fail(2, f"{exc.format_message()}{hint}")
    except typer.Abort:
        _fail(130, "aborted")
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ClickException as exc:
        _fail(2, exc.format_message())
    except KeyboardInterrupt:
        _fail(130, "interrupted")
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        from agent.logs import log_exception

        where = log_exception(exc)
        _fail(1, f"internal error: {type(exc).__name__}: {exc}{where}")
