"""The review screen (``maturity review ID`` at a terminal), the real app under Pilot on a
real history: an offline-scored assessment stored in a temporary MATURITY_HOME."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from agent.app import Services, build_services
from agent.assessment import review
from agent.assessment.model import Assessment
from agent.history.store import HistoryStore
from agent.retrieval.embedder import HashingEmbedder
from tui.review_app import ReviewApp
from tui.widgets.review_prompts import ChangePrompt, ConfirmQuit
from tui.widgets.review_tables import DimensionTable, EvidenceTable

Cli = Callable[..., tuple[int, str, str]]
WHEN = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _services(home: Path) -> Services:
    return build_services(home, embedder_factory=HashingEmbedder, clock=lambda: WHEN)


def _stored(home: Path, a: Assessment) -> str:
    return HistoryStore(home / "history.sqlite").save(a, "score", engagement="Northwind")


def _target(a: Assessment) -> tuple[int, str, int, str]:
    """A scored dimension with supporting evidence: (row, id, item row, item ref)."""
    for row, d in enumerate(a.dimensions):
        for item_row, e in enumerate(d.evidence):
            if d.level is not None and e.stance == "supports" and e.strength != "claim":
                return row, d.id, item_row, review.evidence_ref(e)
    raise AssertionError("the example has no scored dimension")


def run(app: ReviewApp, script: Callable[[Pilot[Any]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(main())


def open_app(home: Path, entry: str) -> ReviewApp:
    app = ReviewApp.open(_services(home), entry, "Ada")
    app.cursor_blink = False
    return app


async def to_row(pilot: Pilot[Any], row: int) -> None:
    await pilot.press("home", *["down"] * row)


async def answer(pilot: Pilot[Any], *, reason: str, level: str | None = None) -> None:
    prompt = pilot.app.screen
    assert isinstance(prompt, ChangePrompt)
    if level is not None:
        await pilot.press(*level, "enter")  # typed; enter goes on to the reason
    prompt.query_one("#prompt-reason", Input).value = reason
    await pilot.press("enter")
    await pilot.pause()


async def write(pilot: Pilot[Any]) -> None:
    await pilot.press("w")
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not getattr(pilot.app, "writing", False):
            return
    raise AssertionError("the write did not finish")


def test_reject_and_set_are_written_as_one_revision_like_the_cli_flags(
        home: Path, example_assessment: Assessment, cli: Cli,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    original = _stored(home, example_assessment)
    row, dim, item_row, ref = _target(example_assessment)
    machine = example_assessment.dimension(dim).level
    target = 4 if machine != 4 else 2
    app = open_app(home, original)
    seen: dict[str, Any] = {}

    async def script(pilot: Pilot[Any]) -> None:
        assert app.focused is app.query_one(DimensionTable)
        await to_row(pilot, row)
        await pilot.press("enter")  # on to the dimension's evidence
        assert app.focused is app.query_one(EvidenceTable)
        await to_row(pilot, item_row)
        assert app.query_one(EvidenceTable).selected() == ref
        await pilot.press("r")
        await answer(pilot, reason="about billing, not the AI budget")
        await pilot.press("shift+tab")  # back to the dimensions
        await pilot.press("s")
        await answer(pilot, level=str(target), reason="board minutes seen")
        seen["status"] = app.status_text()
        seen["preview"] = app.draft.preview.levels()
        seen["row"] = [str(c) for c in app.query_one(DimensionTable).get_row(dim)]
        await write(pilot)
        seen["after"] = app.status_text()
        await pilot.press("q")  # nothing pending: leaves at once

    run(app, script)
    assert seen["status"].startswith(f"2 pending: reject {ref}, set {dim}={target} ·")
    assert seen["row"][2] == f"{target} pending" and seen["row"][3].endswith(f"→ {target}")
    store = HistoryStore(home / "history.sqlite")
    entries = store.list()
    assert [(e.revision, e.revision_of) for e in entries] == [(0, None), (1, original)]
    new = entries[1].id
    assert app.return_value == [new] and app.exit_lines() == [
        f"saved revision {new} of {original} (2 change(s))"]
    assert seen["after"].startswith(f"Saved revision {new} · No changes pending")
    audit = store.audit(new)
    assert [(c.action, c.target, c.by, c.at, c.revision) for c in audit] == [
        ("reject", ref, "Ada", WHEN.isoformat(timespec="seconds"), new),
        ("set", dim, "Ada", WHEN.isoformat(timespec="seconds"), new)]
    assert [c.reason for c in audit] == ["about billing, not the AI budget",
                                         "board minutes seen"]
    # The set is applied after the reject, so "was" is the level once the item is gone.
    pack = _services(home).registry.get(example_assessment.framework)
    after_reject = review.reject(example_assessment, pack, ref)[0].dimension(dim).level
    assert audit[1].detail == {"level": target, "was": after_reject}
    assert store.get(original) == example_assessment  # the machine's proposal is kept
    written = store.get(new)
    assert written.levels() == seen["preview"]  # the status line showed what was stored

    # The CLI flags, on the same assessment in another home, store the same result.
    other = tmp_path / "other-home"
    monkeypatch.setenv("MATURITY_HOME", str(other))
    copy = _stored(other, example_assessment)
    code, _, err = cli("review", copy, "--reject", ref, "--set", f"{dim}={target}",
                       "--reason", "board minutes seen", "--reviewer", "Ada")
    assert code == 0, err
    by_cli = HistoryStore(other / "history.sqlite").get("latest")
    assert by_cli.levels() == written.levels()
    assert [review.evidence_ref(e) for e in review.all_evidence(by_cli)] == \
        [review.evidence_ref(e) for e in review.all_evidence(written)]
    assert by_cli.dimension(dim).override is not None
    assert written.dimension(dim).override is not None
    assert written.dimension(dim).override.proposed == by_cli.dimension(dim).override.proposed


def test_quitting_with_pending_changes_asks_first(home: Path,
                                                  example_assessment: Assessment) -> None:
    original = _stored(home, example_assessment)
    row, _, item_row, ref = _target(example_assessment)
    app = open_app(home, original)

    async def script(pilot: Pilot[Any]) -> None:
        await to_row(pilot, row)
        await pilot.press("enter")
        await to_row(pilot, item_row)
        await pilot.press("a")
        assert [c.label() for c in app.draft.changes] == [f"accept {ref}"]
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("a")  # keys of the main screen do nothing under the question
        await pilot.press("n")  # stay: the change is still pending
        assert not isinstance(app.screen, ConfirmQuit) and len(app.draft.changes) == 1
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")

    run(app, script)
    assert app.return_value == [] and app.exit_lines() == ["no changes written"]
    assert len(HistoryStore(home / "history.sqlite").list()) == 1


def test_prompts_refuse_what_the_cli_refuses_and_undo_drops_a_change(
        home: Path, example_assessment: Assessment) -> None:
    original = _stored(home, example_assessment)
    row, _, item_row, ref = _target(example_assessment)
    app = open_app(home, original)

    async def script(pilot: Pilot[Any]) -> None:
        await to_row(pilot, row)
        await pilot.press("r")  # the dimensions have the focus: no item to reject
        assert not isinstance(app.screen, ChangePrompt) and not app.draft.changes
        await pilot.press("s")
        await answer(pilot, level="9", reason="why not")  # enterprise-ai has 5 levels
        error = str(app.screen.query_one("#prompt-error", Static).render())
        assert isinstance(app.screen, ChangePrompt) and "outside" in error
        await pilot.press("escape")
        assert not isinstance(app.screen, ChangePrompt) and not app.draft.changes
        await pilot.press("enter")
        await to_row(pilot, item_row)
        await pilot.press("r")
        await answer(pilot, reason="  ")
        assert isinstance(app.screen, ChangePrompt)
        assert "Say why" in str(app.screen.query_one("#prompt-error", Static).render())
        await answer(pilot, reason="misattributed")
        assert [c.label() for c in app.draft.changes] == [f"reject {ref}"]
        await pilot.press("a")  # accepting the same item replaces its rejection
        assert [c.label() for c in app.draft.changes] == [f"accept {ref}"]
        await pilot.press("u")
        assert not app.draft.changes and app.draft.preview == app.draft.base
        assert app.status_text().startswith("No changes pending")
        await pilot.press("q")

    run(app, script)
    assert app.return_value == []
    assert len(HistoryStore(home / "history.sqlite").list()) == 1


def test_review_opens_the_screen_only_at_a_terminal(
        cli: Cli, home: Path, example_assessment: Assessment,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import agent.cli.surfaces

    original = _stored(home, example_assessment)
    calls: list[tuple[str, str]] = []

    def launcher(services: Services, entry: str, by: str) -> None:
        calls.append((entry, by))

    def surface(name: str, fallback: str) -> Callable[..., Any]:
        assert name == "review-app"
        return launcher

    monkeypatch.setattr(agent.cli.surfaces, "surface", surface)
    code, out, _ = cli("review", original, "--reviewer", "Ada")  # no terminal: the listing
    assert code == 0 and out.startswith(f"# Review of {original}") and not calls
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert cli("review", original[:6], "--reviewer", "Ada")[0] == 0
    assert calls == [(original, "Ada")]
    for flag in (("--plain",), ("--format", "md"), ("--format", "json")):
        code, out, _ = cli("review", original, "--reviewer", "Ada", *flag)
        assert code == 0 and out.strip() and len(calls) == 1, flag


def test_the_cli_reaches_the_review_screen_through_its_entry_point() -> None:
    from importlib.metadata import entry_points

    from agent.cli.surfaces import GROUP, surface
    from tui.review_app import run_review_app

    assert entry_points(group=GROUP, name="review-app"), (
        'pyproject.toml needs review-app = "tui.review_app:run_review_app" under '
        '[project.entry-points."maturity.surfaces"], then uv sync')
    assert surface("review-app", "") is run_review_app
