"""A child process that runs an interview and is killed inside a turn's database write.

    python tests/hardening/interview_child.py HOME SESSION_ID ANSWERS STALL_AT

It starts the session, gives ANSWERS answers (printing ``answered N`` after each has
returned, i.e. after the contract says it is saved), then gives one more. That last
turn writes to the database more than once; at its STALL_AT-th write the INSERT has
been executed but not committed when the child prints ``in-write`` and waits: the
parent kills it right there, inside the transaction.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from agent.app import build_services
from agent.interview import Interviewer, Stakeholder
from agent.retrieval.embedder import HashingEmbedder

ANSWERS = [
    "Every dataset in the catalog has a named owner and a documented refresh schedule.",
    "Models go to production through one CI pipeline with automated tests and approvals.",
    "We have a ring-fenced AI budget in the 2025 plan, reviewed quarterly with the board.",
    "Two people on the data team have done the internal ML engineering course this year.",
    "Drift alerts page the on-call engineer, and every incident gets a written review.",
    "Our model risk policy requires a bias review before any customer-facing release.",
]
PERSON = Stakeholder("Ana Souza", "Head of Data")

_writes_left = 0  # counts down once armed; the write that reaches zero stalls


@contextlib.contextmanager
def _cursor_that_stalls_before_commit(self: SqliteSaver, transaction: bool = True
                                      ) -> Iterator[object]:
    with self.lock:
        self.setup()
        cur = self.conn.cursor()
        try:
            yield cur
        finally:
            if transaction and _writes_left > 0 and self.conn.in_transaction:
                _count_down()
            if transaction:
                self.conn.commit()
            cur.close()


def _count_down() -> None:
    global _writes_left
    _writes_left -= 1
    if _writes_left == 0:
        print("in-write", flush=True)  # the turn's INSERT is done, not committed
        time.sleep(60)


def main(home: Path, session_id: str, answers: int, stall_at: int) -> None:
    global _writes_left
    SqliteSaver.cursor = _cursor_that_stalls_before_commit  # type: ignore[assignment,method-assign]
    services = build_services(home, embedder_factory=HashingEmbedder)
    interviewer = Interviewer(services, "offline")
    interviewer.prepare("enterprise-ai")
    interviewer.start("enterprise-ai", PERSON, session_id)
    for number, text in enumerate(ANSWERS[:answers], start=1):
        interviewer.answer(session_id, PERSON, text)
        print(f"answered {number}", flush=True)
    _writes_left = stall_at
    interviewer.answer(session_id, PERSON, ANSWERS[answers])
    print("turn finished: the kill came too late", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
