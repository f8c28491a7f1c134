"""Snapshots that pin the interview app's layout (update: pytest --snapshot-update).

The SVGs live in tests/__snapshots__/test_tui_snapshots/; open the HTML report pytest
prints on a mismatch to compare them side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_fake import FakeInterviewer, say, settle

from agent.app import Services
from agent.interview import Stakeholder
from tui.app import InterviewApp

SIZE = (120, 36)
SnapCompare = Callable[..., bool]


@pytest.fixture
def fake(fake_services: Services) -> FakeInterviewer:
    # No history store: its entry ids are random and would change the finished screen.
    return FakeInterviewer(None, fake_services.registry.get("enterprise-ai"))


def app_for(fake: FakeInterviewer, stakeholder: Stakeholder | None = None,
            out: Path | None = None) -> InterviewApp:
    app = InterviewApp(fake, "enterprise-ai", stakeholder, out=out)  # type: ignore[arg-type]
    app.cursor_blink = False
    return app


async def three_answers(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await say(pilot, "We fund AI from a 2024 budget line")
    await say(pilot, "Our catalogue lists 300 datasets")
    await say(pilot, "Sounds about right")  # vague: the agent follows up


def test_initial_screen_asks_who_is_interviewed(snap_compare: SnapCompare,
                                                fake: FakeInterviewer) -> None:
    assert snap_compare(app_for(fake), terminal_size=SIZE,
                        run_before=lambda pilot: settle(pilot))


def test_mid_interview_scorecard(snap_compare: SnapCompare, fake: FakeInterviewer) -> None:
    app = app_for(fake, Stakeholder("Dana Smith", "Head of Data"))
    assert snap_compare(app, terminal_size=SIZE, run_before=three_answers)


def test_evidence_drawer_open(snap_compare: SnapCompare, fake: FakeInterviewer) -> None:
    async def open_drawer(pilot: Pilot[Any]) -> None:
        await three_answers(pilot)
        await pilot.press("ctrl+e")

    app = app_for(fake, Stakeholder("Dana Smith", "Head of Data"))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_drawer)


def test_finished_interview_shows_where_the_report_is(
        snap_compare: SnapCompare, fake: FakeInterviewer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative --out keeps the paths on screen stable

    async def finish(pilot: Pilot[Any]) -> None:
        await three_answers(pilot)
        await pilot.press("ctrl+d", "y")  # done asks first
        await settle(pilot)

    app = app_for(fake, Stakeholder("Dana Smith", "Head of Data"), out=Path("dana.json"))
    assert snap_compare(app, terminal_size=SIZE, run_before=finish)
    assert (tmp_path / "dana.json").exists()


def test_done_asks_before_finishing(snap_compare: SnapCompare, fake: FakeInterviewer) -> None:
    async def ask_to_finish(pilot: Pilot[Any]) -> None:
        await three_answers(pilot)
        await pilot.press("ctrl+d")

    app = app_for(fake, Stakeholder("Dana Smith", "Head of Data"))
    assert snap_compare(app, terminal_size=SIZE, run_before=ask_to_finish)
