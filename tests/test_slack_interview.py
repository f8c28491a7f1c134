"""A whole interview in a Slack thread with the real Interviewer, and `maturity slack serve`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slack_fake import LOCAL_ONLY, SECRET, FakeSlackAPI, SlackRig, SlackSender, start_rig

from agent.app import Services
from agent.interview import Interviewer

pytestmark = pytest.mark.block_network(**LOCAL_ONLY)

ROOT = Path(__file__).resolve().parents[1]
PROFILES = {
    "UDANA": {"name": "Dana Ruiz", "title": "Head of Data"},
    "URAJ": {"name": "Raj Patel", "title": "Compliance Lead"},
    "UENG": {"name": "Eli Novak", "title": "Platform Engineer"},
    "USAM": {"name": "Sam Lee", "title": ""},
}
SCRIPT = [
    ("UDANA", "Our data catalogue in Collibra covers 80% of tables, and 12 named stewards "
              "have owned the datasets since 2022."),
    ("URAJ", "The board approved our model risk policy in March 2023, and a five-person AI "
             "council reviews every model before launch."),
    ("UENG", "All 9 ML teams deploy through one Kubeflow platform with CI pipelines and an "
             "MLflow registry, in place since 2021."),
    ("USAM", "We trained 40 engineers in applied ML last year and hired 6 data scientists."),
    ("USAM", "Head of People"),  # Sam has no title in Slack: asked once, answers here
    ("UDANA", "skip"),
    ("URAJ", "status"),
    ("UENG", "why"),
    ("UDANA", "done"),
]


@pytest.fixture
def rig(services: Services) -> Iterator[tuple[SlackRig, Interviewer]]:
    interviewer = Interviewer(services)
    with FakeSlackAPI(PROFILES) as api:
        running = start_rig(services, interviewer, api)
        try:
            yield running, interviewer
        finally:
            running.stop()
            interviewer.close()


def test_a_multi_user_interview_ends_with_a_posted_scorecard_and_report(
        rig: tuple[SlackRig, Interviewer], services: Services) -> None:
    slack, interviewer = rig
    api, sender = slack.api, slack.sender
    mention = sender.mention("UDANA", "start enterprise-ai")
    assert sender.send(mention).status == 200
    thread = mention["event"]["ts"]
    api.wait_posts(thread, 2, timeout=60)
    for user, text in SCRIPT:
        seen = len(api.posts(thread))
        assert sender.send(sender.reply(user, text, thread)).status == 200
        api.wait_for(lambda a, n=seen: len(a.posts(thread)) > n, timeout=60)
    api.wait_for(lambda a: a.calls("files.completeUploadExternal"), timeout=60)

    posts = api.posts(thread)
    assert {p["channel"] for p in posts} == {"C1"} and len(api.posts()) == len(posts)
    addressed = {m for p in posts for m in re.findall(r"^<@(U[A-Z]+)>", p["text"])}
    assert {"UDANA", "URAJ", "UENG", "USAM"} <= addressed
    assert sum("what is your role" in p["text"] for p in posts) == 1  # asked once, of Sam
    card = next(p for p in posts if p.get("blocks"))
    blocks = json.loads(card["blocks"]) if isinstance(card["blocks"], str) else card["blocks"]
    assert blocks[0]["text"]["text"].startswith("Final scorecard")
    table = blocks[2]["text"]["text"]
    assert all(name in table for name in ("Strategy", "Governance", "Technology", "Confidence"))
    assert "Top gaps" in json.dumps(blocks) and "Final scorecard" in card["text"]

    [done] = api.calls("files.completeUploadExternal")
    assert done.params["thread_ts"] == thread and done.params["channel_id"] == "C1"
    [upload] = api.state.uploads.values()
    report = upload.content.decode()
    for person in ("Dana Ruiz (Head of Data)", "Raj Patel (Compliance Lead)",
                   "Eli Novak (Platform Engineer)", "Sam Lee (Head of People)"):
        assert person in report

    assert slack.surface.pool.wait_idle(30)
    final = interviewer.assessment(f"slack-T0TEAM-C1-{thread}")
    # Evidence is attributed to the people who said it: every quote is from a message of
    # the person it is credited to (the reader credits what it is sure of, so not every
    # answer needs to become evidence).
    said = {PROFILES[user]["name"]: [t for u, t in SCRIPT if u == user] for user in PROFILES}
    evidence = [e for d in final.dimensions for e in d.evidence]
    assert evidence and all(any(e.quote in text for text in said[e.speaker]) for e in evidence)
    assert any(d.level for d in final.dimensions)
    try:
        from agent.history.store import history_store
    except ImportError:
        return  # the history store is not there yet
    assert [e.framework for e in history_store(services).list()] == ["enterprise-ai"]


def _start_and_finish(slack: SlackRig, words: str) -> str:
    """Raj opens a thread with ``@maturity words`` and ends it at once; the thread's ts."""
    mention = slack.sender.mention("URAJ", words)
    slack.sender.send(mention)
    thread = str(mention["event"]["ts"])
    slack.api.wait_posts(thread, 2, timeout=60)
    slack.sender.send(slack.sender.reply("URAJ", "done", thread))
    slack.api.wait_for(lambda a: a.calls("files.completeUploadExternal"), timeout=60)
    return thread


def test_a_reply_after_the_end_is_not_an_answer(rig: tuple[SlackRig, Interviewer]) -> None:
    slack, _ = rig
    api, sender = slack.api, slack.sender
    thread = _start_and_finish(slack, "")
    seen = len(api.posts(thread))
    sender.send(sender.reply("URAJ", "one more thing", thread))
    sender.send(sender.mention("URAJ", "hello?", thread_ts=thread))
    after = api.wait_posts(thread, seen + 1)
    assert "finished" in after[-1]["text"] and len(api.posts(thread)) == seen + 1


# -- the command -----------------------------------------------------------------------


def test_serve_without_credentials_exits_2_with_one_line(
        home: Path, cli: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    code, out, err = cli("slack", "serve")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "maturity: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN not set; copy the signing secret "
        "(Basic Information) and the bot token (OAuth & Permissions) from your Slack app and "
        "export them"]


def test_serve_with_a_rejected_token_exits_2(
        home: Path, cli: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSlackAPI() as api:
        api.fail("auth.test", "invalid_auth")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-revoked")
        monkeypatch.setenv("MATURITY_SLACK_API_URL", api.base_url)
        code, _, err = cli("slack", "serve", "--port", "0")
    assert code == 2
    assert err.startswith("maturity: Slack rejected SLACK_BOT_TOKEN (invalid_auth)")
    assert len(err.strip().splitlines()) == 1


def test_slack_serve_answers_signed_events_until_stopped(indexed_home: Path) -> None:
    with FakeSlackAPI(PROFILES) as api:
        env = {**os.environ, "MATURITY_HOME": str(indexed_home), "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_BOT_TOKEN": "xoxb-test", "MATURITY_SLACK_API_URL": api.base_url,
               "MATURITY_ENGINE": "offline"}
        proc = subprocess.Popen([sys.executable, "-m", "agent", "slack", "serve", "--port", "0"],
                                cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stderr is not None
            line = proc.stderr.readline()
            url = re.search(r"listening on (http://\S+)", line)
            assert url, line
            sender = SlackSender(url.group(1), SECRET)
            mention = sender.mention("UENG", "start mlops-llmops")
            assert sender.send(mention).status == 200
            assert sender.send(mention, secret="wrong").status == 401
            posts = api.wait_posts(mention["event"]["ts"], 2, timeout=60)
            assert posts[1]["text"].startswith("<@UENG>")
        finally:
            proc.send_signal(signal.SIGTERM)
            _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 0, rest
    assert "stopped" in rest


def test_a_channels_engagement_files_its_assessments(rig: tuple[SlackRig, Interviewer],
                                                      services: Services) -> None:
    from agent.history.store import history_store

    slack, _ = rig
    api, sender = slack.api, slack.sender
    ask = sender.mention("URAJ", "engagement")
    sender.send(ask)
    [said] = api.wait_posts(ask["event"]["ts"], 1)
    assert "no engagement yet" in said["text"]
    setting = sender.mention("URAJ", "engagement  Acme Bank 2026 ")
    sender.send(setting)
    [said] = api.wait_posts(setting["event"]["ts"], 1)
    assert "“Acme Bank 2026”" in said["text"]
    _start_and_finish(slack, "start enterprise-ai")
    assert slack.surface.pool.wait_idle(30)
    [entry] = history_store(services).list()
    assert entry.engagement == "Acme Bank 2026" and entry.origin == "slack"
    elsewhere = sender.mention("URAJ", "engagement", channel="C2")
    sender.send(elsewhere)
    [said] = api.wait_posts(elsewhere["event"]["ts"], 1)
    assert "no engagement yet" in said["text"]  # a channel's setting is its own
