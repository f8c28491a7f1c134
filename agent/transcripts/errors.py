"""The one error type the readers raise, so callers can catch bad input in one place."""

from __future__ import annotations

from agent.errors import UserError


def _printable(name: str) -> str:
    # A file name (or a quoted bit of input) may hold newlines or control characters;
    # the CLI promises one readable line on stderr, so escape them rather than print them.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


class TranscriptError(UserError):
    """A transcript that cannot be read: ``<source>: <what is wrong>; <what to do>``."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{_printable(source)}: {_printable(problem)}")
