"""The Textual interview app under Pilot, driven through a scripted Interviewer.

The fake (tests/tui_fake.py) keeps these fast; tests/test_tui_real.py drives the real
Interviewer through a whole interview.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_fake import FOLLOW_UP, FakeInterviewer, say, settle

from agent.app import Services
from agent.assessment.model import Assessment, Citation, DimensionResult, Evidence
from agent.interview import Stakeholder
from tui.app import InterviewApp
from tui.report_files import report_paths, save_report
from tui.widgets.chat import ChatMessage, ChatPane
from tui.widgets.confirm_finish import ConfirmFinish
from tui.widgets.drawer import EvidenceDrawer, drawer_text
from tui.widgets.scorecard import Scorecard, score_rows
from tui.widgets.stakeholder_form import StakeholderForm

DANA = Stakeholder("Dana Smith", "Head of Data")
SPECIFIC = "We run 14 models on SageMaker since 2021"


@pytest.fixture
def fake(fake_services: Services) -> FakeInterviewer:
    return FakeInterviewer(fake_services, fake_services.registry.get("enterprise-ai"))


def make_app(interviewer: FakeInterviewer, stakeholder: Stakeholder | None = DANA,
             **kwargs: object) -> InterviewApp:
    app = InterviewApp(interviewer, "enterprise-ai", stakeholder, **kwargs)  # type: ignore[arg-type]
    app.cursor_blink = False
    return app


def drive(app: InterviewApp, script: Callable[[Pilot[Assessment | None]], Awaitable[None]],
          size: tuple[int, int] = (120, 36), wait_first: bool = True) -> None:
    """Run the app headless; by default the script starts once the first question is up."""
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            if wait_first:
                await settle(pilot)
            await script(pilot)

    asyncio.run(run())


def chat_lines(app: InterviewApp) -> list[str]:
    return [str(m.render()) for m in app.query(ChatMessage)]


def cells(app: InterviewApp) -> dict[str, tuple[str, str, str]]:
    table = app.query_one(Scorecard)
    out = {}
    for key in table.rows:
        _, level, conf, cov = (str(c) for c in table.get_row(key))
        out[str(key.value)] = (level, conf, cov)
    return out


def test_whole_interview_updates_the_scorecard_and_saves_the_report(
        fake: FakeInterviewer, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "dana.json"
    app = make_app(fake, out=out)
    seen: list[dict[str, tuple[str, str, str]]] = []
    final: list[str] = []

    async def script(pilot: Pilot[Assessment | None]) -> None:
        assert cells(app)["strategy"] == ("—", "0.00", "0/15")
        await say(pilot, "We have a budget")  # vague: a follow-up, no level change yet
        assert chat_lines(app)[-1].endswith(FOLLOW_UP)
        await say(pilot, SPECIFIC)
        seen.append(cells(app))
        for _ in range(5):
            await say(pilot, SPECIFIC)
        assert app.finished
        final.extend(chat_lines(app))
        await pilot.press("ctrl+q")

    drive(app, script)
    assert seen[0]["strategy"] == ("2 Tactical", "0.74", "3/15")
    assert seen[0]["data"] == ("—", "0.00", "0/14")
    assert app.return_value is not None
    assert app.return_value.levels() == dict.fromkeys(
        ["strategy", "data", "talent", "governance", "technology", "culture"], 2)
    assert [c[1] for c in fake.calls if c[0] == "answer"] == ["s-0001"] * 7
    assert {c[2] for c in fake.calls if c[0] == "answer"} == {"Dana Smith"}
    saved = json.loads(out.read_text())
    assert saved["framework"] == "enterprise-ai"
    assert [d["level"] for d in saved["dimensions"]] == [2] * 6
    assert out.with_suffix(".md").read_text().startswith("#")
    assert out in app.saved and out.with_suffix(".md") in app.saved
    assert "Report saved:" in final[-1] and str(out) in final[-1]
    assert final[-2].startswith("Agent\nThank you")


def test_report_defaults_to_maturity_home_reports(fake: FakeInterviewer, home: Path) -> None:
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await pilot.press("ctrl+d", "y")  # done asks first
        await settle(pilot)

    drive(app, script)
    assert app.finished and app.saved[0] == home / "reports" / "s-0001.json"
    assert json.loads(app.saved[0].read_text())["dimensions"][0]["level"] is None


def test_name_and_role_form_comes_first_without_a_stakeholder(fake: FakeInterviewer) -> None:
    app = make_app(fake, stakeholder=None)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        assert isinstance(app.screen, StakeholderForm)
        await pilot.press(*"Ravi", "enter")  # no role yet: the form says so and stays
        await pilot.press("enter")
        error = app.screen.query_one("#form-error", Static)
        assert "enter your role" in str(error.render())
        assert fake.calls == []
        await pilot.press(*"CTO")
        await pilot.click("#start")
        await settle(pilot)
        assert not isinstance(app.screen, StakeholderForm)
        await say(pilot, SPECIFIC)

    drive(app, script)
    assert fake.calls[0] == ("start", "enterprise-ai", "Ravi", "CTO")
    assert fake.calls[1][:3] == ("answer", "s-0001", "Ravi")
    assert app.stakeholder == Stakeholder("Ravi", "CTO")


@pytest.mark.parametrize(("key", "kind", "expect"), [
    ("ctrl+w", "explain", "I am looking for evidence that"),
    ("ctrl+s", "status", "0 of 6 dimensions scored"),
    ("ctrl+k", "skip", "When someone new joins"),
    ("ctrl+d", "finished", "Thank you"),
])
def test_key_bindings_send_the_interview_commands(fake: FakeInterviewer, key: str, kind: str,
                                                  expect: str) -> None:
    app = make_app(fake)
    lines: list[str] = []

    async def script(pilot: Pilot[Assessment | None]) -> None:
        app.query_one("#answer", Input).value = "half-typed"
        await pilot.press(key)
        if key == "ctrl+d":  # done asks first
            assert isinstance(app.screen, ConfirmFinish)
            await pilot.press("y")
        await settle(pilot)
        lines.extend(chat_lines(app))
        lines.append(str(app.query_one("#status", Static).render()))
        assert app.query_one("#answer", Input).value == "half-typed"  # a key keeps the draft

    drive(app, script)
    word = {"ctrl+w": "why", "ctrl+s": "status", "ctrl+k": "skip", "ctrl+d": "done"}[key]
    assert fake.calls[-1] == ("answer", "s-0001", "Dana Smith", word)
    assert app.turn is not None and app.turn.kind == kind
    assert lines[1] == f"Dana Smith\n{word}"
    assert expect in lines[2]
    if kind != "finished":
        assert lines[-1] == "Dana Smith (Head of Data) · 0 answered · 0/6 scored"


def test_thinking_shows_progress_and_holds_typed_answers_until_the_worker_replies(
        fake: FakeInterviewer) -> None:
    gate = threading.Event()
    fake.gate = gate
    app = make_app(fake)

    def status() -> str:
        return str(app.query_one("#status", Static).render())

    async def script(pilot: Pilot[Assessment | None]) -> None:
        box = app.query_one("#answer", Input)
        await pilot.pause(0.05)
        assert app.thinking and app.query_one("#thinking").display
        assert "Preparing the question" in status()
        gate.set()
        await settle(pilot)
        assert not app.thinking and not app.query_one("#thinking").display
        assert app.focused is box
        gate.clear()
        box.value = SPECIFIC
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert app.thinking and "Reading your answer" in status() and box.value == ""
        box.value = "typed ahead"
        await pilot.press("enter", "ctrl+k")  # both wait: the agent is still thinking
        assert box.value == "typed ahead"
        gate.set()
        await settle(pilot)
        assert box.value == "typed ahead"
        assert "1 answered · 1/6 scored" in status()

    drive(app, script, wait_first=False)
    assert [c[0] for c in fake.calls] == ["start", "answer"]


def test_drawer_shows_quotes_citations_and_missing_for_the_selected_row(
        fake: FakeInterviewer) -> None:
    app = make_app(fake)
    texts: list[str] = []

    async def script(pilot: Pilot[Assessment | None]) -> None:
        drawer = app.query_one(EvidenceDrawer)
        assert not drawer.display
        await say(pilot, SPECIFIC)
        await say(pilot, "Our catalogue has 300 datasets")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert drawer.display and drawer.dimension_id == "strategy"
        texts.append(str(app.query_one("#drawer-body", Static).render()))
        app.query_one(Scorecard).focus()
        await pilot.press("down")
        await pilot.pause()
        assert drawer.dimension_id == "data"
        texts.append(str(app.query_one("#drawer-body", Static).render()))
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert not drawer.display

    drive(app, script)
    strategy, data = texts
    assert strategy.startswith("Strategy & Vision — level 2 (Tactical), confidence 0.74")
    assert f"“{SPECIFIC}”" in strategy
    assert "Dana Smith · line 1 · supports\n   strategy.l2.dedicated-budget" in strategy
    assert "[enterprise-ai:strategy.l2] defines level 2" in strategy
    assert "Missing for level 3 (" in strategy
    assert "(strategy.l3." in strategy
    assert "“Our catalogue has 300 datasets”" in data
    assert "Dana Smith · line 2 · supports" in data


def test_enter_on_a_scorecard_row_opens_the_drawer(fake: FakeInterviewer) -> None:
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        app.query_one(Scorecard).focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        drawer = app.query_one(EvidenceDrawer)
        assert drawer.display and drawer.dimension_id == "talent"
        assert "Talent & Skills — not scored yet" in str(
            app.query_one("#drawer-body", Static).render())

    drive(app, script)


def test_quitting_mid_interview_returns_none_and_writes_no_report(
        fake: FakeInterviewer, tmp_path: Path) -> None:
    app = make_app(fake, out=tmp_path / "r.json")

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await say(pilot, SPECIFIC)
        await pilot.press("ctrl+q")

    drive(app, script)
    assert app.return_value is None and app.session_id == "s-0001" and not app.finished
    assert not (tmp_path / "r.json").exists()


def test_quit_while_thinking_waits_for_the_answer_to_be_stored(fake: FakeInterviewer) -> None:
    gate = threading.Event()
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        fake.gate = gate
        app.query_one("#answer", Input).value = SPECIFIC
        await pilot.press("enter")
        await pilot.press("ctrl+q")
        assert not app._exit  # still waiting for the core
        assert "then quitting" in str(app.query_one("#status", Static).render())
        gate.set()
        for _ in range(200):
            await pilot.pause(0.05)
            if app._exit:
                break
        assert app._exit

    drive(app, script)
    assert app.return_value is None
    assert fake.calls[-1] == ("answer", "s-0001", "Dana Smith", SPECIFIC)
    assert fake.sessions_by_id["s-0001"].answers == 1


def test_a_failed_turn_is_shown_and_the_interview_goes_on(fake: FakeInterviewer) -> None:
    fake.fail_on = "gibberish"
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await say(pilot, "gibberish")
        assert "could not read that answer" in chat_lines(app)[-1]
        assert "error" in list(app.query(ChatMessage))[-1].classes
        assert not app.thinking
        await say(pilot, SPECIFIC)
        assert cells(app)["strategy"][0] == "2 Tactical"

    drive(app, script)


def test_resume_asks_the_pending_question_and_a_new_person_joins(
        fake: FakeInterviewer) -> None:
    sid, _ = fake.start("enterprise-ai", DANA)
    fake.answer(sid, DANA, SPECIFIC)

    async def resumed_script(pilot: Pilot[Assessment | None]) -> None:
        assert "When someone new joins" in chat_lines(resumed)[-1]
        assert cells(resumed)["strategy"][0] == "2 Tactical"

    resumed = make_app(fake, session_id=sid)
    drive(resumed, resumed_script)
    assert fake.calls[-1] == ("pending", sid)

    joined = make_app(fake, stakeholder=Stakeholder("Lee", "ML engineer"), session_id=sid)
    drive(joined, lambda pilot: say(pilot, "Two teams ship 5 models with MLflow"))
    assert fake.calls[-2] == ("join", sid, "Lee")
    assert fake.calls[-1][:3] == ("answer", sid, "Lee")


def test_unknown_session_is_reported_in_the_chat(fake: FakeInterviewer) -> None:
    app = make_app(fake, session_id="nope")

    async def script(pilot: Pilot[Assessment | None]) -> None:
        assert "unknown session 'nope'" in chat_lines(app)[-1]
        assert "Not started" in str(app.query_one("#status", Static).render())

    drive(app, script)
    assert app.assessment is None


def test_quotes_are_shown_verbatim_never_as_markup() -> None:
    quote = "We use [bold]Airflow[/bold] and [red]"
    dim = DimensionResult(
        id="data", name="Data", level=1, level_name="Experimental", confidence=0.3,
        evidence=[Evidence(quote=quote, source="interview:x", line=3, speaker=None,
                           stance="contradicts", indicator_id=None, strength="claim")],
        citations=[Citation(chunk_id="enterprise-ai:data.l1", text="x" * 300)],
        missing=["A catalogue exists"], missing_indicators=["data.l2.catalogue"])
    text = drawer_text(dim)
    assert isinstance(text, Text)
    assert f"“{quote}”" in text.plain
    assert "unknown speaker · line 3 · contradicts · claim, does not count" in text.plain
    assert "x" * 220 + "…" in text.plain and "x" * 221 not in text.plain
    assert "Missing for level 2 (1)\n • A catalogue exists (data.l2.catalogue)" in text.plain


def test_score_rows_and_report_paths() -> None:
    a = Assessment(framework="f", engine="offline", created="t", dimensions=[
        DimensionResult(id="d", level=None, confidence=0.0)])
    assert score_rows(a)[0].level == "—" and score_rows(a)[0].coverage == "0/0"
    home = Path("/h")
    assert report_paths(None, home, "s1") == {"json": Path("/h/reports/s1.json"),
                                              "md": Path("/h/reports/s1.md"),
                                              "html": Path("/h/reports/s1.html")}
    assert report_paths(Path("out.md"), home, "s1")["md"] == Path("out.md.md")


def test_a_format_the_renderer_lacks_is_skipped_with_a_note(tmp_path: Path) -> None:
    a = Assessment(framework="f", engine="offline", created="t", dimensions=[])
    saved = save_report(a, {"json": tmp_path / "a.json", "pdf": tmp_path / "a.pdf"})
    assert saved.paths == [tmp_path / "a.json"]
    assert saved.notes[0].startswith("pdf report skipped: unknown format 'pdf'")
    assert not (tmp_path / "a.pdf").exists()


def test_chat_pane_ignores_blank_answers(fake: FakeInterviewer) -> None:
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await say(pilot, "   ")
        assert len(app.query_one(ChatPane).query(ChatMessage)) == 1

    drive(app, script)
    assert [c[0] for c in fake.calls] == ["start"]


def test_resume_with_nobody_to_resume_as_asks_for_a_name(fake: FakeInterviewer) -> None:
    sid, _ = fake.start("enterprise-ai", DANA)
    fake.sessions_by_id[sid].stakeholders.clear()  # as if nobody had joined yet
    app = make_app(fake, stakeholder=None, session_id=sid)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        assert isinstance(app.screen, StakeholderForm)
        await pilot.press(*"Lee", "enter", *"CTO", "enter")
        await settle(pilot)
        assert "Lee (CTO) · 0 answered" in str(app.query_one("#status", Static).render())

    drive(app, script)
    assert fake.calls[-1] == ("join", sid, "Lee")


def test_the_cli_reaches_the_app_through_its_entry_point_not_an_import() -> None:
    from agent.cli.surfaces import surface
    from agent.errors import UserError
    from tui.app import run_interview_app

    assert surface("interview-app", "use --plain") is run_interview_app
    with pytest.raises(UserError, match=r"^the no-such surface is not installed; use --plain$"):
        surface("no-such", "use --plain")


# -- resuming shows the conversation so far -------------------------------------------------


def test_resume_shows_the_previous_questions_and_answers(fake: FakeInterviewer) -> None:
    sid, first = fake.start("enterprise-ai", DANA)
    fake.answer(sid, DANA, "We have a budget")  # vague: a follow-up
    fake.answer(sid, DANA, SPECIFIC)
    waiting = fake.pending(sid)
    app = make_app(fake, stakeholder=None, session_id=sid)
    lines: list[str] = []

    async def script(pilot: Pilot[Assessment | None]) -> None:
        lines.extend(chat_lines(app))

    drive(app, script)
    assert lines[0].startswith(f"Resumed session {sid}: the conversation so far (2 answer(s))")
    assert lines[1] == f"Agent · strategy\n{first.text}"
    assert lines[2] == "Dana Smith\nWe have a budget"
    assert lines[3] == f"Agent · strategy · follow-up\n{FOLLOW_UP}"
    assert lines[4] == f"Dana Smith\n{SPECIFIC}"
    assert lines[5] == "Picking up where the session stopped:"
    assert lines[6].startswith(f"Agent · data\n{waiting.text}")
    assert len(lines) == 7


# -- quitting says how to resume ---------------------------------------------------------------


def test_quit_mid_interview_shows_the_resume_command_before_closing(
        fake: FakeInterviewer) -> None:
    app = make_app(fake)
    seen: dict[str, object] = {}

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await say(pilot, SPECIFIC)
        await pilot.press("ctrl+q")
        seen["exited"] = app._exit
        seen["status"] = chat_lines(app)[-1]
        seen["notices"] = [n.message for n in app._notifications]
        for _ in range(100):  # then it closes by itself
            await pilot.pause(0.05)
            if app._exit:
                break
        seen["closed"] = app._exit

    drive(app, script)
    command = "maturity interview --resume s-0001"
    assert seen["exited"] is False and seen["closed"] is True
    assert command in str(seen["status"])
    assert any(command in str(n) for n in seen["notices"])  # type: ignore[attr-defined]
    assert app.return_value is None
    assert app.exit_lines() == [f"The session is saved. Resume with: {command}"]


def test_quit_prints_the_resume_command_on_the_terminal_after_the_app_exits(
        fake: FakeInterviewer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tui.app import run_interview_app

    def run_headless(self: InterviewApp) -> None:  # InterviewApp.run, minus the terminal
        self.cursor_blink = False

        async def script(pilot: Pilot[Assessment | None]) -> None:
            await say(pilot, SPECIFIC)
            await pilot.press("ctrl+q", "ctrl+q")  # the second ctrl+q closes at once
            assert self._exit

        drive(self, script)

    monkeypatch.setattr(InterviewApp, "run", run_headless)
    run_interview_app(fake, "enterprise-ai", DANA, None, None)  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert err == "The session is saved. Resume with: maturity interview --resume s-0001\n"


def test_quitting_a_finished_interview_does_not_offer_to_resume(
        fake: FakeInterviewer, tmp_path: Path) -> None:
    app = make_app(fake, out=tmp_path / "r.json")

    async def script(pilot: Pilot[Assessment | None]) -> None:
        await pilot.press("ctrl+d", "y")
        await settle(pilot)
        await pilot.press("ctrl+q")
        assert app._exit  # nothing to resume: closes at once

    drive(app, script)
    assert app.resume_hint() is None
    assert app.exit_lines() == ["Report saved:", *(f"  {p}" for p in app.saved)]


# -- focus after the drawer closes -------------------------------------------------------------


def test_closing_the_drawer_gives_the_focus_back_to_the_answer_box(
        fake: FakeInterviewer) -> None:
    app = make_app(fake)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        box = app.query_one("#answer", Input)
        drawer = app.query_one(EvidenceDrawer)
        await say(pilot, SPECIFIC)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("tab", "tab")  # answer -> scorecard -> drawer
        assert app.focused is drawer
        await pilot.press("ctrl+e")  # close it while it has the focus
        await pilot.pause()
        assert not drawer.display and app.focused is box
        await pilot.press(*"hi")
        assert box.value == "hi"
        for _ in range(6):  # tab never lands on a hidden widget
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not None and app.focused is not drawer
            assert all(node.display for node in app.focused.ancestors_with_self)
        assert drawer not in app.screen.focus_chain and not drawer.focusable
        app.query_one(Scorecard).focus()  # closing from the scorecard: back to the answer too
        await pilot.press("ctrl+e", "ctrl+e")
        await pilot.pause()
        assert app.focused is box

    drive(app, script)


# -- name and role typed fast or pasted ------------------------------------------------------


async def until_started(pilot: Pilot[Assessment | None], fake: FakeInterviewer) -> None:
    """Wait for keys queued at once to be handled: the form submitted, the session open."""
    for _ in range(200):
        await pilot.pause(0.02)
        if fake.calls:
            break
    await settle(pilot)


def _keys_at_once(app: InterviewApp, keys: list[str]) -> None:
    """Deliver keys the way a fast typist or a tool does: all queued before any is handled."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        char = key if len(key) == 1 else ("\t" if key == "tab" else None)
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        app.post_message(events.Key(name, char))


@pytest.mark.parametrize("between", ["tab", "enter"])
def test_name_then_role_typed_fast_fills_both_fields(fake: FakeInterviewer,
                                                     between: str) -> None:
    app = make_app(fake, stakeholder=None)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[Assessment | None]) -> None:
        form = app.screen
        assert isinstance(form, StakeholderForm)
        _keys_at_once(app, [*"Priya Raman", between, *"Head of ML Platform, Northbridge Bank"])
        for _ in range(20):
            await pilot.pause(0.02)
        seen["name"] = form.query_one("#name", Input).value
        seen["role"] = form.query_one("#role", Input).value
        _keys_at_once(app, ["enter"])  # and straight on: the interview starts
        await until_started(pilot, fake)

    drive(app, script)
    assert seen == {"name": "Priya Raman", "role": "Head of ML Platform, Northbridge Bank"}
    assert app.stakeholder == Stakeholder("Priya Raman", "Head of ML Platform, Northbridge Bank")
    assert fake.calls[0] == ("start", "enterprise-ai", "Priya Raman",
                             "Head of ML Platform, Northbridge Bank")


def test_a_pasted_name_tab_role_is_split_between_the_fields(fake: FakeInterviewer) -> None:
    from textual import events

    app = make_app(fake, stakeholder=None)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[Assessment | None]) -> None:
        form = app.screen
        assert isinstance(form, StakeholderForm)
        app.post_message(events.Paste("Priya Raman\tHead of ML Platform, Northbridge Bank\n"))
        await pilot.pause()
        await pilot.press(*" (acting)")  # typed after the paste: the role box has the focus
        seen["name"] = form.query_one("#name", Input).value
        seen["role"] = form.query_one("#role", Input).value
        seen["focused"] = str(app.focused.id if app.focused else None)
        await pilot.press("enter")
        await settle(pilot)

    drive(app, script)
    assert seen == {"name": "Priya Raman",
                    "role": "Head of ML Platform, Northbridge Bank (acting)",
                    "focused": "role"}
    assert fake.calls[0] == ("start", "enterprise-ai", "Priya Raman",
                             "Head of ML Platform, Northbridge Bank (acting)")


def test_a_paste_without_a_tab_stays_in_the_name_field(fake: FakeInterviewer) -> None:
    from textual import events

    app = make_app(fake, stakeholder=None)

    async def script(pilot: Pilot[Assessment | None]) -> None:
        app.post_message(events.Paste("Priya Raman"))
        await pilot.pause()
        form = app.screen
        assert form.query_one("#name", Input).value == "Priya Raman"
        assert form.query_one("#role", Input).value == ""
        assert app.focused is form.query_one("#name", Input)

    drive(app, script)


# -- the drawer names the indicators that are not evidenced --------------------------------------


def test_drawer_names_the_indicators_the_level_stands_without(
        fake_services: Services) -> None:
    pack = fake_services.registry.get("enterprise-ai")

    def level_three_and_two_of_level_two(dim):  # type: ignore[no-untyped-def]
        return [i.id for i in dim.cells[2].indicators] + [i.id for i in
                                                          dim.cells[1].indicators[:2]]

    fake = FakeInterviewer(fake_services, pack, credit=level_three_and_two_of_level_two)
    app = make_app(fake)
    texts: list[str] = []

    async def script(pilot: Pilot[Assessment | None]) -> None:
        # Two answers: one sentence alone vouches for no foundations (docs/level-rule.md).
        await say(pilot, "We run our models on SageMaker")
        await say(pilot, SPECIFIC)
        await pilot.press("ctrl+e")
        await pilot.pause()
        texts.append(str(app.query_one("#drawer-body", Static).render()))

    drive(app, script)
    strategy = pack.dimension("strategy")
    silent = strategy.cells[1].indicators[2]
    shown = ", ".join(i.id for i in strategy.cells[2].indicators)
    assert texts[0].startswith("Strategy & Vision — level 3")
    assert "Not evidenced at levels 2-3 (1)\n" in texts[0]
    assert f" • {silent.text} ({silent.id}, level 2) · inferred from {shown}" in texts[0]


def test_drawer_lists_each_unevidenced_indicator_with_its_text() -> None:
    from agent.assessment.model import IndicatorStatus

    statuses = [
        IndicatorStatus(id="data.l2.catalogue", level=2, text="A catalogue exists",
                        status="evidenced", support=1.0),
        IndicatorStatus(id="data.l2.owners", level=2, text="Every dataset has an owner",
                        status="evidenced", support=1.0),
        IndicatorStatus(id="data.l2.pipelines", level=2, text="Pipelines are scripted",
                        status="not_discussed", claims=1),
        IndicatorStatus(id="data.l2.quality", level=2, text="Quality is checked",
                        status="evidenced", support=1.0),
        IndicatorStatus(id="data.l3.lineage", level=3, text="Lineage is recorded",
                        status="contradicted", contradict=1.0),
    ]
    dim = DimensionResult(
        id="data", name="Data", level=2, level_name="Tactical", confidence=0.5,
        rationale="Level 2 (Tactical). 1 indicator(s) of level 2 are not evidenced.",
        missing=["Lineage is recorded"], missing_indicators=["data.l3.lineage"],
        indicators=statuses)
    text = drawer_text(dim).plain
    assert ("Not evidenced at level 2 (1)\n • Pipelines are scripted (data.l2.pipelines, "
            "level 2) · not discussed, 1 claim(s) only\n") in text
    assert "Missing for level 3 (1)\n • Lineage is recorded (data.l3.lineage) · contradicted" in text
    assert "A catalogue exists (data.l2" not in text  # evidenced ones are not listed as gaps


# -- done asks first -----------------------------------------------------------------------------


def test_done_asks_for_confirmation_and_shows_where_each_dimension_stands(
        fake: FakeInterviewer) -> None:
    app = make_app(fake)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[Assessment | None]) -> None:
        box = app.query_one("#answer", Input)
        await say(pilot, SPECIFIC)
        await say(pilot, "done")
        assert isinstance(app.screen, ConfirmFinish)
        seen["modal"] = "\n".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("n")  # carry on
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmFinish) and not app.finished
        assert box.value == "" and app.focused is box
        box.value = "half-typed"
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmFinish)
        await pilot.press("escape")  # carry on, the draft is kept
        await pilot.pause()
        assert not app.finished and box.value == "half-typed"
        await pilot.press("ctrl+d")
        await pilot.press("enter")  # the default button carries on
        await pilot.pause()
        assert not app.finished
        await say(pilot, "Done.")
        await pilot.press("y")
        await settle(pilot)
        assert app.finished

    drive(app, script)
    modal = seen["modal"]
    assert "Finish the interview now? (y/N)" in modal
    assert "Strategy & Vision: level 2 (Tactical)" in modal
    assert "Data & Infrastructure: still open" in modal
    answers = [c[3] for c in fake.calls if c[0] == "answer"]
    assert answers == [SPECIFIC, "Done."]  # nothing reached the core until confirmed
