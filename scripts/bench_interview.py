"""Benchmark: how long after an answer the next question appears (offline engine).

Usage: uv run python scripts/bench_interview.py [--turns N] [--framework ID]

Runs scripted interviews through ``Interviewer.answer`` (the call every surface makes:
read the answer, checks + rubric over the whole session, plan, checkpoint to SQLite)
and prints p50 / p95 / max latency in milliseconds. Specific answers alternate with
vague ones, so follow-ups, moves to the next dimension and finished interviews (then a
second stakeholder joins, then a new session) are all measured. The knowledge index
under MATURITY_HOME is built first if needed; the sessions database is a temporary
file. Loading the embedder happens once, in ``prepare``, before the clock starts.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.interview_answers import SCRIPTED_ANSWERS  # noqa: E402

SPECIFIC = SCRIPTED_ANSWERS[:6]  # one checkable answer per enterprise-ai dimension
VAGUE = [
    "I think we are pretty good at that.",
    "Yes, we do that.",
    "We are very mature in this area.",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--framework", default="enterprise-ai")
    args = parser.parse_args()

    from agent.app import build_services
    from agent.interview import Interviewer, Stakeholder

    services = build_services()
    answers = itertools.cycle(a for pair in zip(SPECIFIC, itertools.cycle(VAGUE)) for a in pair)
    people = itertools.cycle([Stakeholder("Ada", "Head of Data"), Stakeholder("Ben", "CTO"),
                              Stakeholder("Cy", "Chief Risk Officer")])
    timings: list[float] = []
    cpu: list[float] = []  # process CPU time: what the turn costs, whatever else runs
    kinds: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            Interviewer(services, "offline", Path(tmp) / "sessions.sqlite") as interviewer:
        interviewer.prepare(args.framework)
        person = next(people)
        session, _ = interviewer.start(args.framework, person)
        joined = 1
        while len(timings) < args.turns:
            started, started_cpu = time.perf_counter(), time.process_time()
            turn = interviewer.answer(session, person, next(answers))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            kinds[turn.kind] = kinds.get(turn.kind, 0) + 1
            if turn.finished:
                person = next(people)
                if joined < 3:
                    interviewer.join(session, person)
                    joined += 1
                else:
                    session, _ = interviewer.start(args.framework, person)
                    joined = 1
    print(f"turns: {len(timings)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for label, values in (("wall", timings), ("cpu", cpu)):
        print(f"{label}: p50 {statistics.median(values):.0f} ms · "
              f"p95 {percentile(values, 0.95):.0f} ms · max {max(values):.0f} ms")


if __name__ == "__main__":
    main()
