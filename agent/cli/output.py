"""Writing command output: JSON to stdout, files atomically, progress on stderr.

Also the report files of one assessment (JSON, Markdown, HTML side by side), shared by
``maturity interview --plain`` and the terminal app.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.errors import UserError
from agent.progress import Progress

if TYPE_CHECKING:
    from agent.assessment.model import Assessment


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_output(text: str, out: Path | None) -> None:
    """Print, or write the whole file atomically: a failure leaves no half-written file."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from agent.knowledge.registry import write_text_file

    write_text_file(out, text)


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UserError(f"unknown format {value!r}; use one of: {', '.join(allowed)}")
    return value


def check_pdf_target(fmt: str, out: Path | None) -> None:
    """Before any work: a PDF needs a file to go to and a browser to print it."""
    if fmt != "pdf":
        return
    if out is None:
        raise UserError("--format pdf writes a file; add --out report.pdf")
    from agent.reports.pdf import require_chromium

    require_chromium()


def write_report(assessment: Assessment, fmt: str, out: Path | None) -> None:
    """Render in any report format (pdf included) and print it or write it atomically."""
    if fmt != "pdf":
        from agent.reports.render import render

        write_output(render(assessment, fmt), out)
        return
    check_pdf_target(fmt, out)
    assert out is not None  # checked above
    from agent.knowledge.registry import write_atomic
    from agent.reports.pdf import render_pdf

    data = render_pdf(assessment)
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror or type(exc).__name__}); "
                        "choose another --out path") from None


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    """A rich progress bar on stderr; silent when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


# -- the report files of one assessment ------------------------------------------------

#: The files an interview's report is saved as: JSON at the path given, the others beside it.
REPORT_FORMATS = ("json", "md", "html")


@dataclass
class SavedReport:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # formats skipped, and why


def report_files(json_path: Path) -> dict[str, Path]:
    """JSON exactly at ``json_path``, Markdown and HTML beside it (``r.json`` -> ``r.md``).

    ``--out report.md`` must not have its JSON overwritten by the Markdown: a sibling that
    would be the JSON path itself gets the format appended instead (``report.md.md``).
    """
    paths = {"json": json_path}
    for fmt in REPORT_FORMATS[1:]:
        sibling = json_path.with_suffix(f".{fmt}")
        paths[fmt] = sibling if sibling != json_path else json_path.with_name(
            f"{json_path.name}.{fmt}")
    return paths


def write_reports(assessment: Assessment, paths: dict[str, Path]) -> SavedReport:
    """Render and write each report, every file atomically (``write_output``).

    A format the installed renderers do not offer is skipped with a note rather than
    losing the others; a file that cannot be written raises UserError.
    """
    from agent.reports.render import render

    saved = SavedReport()
    for fmt, path in paths.items():
        try:
            text = render(assessment, fmt)
        except UserError as exc:
            saved.notes.append(f"{fmt} report skipped: {exc}")
            continue
        write_output(text, path)
        saved.paths.append(path)
    return saved


def standing_lines(assessment: Assessment) -> list[str]:
    """Where each dimension stands: its level, or "still open" while nothing scores it."""
    lines = []
    for d in assessment.dimensions:
        if d.level is None:
            state = "still open"
        else:
            state = f"level {d.level}" + (f" ({d.level_name})" if d.level_name else "")
        lines.append(f"{d.name or d.id}: {state}")
    return lines
