"""Writing command output: JSON to stdout, files atomically, progress on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agent.errors import UserError
from agent.progress import Progress


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
