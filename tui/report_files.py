"""Writing the final report beside ``out``: JSON at ``out``, Markdown and HTML next to it.

Each file is written atomically, so an interrupted save never leaves half a report.
A format the installed renderers do not offer yet is skipped with a note rather than
losing the other two; the history entry is best-effort for the same reason.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.knowledge.registry import write_text_file
from agent.reports.render import render

FORMATS = ("json", "md", "html")


@dataclass
class SavedReport:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def report_paths(out: Path | None, home: Path, session_id: str) -> dict[str, Path]:
    """JSON at ``out`` (default ``home/reports/<session>.json``), the others beside it."""
    json_path = out if out is not None else home / "reports" / f"{session_id}.json"
    paths = {"json": json_path}
    for fmt in FORMATS[1:]:
        sibling = json_path.with_suffix(f".{fmt}")
        # ``--out report.md`` must not have its JSON overwritten by the Markdown.
        paths[fmt] = sibling if sibling != json_path else json_path.with_name(
            f"{json_path.name}.{fmt}")
    return paths


def save_report(assessment: Assessment, paths: dict[str, Path]) -> SavedReport:
    saved = SavedReport()
    for fmt, path in paths.items():
        try:
            text = render(assessment, fmt)
        except UserError as exc:
            saved.notes.append(f"{fmt} report skipped: {exc}")
            continue
        write_text_file(path, text)
        saved.paths.append(path)
    return saved


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
