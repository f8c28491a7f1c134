"""Bounded retries with exponential backoff for transient endpoint failures.

Only failures that may go away on their own are retried: rate limits (429), server
errors (5xx), timeouts and dropped connections. The clock (``sleep``) and the jitter
source (``rng``) are injected, so tests run instantly and deterministically.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

Sleep = Callable[[float], None]

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    max_retries: int = 3
    base_s: float = 1.0
    cap_s: float = 20.0
    #: Up to this fraction of each delay is added at random, so many clients that failed
    #: together do not retry together.
    jitter: float = 0.25
    sleep: Sleep = time.sleep
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        wait = min(self.cap_s, self.base_s * 2.0**attempt)
        if retry_after is not None:
            wait = min(self.cap_s, max(wait, retry_after))
        return wait * (1 + self.jitter * self.rng.random())


def is_transient(exc: BaseException) -> bool:
    import openai

    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code in RETRY_STATUS or exc.status_code >= 500)


def retry_after(exc: BaseException) -> float | None:
    """The server's Retry-After hint in seconds, if it sent a usable one."""
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def with_retries(call: Callable[[], T], policy: RetryPolicy,
                 on_retry: Callable[[BaseException, float], None] | None = None) -> T:
    """Run ``call``; on a transient failure wait and try again, at most max_retries times."""
    attempt = 0
    while True:
        try:
            return call()
        except Exception as exc:
            if attempt >= policy.max_retries or not is_transient(exc):
                raise
            wait = policy.delay(attempt, retry_after(exc))
            if on_retry:
                on_retry(exc, wait)
            policy.sleep(wait)
            attempt += 1
