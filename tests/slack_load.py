"""A load run against several ``maturity slack serve`` workers, the way Slack would send it.

``Fleet`` starts N real worker processes on one PostgreSQL database and one Chroma
server, behind ``RoundRobinProxy`` (a load balancer that skips a backend it cannot
connect to). ``run_conversations`` plays people in Slack threads: each thread opens
with a mention and then answers, one message at a time, each after the bot's reply (as
a person would); a share of deliveries is sent again to a different worker with Slack's
retry headers; a failed delivery is retried, as Slack does; and one worker can be
killed with SIGKILL in the middle. ``check`` reads every session back from PostgreSQL:
nothing lost, nothing taken twice, every thread's answers in the order they were sent.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.slack_fake import TEAM, FakeSlackAPI, SlackSender

ROOT = Path(__file__).resolve().parents[1]
SECRET = "load-test-secret"
ANSWERS = [
    "Our production datasets are documented in the wiki with owners and refresh times.",
    "Every team tracks experiments in MLflow and deploys models as Docker containers.",
    "A review board signs off each model, and we keep the minutes in Confluence.",
    "We retrain the churn model monthly from an Airflow pipeline with data checks.",
    "Latency and drift dashboards in Grafana page the on-call ML engineer.",
]


class RoundRobinProxy:
    """Forwards each POST to the next backend in turn; a backend that refuses the
    connection is skipped (a load balancer's passive health check). Adds
    ``X-Served-By`` (the backend's index) to the answer."""

    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self._turn = itertools.count()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/slack/events"

    def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, int]:
        first = next(self._turn)
        for step in range(len(self.backends)):
            index = (first + step) % len(self.backends)
            host, port = self.backends[index]
            try:
                conn = http.client.HTTPConnection(host, port, timeout=10)
                conn.request("POST", "/slack/events", body=body, headers=headers)
                answer = conn.getresponse()
                return answer.status, answer.read(), index
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
                continue
        return 502, b"no backend", -1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                keep = {k: v for k, v in self.headers.items()
                        if k.lower().startswith("x-slack") or k.lower() == "content-type"}
                status, answer, index = proxy.forward(body, keep)
                self.send_response(status)
                self.send_header("X-Served-By", str(index))
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        return Handler


class ProxyProcess:
    """The proxy in a process of its own, as a load balancer is: the test process is
    busy playing Slack (the senders and the Web API), which must not slow the acks."""

    def __init__(self, ports: list[int]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.slack_load", "proxy", *map(str, ports)], cwd=ROOT,
            stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.close()
            raise RuntimeError(f"the proxy did not start: {self.url!r}")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@dataclass
class Worker:
    process: subprocess.Popen[str]
    url: str
    port: int
    stderr: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None


class Fleet:
    """N ``maturity slack serve`` processes, each with its own empty MATURITY_HOME."""

    def __init__(self, count: int, folder: Path, env: dict[str, str]) -> None:
        self.workers: list[Worker] = []
        for i in range(count):
            home = folder / f"worker-{i}"
            process = subprocess.Popen(
                [sys.executable, "-m", "agent", "slack", "serve", "--port", "0"], cwd=ROOT,
                env={**env, "MATURITY_HOME": str(home)}, stderr=subprocess.PIPE, text=True)
            assert process.stderr is not None
            line = process.stderr.readline()
            found = re.search(r"listening on (http://127\.0\.0\.1:(\d+)\S*)", line)
            if not found:
                process.kill()
                raise RuntimeError(f"worker {i} did not start: {line}{process.stderr.read()}")
            worker = Worker(process, found.group(1), int(found.group(2)))
            worker.reader = threading.Thread(target=_drain, args=(process, worker.stderr),
                                             daemon=True)
            worker.reader.start()
            self.workers.append(worker)

    def kill(self, index: int) -> None:
        self.workers[index].process.send_signal(signal.SIGKILL)
        self.workers[index].process.wait(timeout=10)

    def stop(self) -> None:
        for w in self.workers:
            if w.process.poll() is None:
                w.process.send_signal(signal.SIGTERM)
        for w in self.workers:
            try:
                w.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait(timeout=10)
            if w.reader is not None:
                w.reader.join(timeout=10)  # it stops at the end of the pipe
            if w.process.stderr is not None:
                w.process.stderr.close()


def _drain(process: subprocess.Popen[str], into: list[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        into.append(line)


def worker_env(database_url: str, chroma_url: str, api: FakeSlackAPI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "MATURITY_", "SLACK_"))}
    return {**env, "MATURITY_DATABASE_URL": database_url, "MATURITY_CHROMA_URL": chroma_url,
            "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-load",
            "MATURITY_SLACK_API_URL": api.base_url, "MATURITY_ENGINE": "offline"}


def profiles(threads: int) -> dict[str, dict[str, str]]:
    return {f"U{i:04d}": {"name": f"Person {i}", "title": "Head of Data"} for i in range(threads)}


@dataclass
class LoadRun:
    threads: dict[str, list[str]] = field(default_factory=dict)  # thread ts -> answers sent
    acks: list[float] = field(default_factory=list)  # first attempts answered 200, seconds
    deliveries: int = 0  # events sent (each once, however many attempts)
    resent: int = 0  # redeliveries sent on purpose to another worker
    resent_taken: int = 0  # ... that a worker did not drop
    direct_acks: list[float] = field(default_factory=list)  # those, sent past the proxy
    retried: int = 0  # attempts that failed and were sent again (as Slack does)
    killed_after: int | None = None  # deliveries sent when the worker was killed
    stalled: list[str] = field(default_factory=list)  # threads whose reply never came
    seconds: float = 0.0

    @property
    def p95_ack(self) -> float:
        return statistics.quantiles(self.acks, n=20)[18] if len(self.acks) >= 20 else max(
            self.acks, default=0.0)


def run_conversations(api: FakeSlackAPI, fleet: Fleet, proxy: ProxyProcess, *,
                      threads: int = 50, answers: int = 5, resend_share: float = 0.1,
                      kill_after: int | None = 100, parallel: int = 50, think: float = 1.0,
                      stagger: float = 0.1,
                      reply_timeout: float = 120.0, seed: int = 7) -> LoadRun:
    run = LoadRun()
    maker = SlackSender(proxy.url, SECRET)
    pick = random.Random(seed)
    resend = set(pick.sample(range(threads * (answers + 1)),
                             int(threads * (answers + 1) * resend_share)))
    lock = threading.Lock()
    counter = itertools.count()
    pick_think = random.Random(seed + 1)

    def deliver(payload: dict[str, Any]) -> None:
        number = next(counter)
        body = json.dumps(payload)
        attempt = 0
        while True:
            sender = SlackSender(proxy.url, SECRET)
            got = sender.post(body, "application/json", retry=attempt or None)
            if got.status == 200:
                break
            attempt += 1
            with lock:
                run.retried += 1
            time.sleep(0.2)
        with lock:
            run.deliveries += 1
            if attempt == 0:
                run.acks.append(got.seconds)
            if kill_after is not None and run.killed_after is None and \
                    run.deliveries >= kill_after:
                run.killed_after = run.deliveries
                fleet.kill(0)
        if number in resend:
            alive = [w for w in fleet.workers if w.process.poll() is None]
            target = alive[(number + 1) % len(alive)]
            again = SlackSender(f"{target.url}", SECRET).post(body, "application/json",
                                                              retry=1)
            with lock:
                run.resent += 1
                run.resent_taken += again.status != 200
                run.direct_acks.append(again.seconds)

    def converse(i: int) -> None:
        time.sleep(i * stagger)  # people open their threads over a few seconds, not at once
        user = f"U{i:04d}"
        mention = maker.mention(user, "start enterprise-ai", channel="CLOAD")
        ts = mention["event"]["ts"]
        with lock:
            run.threads[ts] = []
        deliver(mention)
        seen = 2  # "Assessment started" and the first question
        for k in range(answers):
            if not _wait_posts(api, ts, seen, reply_timeout):
                with lock:
                    run.stalled.append(ts)
                return
            time.sleep(think * (0.5 + pick_think.random()))  # a person reads, then types
            text = f"(thread {i}, answer {k + 1}) {ANSWERS[k % len(ANSWERS)]}"
            with lock:
                run.threads[ts].append(text)
            deliver(maker.reply(user, text, ts, channel="CLOAD"))
            seen += 1
        if not _wait_posts(api, ts, seen, reply_timeout):
            with lock:
                run.stalled.append(ts)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(converse, range(threads)))
    run.seconds = time.perf_counter() - started
    return run


def _wait_posts(api: FakeSlackAPI, ts: str, count: int, timeout: float) -> bool:
    # Polls a counter: fifty waiters rescanning every call on every post would make the
    # process playing Slack the busiest one on the machine, and slow the workers' acks.
    deadline = time.monotonic() + timeout
    while api.post_count(ts) < count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@dataclass
class Verdict:
    lost: list[str]  # "thread: answer" never recorded
    doubled: list[str]  # recorded more than once
    out_of_order: list[str]  # threads whose answers are recorded in another order
    taken_over: int  # deliveries a live worker took over from the killed one


def check(run: LoadRun, database_url: str) -> Verdict:
    """Read every thread's interview back from PostgreSQL."""
    from agent.interview.store import SessionStore
    from agent.slack.store import SlackStore
    from agent.storage.postgres import Postgres

    db = Postgres(database_url, max_connections=2)
    store = SessionStore(db=db)
    lost, doubled, disorder = [], [], []
    try:
        for ts, sent in run.threads.items():
            session = f"slack-{TEAM}-CLOAD-{ts}"
            recorded = [t.text for t in store.conversation(session)
                        if t.speaker == "person" and t.kind == "answer"]
            for text in sent:
                n = recorded.count(text)
                if n == 0:
                    lost.append(f"{ts}: {text}")
                elif n > 1:
                    doubled.append(f"{ts}: {text}")
            if [t for t in recorded if t in sent] != [t for t in sent if t in recorded]:
                disorder.append(ts)
        taken_over = SlackStore(db=db).taken_over()
    finally:
        db.close()
    return Verdict(lost, doubled, disorder, taken_over)


if __name__ == "__main__" and sys.argv[1:2] == ["proxy"]:
    server = RoundRobinProxy([("127.0.0.1", int(p)) for p in sys.argv[2:]])
    print(server.url, flush=True)
    server.server.serve_forever(0.05)
