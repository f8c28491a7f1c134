"""The Slack surface's parts without HTTP: text handling, Block Kit, the pool, the store."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from agent.assessment.model import Assessment, DimensionResult, RoadmapItem, Warning_
from agent.errors import UserError
from agent.slack.blocks import scorecard_blocks, scorecard_text, top_gaps
from agent.slack.intake import parse_start
from agent.slack.people import best_fit, clean_role, unique_name
from agent.slack.pool import KeyedWorkerPool
from agent.slack.settings import api_base_url, slack_settings_from_env
from agent.slack.store import Participant, SlackStore, ThreadKey
from agent.slack.text import escape, plain_text, split_text

FRAMEWORKS = ["aimm", "enterprise-ai", "mlops-llmops"]


def assessment(**extra: object) -> Assessment:
    dims = [
        DimensionResult(id="strategy", name="Strategy", level=3, level_name="Strategic",
                        confidence=0.72, missing=["a <funded> roadmap"]),
        DimensionResult(id="data", name="Data", level=None, confidence=0.1,
                        missing=["a data catalogue & owners"]),
    ]
    return Assessment(framework="enterprise-ai", framework_name="Enterprise AI", engine="offline",
                      created="2025-01-01T00:00:00+00:00", dimensions=dims, **extra)  # type: ignore[arg-type]


def test_replies_are_read_as_plain_text() -> None:
    raw = "<@UBOT> we use <https://mlflow.org|MLflow> &amp; <https://x.example> with <@U2> &lt;3"
    assert plain_text(raw, "UBOT") == "we use MLflow & https://x.example with @U2 <3"
    assert plain_text("<!here> status") == "@here status"


def test_what_we_echo_cannot_become_markup() -> None:
    assert escape("<@U1> & <!channel>") == "&lt;@U1&gt; &amp; &lt;!channel&gt;"


def test_long_text_is_split_at_line_ends_within_the_limit() -> None:
    text = "\n".join(f"line {n} " + "x" * 50 for n in range(200)) + "\n" + "y" * 250
    parts = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(p + "\n" for p in parts).replace("\n", "") == text.replace("\n", "")
    assert all(p.startswith(("line", "y")) for p in parts)


@pytest.mark.parametrize(("words", "framework", "error"), [
    ("", None, False), ("start", None, False), ("start mlops-llmops", "mlops-llmops", False),
    ("please assess AIMM", "aimm", False), ("start nope", None, True),
    ("can we start now", None, False)])
def test_start_requests(words: str, framework: str | None, error: bool) -> None:
    request = parse_start(words, FRAMEWORKS)
    assert request.framework == framework and bool(request.error) is error


def test_questions_go_to_the_earliest_fitting_role() -> None:
    people = [Participant("U1", "Ana", "Platform Engineer", None),
              Participant("U2", "Bo", "Head of Data", None),
              Participant("U3", "Cy", None, "")]
    assert best_fit(people, ("risk", "data", "engineering")) == people[1]
    assert best_fit(people, ("risk",)) is None
    assert unique_name("Ana", "U9", people) == "Ana (U9)"
    assert unique_name("Ana", "U1", people) == "Ana"
    assert clean_role("  Head of   Data. ") == "Head of Data" and clean_role(" ") is None


def test_the_scorecard_has_blocks_and_a_link_free_text_version() -> None:
    a = assessment(roadmap=[RoadmapItem(dimension="data", to_level=2, action="Name data owners",
                                        chunk_id="enterprise-ai:r1", priority=1)],
                   warnings=[Warning_(code="single_perspective", message="Only one role spoke.")])
    blocks = scorecard_blocks(a, final=True, answers=7)
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text",
                                                    "text": "Final scorecard: Enterprise AI"}}
    table = blocks[2]["text"]["text"]
    assert table.startswith("```") and "Strategy   3 Strategic" in table and "0.72" in table
    assert "not enough evidence" in table
    assert "*Top gaps*\n1. Data → level 2: Name data owners" in blocks[4]["text"]["text"]
    assert blocks[-1]["elements"][0]["text"] == "Only one role spoke."
    text = scorecard_text(a, final=True)
    assert "- Strategy: 3 Strategic, confidence 0.72" in text and "Name data owners" in text
    assert "<" not in text and "http" not in text


def test_without_a_roadmap_the_gaps_come_from_what_is_missing() -> None:
    a = assessment()
    assert top_gaps(a) == ["Data: a data catalogue & owners", "Strategy: a <funded> roadmap"]
    assert "&lt;funded&gt;" in scorecard_text(a, final=False)


def test_the_pool_keeps_each_keys_order_and_runs_keys_in_parallel() -> None:
    pool = KeyedWorkerPool(workers=3)
    seen: dict[str, list[int]] = {"a": [], "b": []}
    running: set[str] = set()
    overlap = threading.Event()
    lock = threading.Lock()

    def job(key: str, n: int) -> None:
        with lock:
            if key in running:
                overlap.set()
            running.add(key)
        time.sleep(0.005)
        seen[key].append(n)
        with lock:
            running.discard(key)

    for n in range(20):
        for key in ("a", "b"):
            pool.submit(key, lambda k=key, i=n: job(k, i))  # type: ignore[misc]
    pool.submit("c", lambda: 1 / 0)  # a failing job is logged, the pool carries on
    assert pool.shutdown(timeout=10)
    assert seen == {"a": list(range(20)), "b": list(range(20))} and not overlap.is_set()
    with pytest.raises(RuntimeError):
        pool.submit("a", lambda: None)


def test_deliveries_are_remembered_across_reopening(tmp_path: Path) -> None:
    store = SlackStore(tmp_path / "slack.sqlite")
    assert store.first_delivery("Ev1") and not store.first_delivery("Ev1")
    key = ThreadKey("T", "C", "1.2")
    assert store.bind(key, "enterprise-ai", "U1", "waiting_role")
    assert not store.bind(key, "aimm", "U2", "open")
    store.save_participant(key, Participant("U1", "Ana", None, ""))
    store.save_participant(key, Participant("U2", "Bo", "CTO", None))
    store.save_participant(key, Participant("U1", "Ana", "CDO", None))
    store.close()
    again = SlackStore(tmp_path / "slack.sqlite")
    assert not again.first_delivery("Ev1")
    thread = again.thread(key)
    assert thread is not None and (thread.framework, thread.state) == ("enterprise-ai", "waiting_role")
    assert [(p.user_id, p.role) for p in again.participants(key)] == [("U1", "CDO"), ("U2", "CTO")]
    assert key.session_id == "slack-T-C-1.2"
    again.close()


def test_missing_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(UserError, match=r"^SLACK_SIGNING_SECRET not set"):
        slack_settings_from_env()
    assert api_base_url("http://127.0.0.1:9/api") == "http://127.0.0.1:9/api/"
    assert api_base_url(None) == "https://slack.com/api/"
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert "xoxb" not in repr(slack_settings_from_env())
