"""Three `maturity slack serve` workers on one PostgreSQL and one Chroma server, behind a
round-robin proxy: 300 signed events over 50 threads, a tenth resent to another worker,
one worker killed with SIGKILL mid-load. Nothing lost, nothing taken twice, every
interview's answers in order, acknowledgements within 100 ms at p95."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from tests.slack_fake import LOCAL_ONLY, FakeSlackAPI
from tests.slack_load import (
    Fleet,
    ProxyProcess,
    check,
    profiles,
    run_conversations,
    worker_env,
)

ROOT = Path(__file__).resolve().parents[1]
THREADS, ANSWERS = 50, 5
pytestmark = pytest.mark.block_network(**LOCAL_ONLY)


def _build_index(env: dict[str, str], home: Path) -> None:
    """Embed the packs into the Chroma server once, before the workers start."""
    subprocess.run([sys.executable, "-c", "from agent.app import build_services; "
                    "build_services().index()"], cwd=ROOT, env={**env, "MATURITY_HOME": str(home)},
                   check=True, timeout=300, capture_output=True)


def test_three_workers_lose_nothing_and_take_nothing_twice(
        postgres_url: str, chroma_url: str, tmp_path: Path) -> None:
    with FakeSlackAPI(profiles(THREADS)) as api:
        env = worker_env(postgres_url, chroma_url, api)
        _build_index(env, tmp_path / "indexer")
        fleet = Fleet(3, tmp_path, env)
        proxy = ProxyProcess([w.port for w in fleet.workers])
        try:
            run = run_conversations(api, fleet, proxy, threads=THREADS, answers=ANSWERS,
                                    kill_after=100)
        finally:
            proxy.close()
            fleet.stop()
        verdict = check(run, postgres_url)
        stalled = {ts: [p.get("text", "")[:80] for p in api.posts(ts)] for ts in run.stalled}
    figures = {"events": run.deliveries, "threads": len(run.threads), "resent": run.resent,
               "resent_taken": run.resent_taken, "retried": run.retried,
               "killed_after": run.killed_after, "p95_ack_ms": round(run.p95_ack * 1000, 1),
               "max_ack_ms": round(max(run.acks) * 1000, 1),
               "median_ack_ms": round(statistics.median(run.acks) * 1000, 1),
               "median_direct_ack_ms": round(statistics.median(run.direct_acks) * 1000, 1), "seconds": round(run.seconds, 1),
               "lost": len(verdict.lost), "doubled": len(verdict.doubled),
               "out_of_order": len(verdict.out_of_order), "stalled": len(run.stalled),
               "taken_over": verdict.taken_over}
    print("\nslack scale-out:", json.dumps(figures))
    if os.environ.get("MATURITY_SCALE_FIGURES"):
        Path(os.environ["MATURITY_SCALE_FIGURES"]).write_text(json.dumps(figures, indent=2))
    logs = "".join(line for w in fleet.workers for line in w.stderr)[-3000:] + "".join(
        p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("worker-*/logs/*.log"))
    assert run.deliveries == THREADS * (ANSWERS + 1)
    assert run.killed_after is not None and fleet.workers[0].process.returncode == -9
    assert run.stalled == [], (stalled, logs)
    assert verdict.lost == [] and verdict.doubled == [] and verdict.out_of_order == [], verdict
    assert run.resent == THREADS * (ANSWERS + 1) // 10 and run.resent_taken == 0
    assert run.p95_ack < 0.100, figures
