"""The Textual app driving the REAL Interviewer (offline engine, real index, real SQLite)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from interview_answers import SCRIPTED_ANSWERS as ANSWERS
from textual.pilot import Pilot
from textual.widgets import Static
from tui_fake import say, settle

from agent.app import Services
from agent.assessment.checks import quote_in
from agent.assessment.model import Assessment
from agent.history.store import history_store
from agent.interview import Interviewer, Stakeholder
from tui.app import InterviewApp
from tui.widgets.chat import ChatMessage
from tui.widgets.drawer import EvidenceDrawer
from tui.widgets.scorecard import Scorecard, coverage

ADA = Stakeholder("Ada Lovelace", "Head of Data")
DIMENSIONS = ["strategy", "data", "talent", "governance", "technology", "culture"]


def run(app: InterviewApp, script: Callable[[Pilot[Any]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await script(pilot)

    asyncio.run(main())


def make_app(interviewer: Interviewer, stakeholder: Stakeholder | None = ADA,
             **kwargs: Any) -> InterviewApp:
    app = InterviewApp(interviewer, "enterprise-ai", stakeholder, **kwargs)
    app.cursor_blink = False
    return app


def test_a_whole_interview_with_the_real_core(interviewer: Interviewer, services: Services,
                                              tmp_path: Path) -> None:
    out = tmp_path / "ada.json"
    app = make_app(interviewer, out=out)
    seen: dict[str, Any] = {}

    async def script(pilot: Pilot[Any]) -> None:
        assert app.session_id is not None and app.turn is not None
        assert app.turn.kind == "question"
        for answer in ANSWERS:
            await say(pilot, answer)
        await say(pilot, "done")
        await pilot.press("y")  # done asks first
        await settle(pilot)
        assert app.finished and app.saved
        live = interviewer.assessment(app.session_id)
        table = app.query_one(Scorecard)
        seen["rows"] = {str(k.value): [str(c) for c in table.get_row(k)] for k in table.rows}
        seen["live"] = live
        table.focus()
        await pilot.press("down", "down", "down", "down", "enter")  # technology
        await pilot.pause()
        seen["drawer"] = str(app.query_one("#drawer-body", Static).render())
        seen["drawer_dim"] = app.query_one(EvidenceDrawer).dimension_id
        seen["chat"] = [str(m.render()) for m in app.query(ChatMessage)]
        await pilot.press("ctrl+q")

    run(app, script)
    live: Assessment = seen["live"]
    final = app.return_value
    assert final is not None and final.levels() == live.levels()
    assert all(level is not None for level in final.levels().values()), final.levels()
    for d in live.dimensions:  # the scorecard shows exactly the core's assessment
        name, level, confidence, covered = seen["rows"][d.id]
        assert name.strip(" ▸") == d.name
        assert level == f"{d.level} {d.level_name}"
        assert confidence == f"{d.confidence:.2f}"
        assert covered == "{}/{}".format(*coverage(d)) and coverage(d)[0] > 0

    technology = live.dimension("technology")
    drawer = seen["drawer"]
    assert seen["drawer_dim"] == "technology"
    assert drawer.startswith(f"Technology & Tools — level {technology.level}")
    for e in technology.evidence:  # every quote, where it is, and that it is really there
        assert f"“{e.quote}”" in drawer
        assert f"Ada Lovelace · line {e.line} · {e.stance}" in drawer
        assert quote_in(e.quote, ANSWERS[e.line - 1])
    chunk_ids = {c.id for c in services.registry.chunks()}
    for c in technology.citations:
        assert f"[{c.chunk_id}]" in drawer and c.chunk_id in chunk_ids
    for indicator_id in technology.missing_indicators:
        assert f"({indicator_id})" in drawer

    saved = Assessment.model_validate_json(out.read_text())
    assert saved.levels() == final.levels() and saved.framework == "enterprise-ai"
    assert out.with_suffix(".md").read_text().lstrip().startswith("#")
    assert "<html" in out.with_suffix(".html").read_text().lower()
    assert app.saved == [out, out.with_suffix(".md"), out.with_suffix(".html")]
    history = history_store(services).list()
    assert len(history) == 1 and history[0].levels == final.levels()
    assert "Report saved:" in seen["chat"][-1] and str(out) in seen["chat"][-1]
    assert "saved to history as" in seen["chat"][-1]


def test_quit_mid_interview_then_resume_without_a_name(interviewer: Interviewer) -> None:
    first = make_app(interviewer)
    asked: list[str] = []

    async def two_answers(pilot: Pilot[Any]) -> None:
        for answer in (ANSWERS[1], ANSWERS[4]):
            assert first.turn is not None
            asked.append(first.turn.text)
            await say(pilot, answer)
        await pilot.press("ctrl+q")

    run(first, two_answers)
    sid = first.session_id
    assert first.return_value is None and sid is not None
    waiting = interviewer.pending(sid)
    before = interviewer.assessment(sid)
    assert sum(s.utterances for s in before.sources) == 2

    resumed = make_app(interviewer, stakeholder=None, session_id=sid)
    seen: dict[str, Any] = {}

    async def look(pilot: Pilot[Any]) -> None:
        seen["chat"] = [str(m.render()) for m in resumed.query(ChatMessage)]
        seen["status"] = str(resumed.query_one("#status", Static).render())
        table = resumed.query_one(Scorecard)
        seen["levels"] = {str(k.value): str(table.get_row(k)[1]) for k in table.rows}
        await say(pilot, ANSWERS[2])
        await pilot.press("ctrl+q")

    run(resumed, look)
    assert resumed.stakeholder == ADA  # nobody asked: the session knew whose turn it was
    chat = seen["chat"]
    assert chat[0].startswith(f"Resumed session {sid}: the conversation so far (2 answer(s))")
    # the earlier questions and answers, in order, then the question that waits
    assert asked[0] in chat[1] and chat[1].startswith("Agent")
    assert chat[2] == f"Ada Lovelace\n{ANSWERS[1]}"
    assert asked[1] in chat[3] and chat[3].startswith("Agent")
    assert chat[4] == f"Ada Lovelace\n{ANSWERS[4]}"
    assert chat[5] == "Picking up where the session stopped:"
    assert waiting.text in chat[6]
    assert seen["status"].startswith("Ada Lovelace (Head of Data) · 2 answered")
    for d in before.dimensions:
        assert seen["levels"][d.id] == (f"{d.level} {d.level_name}" if d.level else "—")
    after = interviewer.assessment(sid)
    assert sum(s.utterances for s in after.sources) == 3
    assert json.loads(after.model_dump_json())["framework"] == "enterprise-ai"
