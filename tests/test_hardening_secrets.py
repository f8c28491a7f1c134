"""No key or token ever lands on disk: logs, reports, sessions, history, cassettes.

The scanner (scripts/secrets_scan.py) is tested on planted secrets first, so the
end-to-end checks below can fail; then real runs are made with secrets in the
environment and everything they wrote is scanned, together with evals/cassettes.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"
CASSETTES = ROOT / "evals" / "cassettes"

# Realistic shapes, never real: random-looking, long enough to match the patterns.
OPENAI_KEY = "sk-proj-Q7vX2mLr9TsKpWz4NcYb8HdFa1GjE6Ru"
SLACK_TOKEN = "xoxb-2718281828-3141592653-Zp4qLm8RtY2vXc9N"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"


def _load_scanner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("secrets_scan", ROOT / "scripts" / "secrets_scan.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["secrets_scan"] = module
    spec.loader.exec_module(module)
    return module


scanner = _load_scanner()


def test_the_scanner_finds_secrets_wherever_they_are_written(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "maturity.log").write_text(f"openai.AuthenticationError: key {OPENAI_KEY}\n")
    cassette = tmp_path / "cassettes" / "llm.yaml"
    cassette.parent.mkdir()
    cassette.write_text("interactions:\n- request:\n    headers:\n      authorization:\n"
                        "      - Bearer abcdefghijklmnop1234\n")
    packed = tmp_path / "cassettes" / "case.yaml.gz"
    packed.write_bytes(gzip.compress(f"headers:\n  x-api-key: {OPENAI_KEY}\n".encode()))
    db = tmp_path / "sessions.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (f"token={SLACK_TOKEN}",))
    conn.close()
    (tmp_path / "report.json").write_text(f'{{"note": "signing {SIGNING_SECRET}"}}')

    findings = scanner.scan([tmp_path], [SIGNING_SECRET])
    by_file = {(f.path.name, f.kind) for f in findings}
    assert ("maturity.log", "openai-key") in by_file
    assert ("llm.yaml", "auth-header") in by_file and ("llm.yaml", "bearer") in by_file
    assert ("case.yaml.gz", "openai-key") in by_file
    assert ("sessions.sqlite", "slack-token") in by_file
    assert ("report.json", "known-secret") in by_file
    assert all(OPENAI_KEY not in str(f) and SLACK_TOKEN not in str(f) for f in findings)
    assert scanner.main([str(tmp_path)]) == 1


@pytest.mark.parametrize("text", [
    "authorization:\n      - REDACTED\n",
    "Authorization: Bearer <filtered>\n",
    '{"api_key": "SecretStr(\'**********\')"}',
    "Authorization: the CFO signs off every model release\n",
    "digest 8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6, sk-learn",
])
def test_placeholders_and_ordinary_text_are_not_findings(text: str, tmp_path: Path) -> None:
    assert scanner.scan_bytes(text.encode(), tmp_path / "f") == []


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> list[str]:
    """Every credential variable set, as on a configured machine; the engine stays offline."""
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("MATURITY_ENGINE", "offline")
    return [OPENAI_KEY, SLACK_TOKEN, SIGNING_SECRET]


def test_runs_with_credentials_configured_write_none_of_them(
        cli: Cli, indexed_home: Path, secret_env: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reports = indexed_home / "reports"
    reports.mkdir()
    answers = "Every dataset has a named owner in our Collibra catalogue.\ndone\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    code, _, err = cli("interview", "--plain", "--name", "Ana Souza", "--role", "Head of Data",
                       "--out", str(reports / "interview.json"))
    assert code == 0, err
    assert (indexed_home / "sessions.sqlite").exists()
    for fmt in ("json", "md"):
        code, _, err = cli("score", str(EXAMPLE), "--format", fmt, "--out",
                           str(reports / f"northwind.{fmt}"))
        assert code == 0, err
    code, _, _ = cli("score", str(tmp_path / "missing.txt"))
    assert code == 2
    code, out, _ = cli("history", "--format", "json")
    assert code == 0 and out.strip().startswith("[")
    assert list(reports.iterdir()) and (indexed_home / "history.sqlite").exists()
    findings = scanner.scan([indexed_home], secret_env)
    assert findings == [], [str(f) for f in findings]


def test_an_internal_error_log_holds_no_credentials(
        cli: Cli, indexed_home: Path, secret_env: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A failure deep inside a run goes to MATURITY_HOME/logs with its traceback.
    import agent.assessment.pipeline as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the pipeline broke")

    monkeypatch.setattr(pipeline, "assess", broken)
    code, _, err = cli("score", str(EXAMPLE))
    assert code == 1 and "internal error" in err and err.count("\n") == 1
    log = indexed_home / "logs" / "maturity.log"
    assert "the pipeline broke" in log.read_text()
    assert scanner.scan([indexed_home], secret_env) == []


def test_recorded_cassettes_hold_no_credentials() -> None:
    if not CASSETTES.is_dir():
        pytest.skip("no cassettes recorded yet")
    findings = scanner.scan([CASSETTES], scanner.secrets_from_environment())
    assert findings == [], [str(f) for f in findings]


@pytest.mark.block_network(allowed_hosts=[r"^127\.0\.0\.1$"])
def test_llm_runs_and_their_failures_write_no_credentials(
        cli: Cli, indexed_home: Path, secret_env: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The real provider against a local OpenAI-compatible server: once answering, once
    refusing the key with an error that echoes it (as some proxies do)."""
    from llm_fake_server import FakeOpenAI, error_reply, tool_reply

    monkeypatch.setenv("MATURITY_ENGINE", "llm")
    monkeypatch.setenv("MATURITY_MODEL", "fake-model")
    empty = tool_reply({"evidence": [], "injections": []})
    with FakeOpenAI(lambda body: empty).running() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, _, err = cli("score", str(EXAMPLE), "--format", "json", "--out",
                           str(indexed_home / "reports" / "llm.json"))
        assert code == 0, err
        assert server.headers and server.headers[0].get("authorization") == f"Bearer {OPENAI_KEY}"
    for status in (401, 400):  # refused: exit 2; rejected: the offline engine takes over
        refusal = error_reply(status, f"Incorrect API key provided: {OPENAI_KEY}")
        with FakeOpenAI(lambda body, r=refusal: r).running() as server:
            monkeypatch.setenv("OPENAI_BASE_URL", server.url)
            report = indexed_home / "reports" / f"refused-{status}.json"
            code, _, err = cli("score", str(EXAMPLE), "--format", "json", "--out", str(report))
        assert code == (2 if status == 401 else 0), err
        assert OPENAI_KEY not in err
    assert "llm_fallback" in (indexed_home / "reports" / "refused-400.json").read_text()
    findings = scanner.scan([indexed_home], secret_env)
    assert findings == [], [str(f) for f in findings]


@pytest.mark.block_network(allowed_hosts=[r"^127\.0\.0\.1$", r"^localhost$"])
def test_a_slack_interview_writes_no_slack_credentials(services: object) -> None:
    """A whole interview in a Slack thread (signed events, the real bolt app, the real
    Interviewer, history saved), then everything under MATURITY_HOME is scanned."""
    from slack_fake import SECRET, FakeSlackAPI, start_rig

    from agent.app import Services
    from agent.interview import Interviewer

    assert isinstance(services, Services)
    interviewer = Interviewer(services)
    with FakeSlackAPI({"UDANA": {"name": "Dana Ruiz", "title": "Head of Data"}}) as api:
        rig = start_rig(services, interviewer, api)
        try:
            mention = rig.sender.mention("UDANA", "start enterprise-ai")
            assert rig.sender.send(mention).status == 200
            thread = mention["event"]["ts"]
            api.wait_posts(thread, 2, timeout=60)
            for text in ("Every dataset has a named owner in our Collibra catalogue.", "done"):
                seen = len(api.posts(thread))
                assert rig.sender.send(rig.sender.reply("UDANA", text, thread)).status == 200
                api.wait_for(lambda a, n=seen: len(a.posts(thread)) > n, timeout=60)
            api.wait_for(lambda a: a.calls("files.completeUploadExternal"), timeout=60)
            assert rig.surface.pool.wait_idle(30)
        finally:
            rig.stop()
            interviewer.close()
    assert (services.home / "sessions.sqlite").exists()
    findings = scanner.scan([services.home], [SECRET, "xoxb-test-token"])
    assert findings == [], [str(f) for f in findings]
