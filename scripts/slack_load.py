"""Load test for `maturity slack serve`: many Slack threads at once, each acknowledged fast.

Starts the local fake Slack Web API (tests/slack_fake.py) and the real server as a
subprocess pointed at it, then sends N signed app mentions at the same moment (each a
new thread, so N interview sessions start together), and once each thread has its
first question, one answer per thread, again all at once, while the workers are busy.
Slack wants every delivery acknowledged within 3 seconds; the script reports the ack
latency (max, p95, median) and how long the bot took to post, and exits 1 if any
delivery was not a 200 within the limit.

    uv run python scripts/slack_load.py                  # 50 threads, fresh MATURITY_HOME
    uv run python scripts/slack_load.py --threads 100 --home ~/.local/share/maturity
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fake Web API and the signed sender live there

from slack_fake import SECRET, Delivery, FakeSlackAPI, SlackSender  # noqa: E402

ACK_LIMIT_S = 3.0
PROFILES = {f"U{n:03d}": {"name": f"Person {n}", "title": title}
            for n, title in enumerate(["Head of Data", "Platform Engineer", "Compliance Lead",
                                       "Product Manager", "CTO"] * 40)}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"max": max(values), "p95": percentile(values, 95), "median": statistics.median(values)}


def start_server(api: FakeSlackAPI, home: Path, workers: int) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "MATURITY_HOME": str(home), "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_BOT_TOKEN": "xoxb-load-test", "MATURITY_SLACK_API_URL": api.base_url,
           "MATURITY_ENGINE": "offline"}
    command = [sys.executable, "-m", "agent", "slack", "serve", "--port", "0",
               "--workers", str(workers)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep draining
            return proc, found.group(1)
        print(line, end="", file=sys.stderr)
    raise SystemExit(f"the server exited before listening (code {proc.wait()})")


def burst(jobs: list[Callable[[], Delivery]]) -> list[Delivery]:
    """Run every job at the same instant on its own thread; their deliveries in order."""
    results: list[Delivery | None] = [None] * len(jobs)
    gate = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        gate.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def wait_posts(api: FakeSlackAPI, threads: list[str], count: int, since: float,
               timeout: float) -> list[float]:
    """Seconds from ``since`` until each thread had ``count`` bot posts."""
    done: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(threads) and time.monotonic() < deadline:
        posts = api.posts()
        now = time.perf_counter()
        for ts in threads:
            if ts not in done and sum(p.get("thread_ts") == ts for p in posts) >= count:
                done[ts] = now - since
        time.sleep(0.02)
    if len(done) < len(threads):
        raise SystemExit(f"only {len(done)} of {len(threads)} threads were answered in {timeout}s")
    return list(done.values())


def run(threads: int, workers: int, home: Path) -> dict[str, Any]:
    with FakeSlackAPI(PROFILES) as api:
        proc, url = start_server(api, home, workers)
        try:
            sender = SlackSender(url, SECRET)
            users = list(PROFILES)[:threads]
            mentions = [sender.mention(users[n], "start", channel=f"CLOAD{n:03d}")
                        for n in range(threads)]
            started = time.perf_counter()
            acks = burst([lambda m=m: sender.send(m) for m in mentions])  # type: ignore[misc]
            keys = [m["event"]["ts"] for m in mentions]
            first = wait_posts(api, keys, 2, started, timeout=600)
            replies = [sender.reply(users[n], f"We run {n + 2} models in production with "
                                    "weekly retraining since 2022.", keys[n],
                                    channel=f"CLOAD{n:03d}") for n in range(threads)]
            started = time.perf_counter()
            answer_acks = burst([lambda r=r: sender.send(r) for r in replies])  # type: ignore[misc]
            answered = wait_posts(api, keys, 3, started, timeout=600)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    deliveries = acks + answer_acks
    return {
        "threads": threads, "workers": workers,
        "non_200": sum(d.status != 200 for d in deliveries),
        "ack_s": {"mentions": summary([d.seconds for d in acks]),
                  "answers": summary([d.seconds for d in answer_acks])},
        "first_question_s": summary(first), "next_question_s": summary(answered),
        "ok": all(d.status == 200 and d.seconds < ACK_LIMIT_S for d in deliveries),
    }


def markdown(result: dict[str, Any]) -> str:
    rows = [("ack, mention (start)", result["ack_s"]["mentions"]),
            ("ack, answer (workers busy)", result["ack_s"]["answers"]),
            ("first question posted", result["first_question_s"]),
            ("next question posted", result["next_question_s"])]
    out = [f"{result['threads']} concurrent threads, {result['workers']} workers, "
           f"{result['non_200']} non-200 answers; acks under {ACK_LIMIT_S:.0f} s: "
           f"{'yes' if result['ok'] else 'NO'}", "",
           "| seconds | max | p95 | median |", "|---|---|---|---|"]
    out += [f"| {name} | {v['max']:.3f} | {v['p95']:.3f} | {v['median']:.3f} |"
            for name, v in rows]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--home", type=Path, help="MATURITY_HOME to use (default: a copy-free "
                        "temporary one; the knowledge index is built first)")
    parser.add_argument("--format", choices=("md", "json"), default="md")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="maturity-slack-load-"))
    try:
        result = run(args.threads, args.workers, home)
    finally:
        if args.home is None:
            shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.format == "json" else markdown(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
