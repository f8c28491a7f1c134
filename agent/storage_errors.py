"""One wording for a SQLite store (sessions, history) that cannot be used.

The fix depends on the cause, so the message must too: a folder that cannot be written
needs another MATURITY_HOME, a busy database needs the other process to finish, and a
damaged file needs moving aside (pointing MATURITY_HOME elsewhere would silently hide
the saved work in it).
"""

from __future__ import annotations

from pathlib import Path

from agent.errors import UserError

_UNWRITABLE = ("unable to open", "readonly", "read-only", "disk i/o", "permission",
               "no such file", "disk is full", "database or disk is full")


def storage_error(path: Path, what: str, exc: BaseException) -> UserError:
    """A UserError for ``what`` ("the sessions database", "the history") at ``path``."""
    detail = str(exc) or type(exc).__name__
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return UserError(f"{path}: {what} is busy ({detail}); another maturity process is "
                         "using it, wait for it to finish and run again")
    if isinstance(exc, OSError) or any(word in lowered for word in _UNWRITABLE):
        return UserError(f"{path}: cannot open {what} ({detail}); point MATURITY_HOME at a "
                         "writable folder with free space")
    return UserError(f"{path}: {what} is damaged ({detail}); move the file aside (for "
                     f"example: mv '{path}' '{path}.damaged') and run again to start a new one")
