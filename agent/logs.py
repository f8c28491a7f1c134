"""A log file under MATURITY_HOME for tracebacks the user should not have to read."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime

from agent.paths import maturity_home


def log_exception(exc: BaseException) -> str:
    """Append the traceback to the log; return ' (details in PATH)' or '' if unwritable."""
    try:
        folder = maturity_home() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "maturity.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat()}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return f" (details in {path})"
    except OSError:
        return ""
