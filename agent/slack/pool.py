"""A bounded pool of background workers that keeps each thread's work in arrival order.

Slack wants an HTTP answer within three seconds, an interview turn can take longer (an
LLM call), and two replies in one thread must be read in the order they were sent. So
the request thread only enqueues; a fixed number of workers run the jobs; jobs that
share a key (the Slack thread) run one at a time, first in first out, while different
keys run in parallel.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

Job = Callable[[], None]


class KeyedWorkerPool:
    def __init__(self, workers: int = 4, name: str = "slack-worker") -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Job]] = {}
        self._idle = threading.Condition(self._lock)
        self._closed = False

    def submit(self, key: str, job: Job) -> None:
        """Queue ``job`` behind any earlier job with the same key."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is shut down")
            queue = self._queues.get(key)
            if queue is not None:  # a drain for this key is running or scheduled
                queue.append(job)
                return
            self._queues[key] = deque([job])
        self._executor.submit(self._drain, key)

    def _drain(self, key: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[key]
                if not queue:
                    del self._queues[key]
                    self._idle.notify_all()
                    return
                job = queue.popleft()
            try:
                job()
            except Exception:  # one failed turn must not stop the thread's later turns
                log.exception("background Slack job for %s failed", key)

    def pending(self) -> int:
        with self._lock:
            return sum(len(q) for q in self._queues.values())

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._queues, timeout)

    def shutdown(self, timeout: float | None = 30.0) -> bool:
        """Stop taking jobs, let the queued ones finish (up to ``timeout``)."""
        with self._lock:
            self._closed = True
        done = self.wait_idle(timeout)
        self._executor.shutdown(wait=done, cancel_futures=not done)
        return done
