"""The progress callback long work reports through: (done, total).

Work deep inside a call (the embedder's batches) reports to a :class:`WorkMeter` that
the caller installs with :func:`metering`, so an engine that embeds sentences shows
progress without passing a callback through every layer. The meter lives in a context
variable: each thread (``batch --jobs``) has its own, and code nobody watches pays
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Progress = Callable[[int, int], None]


class WorkMeter:
    """Units of work announced and done, summed over every piece of work reported.

    A piece announces its size up front (:meth:`expect`) and then advances, so the total
    is known before the first unit is done, and a second piece (another embedding call)
    extends the total rather than starting the count again.
    """

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.done = 0
        self.total = 0

    def expect(self, units: int) -> None:
        self.total += units
        self.progress(self.done, self.total)

    def advance(self, units: int) -> None:
        self.done = min(self.total, self.done + units)
        self.progress(self.done, self.total)

    def finish(self) -> None:
        """Everything announced is done (work that ended early, or announced nothing)."""
        self.total = max(self.total, 1)
        self.done = self.total
        self.progress(self.done, self.total)


_meter: ContextVar[WorkMeter | None] = ContextVar("maturity_work_meter", default=None)


@contextmanager
def metering(progress: Progress | None) -> Iterator[WorkMeter | None]:
    """Work reported inside the block goes to ``progress`` (None: to nobody)."""
    meter = WorkMeter(progress) if progress is not None else None
    token = _meter.set(meter)
    try:
        yield meter
    finally:
        _meter.reset(token)


def current_meter() -> WorkMeter | None:
    """The meter installed by the innermost :func:`metering` of this context, if any."""
    return _meter.get()
