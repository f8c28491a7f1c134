"""Where the app saves the final report, and the history entry beside it.

The files themselves are written by ``agent.cli.output`` (JSON at ``out``, Markdown and
HTML next to it, each atomically), the same code ``maturity interview --plain --out``
uses, so both surfaces save the same three files. The history entry is best-effort: the
report files are already written when it is attempted.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from agent.assessment.model import Assessment
from agent.cli.output import REPORT_FORMATS as FORMATS
from agent.cli.output import SavedReport, report_files, write_reports
from agent.errors import UserError

__all__ = ["FORMATS", "SavedReport", "report_paths", "save_history", "save_report"]


def report_paths(out: Path | None, home: Path, session_id: str) -> dict[str, Path]:
    """JSON at ``out`` (default ``home/reports/<session>.json``), the others beside it."""
    return report_files(out if out is not None else home / "reports" / f"{session_id}.json")


def save_report(assessment: Assessment, paths: dict[str, Path]) -> SavedReport:
    return write_reports(assessment, paths)


def save_history(services: Any, assessment: Assessment) -> str:
    """A line for the person: the history id, or why the assessment is not in the history.

    The report files are already written, so a history failure is reported, not raised.
    """
    try:
        from agent.history.store import history_store
    except ImportError:
        return "history not available in this version"
    try:
        entry_id = history_store(services).save(assessment, "interview")
    except (UserError, OSError, sqlite3.Error) as exc:
        return f"not saved to history: {exc}"
    return f"saved to history as {entry_id} (maturity history)"
