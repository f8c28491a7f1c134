"""The Slack app over real HTTP: signed requests in, calls to a local fake Web API out."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_fake import (
    BOT_ID,
    BOT_USER,
    LOCAL_ONLY,
    FakeSlackAPI,
    ScriptedInterviewer,
    SlackRig,
    start_rig,
)

from agent.app import Services

pytestmark = pytest.mark.block_network(**LOCAL_ONLY)

PROFILES = {
    "UDANA": {"name": "Dana Ruiz", "title": "Head of Data"},
    "URAJ": {"name": "Raj Patel", "title": "Compliance Lead"},
    "USAM": {"name": "Sam Lee", "title": ""},
    "UENG": {"name": "Eli Novak", "title": "Platform Engineer"},
}


@pytest.fixture
def interviewer(fake_services: Services) -> ScriptedInterviewer:
    return ScriptedInterviewer(fake_services.registry.get(None))


@pytest.fixture
def rig(fake_services: Services, interviewer: ScriptedInterviewer) -> Iterator[SlackRig]:
    with FakeSlackAPI(PROFILES) as api:
        running = start_rig(fake_services, interviewer, api)
        try:
            yield running
        finally:
            running.stop()


def texts(posts: list[dict]) -> list[str]:
    return [p["text"] for p in posts]


def start_thread(rig: SlackRig, user: str = "UDANA", text: str = "start") -> str:
    payload = rig.sender.mention(user, text)
    assert rig.sender.send(payload).status == 200
    thread = payload["event"]["ts"]
    rig.api.wait_posts(thread, 2)  # the welcome and the first question
    return thread


def test_bad_stale_or_missing_signatures_get_401_and_change_nothing(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    payload = rig.sender.mention("UDANA", "start")
    assert rig.sender.send(payload, signed=False).status == 401
    assert rig.sender.send(payload, secret="not-the-secret").status == 401
    assert rig.sender.send(payload, timestamp=int(time.time()) - 301).status == 401
    assert rig.sender.send(payload, timestamp=int(time.time()) + 301).status == 401
    time.sleep(0.3)
    assert rig.api.posts() == [] and interviewer.calls == []
    # The rejected deliveries did not mark the event as seen: signed, it is processed.
    assert rig.sender.send(payload, timestamp=int(time.time()) - 240).status == 200
    assert rig.api.wait_posts(payload["event"]["ts"], 2)


def test_a_mention_opens_a_session_bound_to_its_thread(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    thread = start_thread(rig)
    posts = rig.api.posts(thread)
    assert all(p["channel"] == "C1" for p in posts)
    assert posts[1]["text"].startswith("<@UDANA> ")
    assert interviewer.calls[0] == ("start", f"slack-T0TEAM-C1-{thread}", "enterprise-ai",
                                    "Dana Ruiz", "Head of Data")
    assert rig.sender.send(rig.sender.reply("UDANA", "We fund 3 AI use cases & review them", thread)).status == 200
    posts = rig.api.wait_posts(thread, 3)
    assert ("answer", f"slack-T0TEAM-C1-{thread}", "Dana Ruiz", "We fund 3 AI use cases & review them") in interviewer.calls
    assert posts[2]["thread_ts"] == thread
    # The bot escapes what it echoes and never posts outside the thread.
    assert [p for p in rig.api.posts() if p.get("thread_ts") != thread] == []


def test_a_framework_named_in_the_mention_is_used(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    payload = rig.sender.mention("UDANA", "start mlops-llmops")
    rig.sender.send(payload)
    posts = rig.api.wait_posts(payload["event"]["ts"], 1)
    assert interviewer.calls[0][2] == "mlops-llmops"
    assert "unknown framework" in posts[-1]["text"]  # the scripted interviewer only knows one


def test_an_unknown_framework_is_refused_with_the_known_ones(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    payload = rig.sender.mention("UDANA", "start maturity-9000")
    rig.sender.send(payload)
    [post] = rig.api.wait_posts(payload["event"]["ts"], 1)
    assert "maturity-9000" in post["text"] and "enterprise-ai" in post["text"]
    assert interviewer.calls == []


def test_retried_deliveries_are_processed_once(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    thread = start_thread(rig)
    reply = rig.sender.reply("UDANA", "We have 2 funded pilots", thread)
    statuses = [rig.sender.send(reply).status] + [rig.sender.send(reply, retry=n).status for n in (1, 2, 3)]
    assert statuses == [200, 200, 200, 200]
    rig.api.wait_posts(thread, 3)
    time.sleep(0.3)
    assert len(rig.api.posts(thread)) == 3
    assert [c for c in interviewer.calls if c[0] == "answer"] == [
        ("answer", f"slack-T0TEAM-C1-{thread}", "Dana Ruiz", "We have 2 funded pilots")]


def test_redeliveries_are_dropped_after_a_restart(fake_services: Services, interviewer: ScriptedInterviewer) -> None:
    with FakeSlackAPI(PROFILES) as api:
        first = start_rig(fake_services, interviewer, api)
        payload = first.sender.mention("UDANA", "start")
        first.sender.send(payload)
        api.wait_posts(payload["event"]["ts"], 2)
        first.stop()
        second = start_rig(fake_services, interviewer, api)
        try:
            assert second.sender.send(payload, retry=1).status == 200
            time.sleep(0.3)
            assert len(api.posts()) == 2
            assert [c[0] for c in interviewer.calls] == ["start"]
        finally:
            second.stop()


def test_the_bots_own_messages_are_ignored(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    thread = start_thread(rig)
    own_user = rig.sender.reply(BOT_USER, "a question the bot asked", thread)
    own_bot = rig.sender.reply("UOTHER", "a question the bot asked", thread, bot_id=BOT_ID,
                               subtype="bot_message")
    edited = rig.sender.reply("UDANA", "edited", thread, subtype="message_changed")
    for payload in (own_user, own_bot, edited):
        assert rig.sender.send(payload).status == 200
    time.sleep(0.3)
    assert len(rig.api.posts(thread)) == 2
    assert [c[0] for c in interviewer.calls] == ["start"]


def test_messages_outside_bound_threads_are_left_alone(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    top_level = rig.sender.event({"type": "message", "user": "UDANA", "text": "lunch?",
                                  "channel": "C1", "ts": rig.sender.next_ts()})
    other_thread = rig.sender.reply("UDANA", "unrelated", "1690000000.000100")
    for payload in (top_level, other_thread):
        assert rig.sender.send(payload).status == 200
    unhandled = rig.sender.event({"type": "reaction_added", "user": "UDANA", "reaction": "tada"})
    assert rig.sender.send(unhandled).status == 200  # acknowledged, so Slack does not retry
    time.sleep(0.3)
    assert rig.api.posts() == [] and interviewer.calls == []


def test_a_person_without_a_title_is_asked_their_role_once(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    thread = start_thread(rig)
    rig.sender.send(rig.sender.reply("USAM", "We trained 40 people last year", thread))
    ask = rig.api.wait_posts(thread, 3)[-1]
    assert ask["text"].startswith("<@USAM>") and "role" in ask["text"]
    rig.sender.send(rig.sender.reply("USAM", "People & Talent partner", thread))
    rig.api.wait_posts(thread, 4)
    sid = f"slack-T0TEAM-C1-{thread}"
    answers = [c for c in interviewer.calls if c[0] == "answer"]
    assert answers == [("answer", sid, "Sam Lee", "We trained 40 people last year")]
    assert interviewer.people[sid][-1] == ("Sam Lee", "People & Talent partner")
    rig.sender.send(rig.sender.reply("USAM", "We also run 2 hackathons", thread))
    rig.api.wait_posts(thread, 5)
    assert sum("role" in t and t.startswith("<@USAM>") for t in texts(rig.api.posts(thread))) == 1


def test_the_starter_without_a_title_is_asked_before_the_first_question(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    payload = rig.sender.mention("USAM", "")
    rig.sender.send(payload)
    thread = payload["event"]["ts"]
    [ask] = rig.api.wait_posts(thread, 1)
    assert "role" in ask["text"] and interviewer.calls == []
    rig.sender.send(rig.sender.reply("USAM", "Chief Data Officer", thread))
    rig.api.wait_posts(thread, 3)
    assert interviewer.calls[0][3:] == ("Sam Lee", "Chief Data Officer")


def test_questions_go_to_the_person_whose_role_fits(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    pack = interviewer.pack
    thread = start_thread(rig, "UENG")
    rig.sender.send(rig.sender.reply("URAJ", "skip", thread))  # Raj joins; strategy skipped
    posts = rig.api.wait_posts(thread, 3)
    question = pack.dimensions[1].questions[0]
    assert posts[-1]["text"].endswith(question.text) or question.text in posts[-1]["text"]
    fits = {"UENG": "engineering", "URAJ": "risk"}
    wanted = next((u for role in question.roles for u, cat in fits.items() if cat == role), None)
    if wanted:
        assert posts[-1]["text"].startswith(f"<@{wanted}>")
    else:
        assert "Best answered by someone in" in posts[-1]["text"]


def test_status_why_and_report_work_in_the_thread(rig: SlackRig) -> None:
    thread = start_thread(rig)
    for n, word in enumerate(("status", "why"), start=3):
        rig.sender.send(rig.sender.reply("UDANA", word, thread))
        rig.api.wait_posts(thread, n)
    status, why = texts(rig.api.posts(thread))[2:4]
    assert "dimensions done" in status and "looking for evidence" in why
    rig.sender.send(rig.sender.reply("UDANA", "report", thread))
    rig.api.wait_for(lambda api: api.calls("files.completeUploadExternal"))
    card = rig.api.posts(thread)[4]
    blocks = json.loads(card["blocks"]) if isinstance(card["blocks"], str) else card["blocks"]
    assert blocks[0]["type"] == "header" and "so far" in blocks[0]["text"]["text"]
    assert "Confidence" in blocks[2]["text"]["text"]
    assert "Strategy" in card["text"] and "http" not in card["text"]


def test_the_report_is_uploaded_as_a_file_into_the_thread(rig: SlackRig) -> None:
    thread = start_thread(rig)
    rig.sender.send(rig.sender.reply("UDANA", "report", thread))
    [done] = rig.api.wait_for(lambda api: api.calls("files.completeUploadExternal"))
    assert done.params["channel_id"] == "C1" and done.params["thread_ts"] == thread
    [upload] = rig.api.state.uploads.values()
    assert upload.content.decode().startswith("# AI maturity assessment")
    assert rig.api.calls("files.getUploadURLExternal")[0].params["filename"].endswith("-interim.md")


def test_the_report_is_posted_in_parts_when_uploads_fail(rig: SlackRig) -> None:
    rig.api.fail("files.getUploadURLExternal", "missing_scope")
    thread = start_thread(rig)
    rig.sender.send(rig.sender.reply("UDANA", "report", thread))
    parts = rig.api.wait_for(lambda api: [p for p in api.posts(thread) if "Maturity report" in p["text"]])
    assert parts[0]["text"].split("\n", 1)[1].startswith("# AI maturity assessment")
    assert all(len(p["text"]) <= 3600 for p in parts)
    assert rig.api.state.uploads == {}


def test_a_slash_command_opens_a_thread(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    delivery = rig.sender.command("URAJ", "start enterprise-ai")
    assert delivery.status == 200 and "Starting" in delivery.body
    root = rig.api.wait_for(lambda api: [p for p in api.posts() if "thread_ts" not in p])[0]
    assert root["channel"] == "C1" and "<@URAJ>" in root["text"]
    thread = rig.api.calls("chat.postMessage")[0].response["ts"]
    rig.api.wait_posts(thread, 2)  # the welcome and the first question, in the root's thread
    assert interviewer.calls[0][:3] == ("start", f"slack-T0TEAM-C1-{thread}", "enterprise-ai")
    assert rig.sender.command("URAJ", "start nope").body.startswith("I do not know")
    assert "Frameworks" in rig.sender.command("URAJ", "help").body


def test_several_threads_run_at_once_each_its_own_session(fake_services: Services) -> None:
    slow = ScriptedInterviewer(fake_services.registry.get(None), delay=0.05)
    with FakeSlackAPI(PROFILES) as api:
        rig = start_rig(fake_services, slow, api, workers=4)
        try:
            mentions = [rig.sender.mention("UDANA", "start", channel=f"C{n}") for n in range(8)]
            with ThreadPoolExecutor(8) as pool:
                assert {d.status for d in pool.map(rig.sender.send, mentions)} == {200}
            for m in mentions:
                api.wait_posts(m["event"]["ts"], 2)
            # Two quick answers in each thread: read in order, never two at once per session.
            for n, m in enumerate(mentions):
                thread, channel = m["event"]["ts"], m["event"]["channel"]
                rig.sender.send(rig.sender.reply("UDANA", f"first {n}", thread, channel=channel))
                rig.sender.send(rig.sender.reply("UDANA", f"second {n}", thread, channel=channel))
            for m in mentions:
                api.wait_posts(m["event"]["ts"], 4)
        finally:
            rig.stop()
    assert slow.overlaps == []
    for n in range(8):
        answers = [c[3] for c in slow.calls if c[0] == "answer" and c[1].startswith(f"slack-T0TEAM-C{n}-")]
        assert answers == [f"first {n}", f"second {n}"]


def test_slacks_url_check_gets_its_challenge_back(rig: SlackRig) -> None:
    delivery = rig.sender.send({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    assert delivery.status == 200 and json.loads(delivery.body) == {"challenge": "abc123"}
    unsigned = rig.sender.send({"token": "legacy", "challenge": "abc123", "type": "url_verification"},
                               signed=False)
    assert unsigned.status == 401


def test_people_talking_to_each_other_in_the_thread_is_not_an_answer(rig: SlackRig, interviewer: ScriptedInterviewer) -> None:
    thread = start_thread(rig)
    rig.sender.send(rig.sender.reply("UDANA", "<@URAJ> can you take this one?", thread))
    rig.sender.send(rig.sender.reply("URAJ", "Sure: 2 reviews a year", thread))
    rig.api.wait_posts(thread, 3)
    time.sleep(0.2)
    assert [c[3] for c in interviewer.calls if c[0] == "answer"] == ["Sure: 2 reviews a year"]


def test_other_paths_and_oversized_bodies_are_refused(rig: SlackRig) -> None:
    import urllib.error
    import urllib.request

    base = rig.sender.url.rsplit("/slack/events", 1)[0]
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as ok:
        assert ok.status == 200
    for url, data in ((f"{base}/other", b"{}"), (rig.sender.url, b"x" * (1024 * 1024 + 1))):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=5)
        assert refused.value.code in (404, 413)
        refused.value.close()
