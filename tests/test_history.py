"""The assessment history: save, list, get by prefix, compare, and the CLI around them."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.assessment.model import Assessment, DimensionResult, IndicatorStatus
from agent.errors import UserError
from agent.history.compare import compare
from agent.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "northwind-assessment.txt")
Cli = Callable[..., tuple[int, str, str]]


def assessment(levels: dict[str, int | None], created: str, framework: str = "enterprise-ai",
               met: tuple[str, ...] = ()) -> Assessment:
    dims = [DimensionResult(id=d, name=d.title(), level=lv, confidence=0.5 if lv else 0.0,
                            indicators=[IndicatorStatus(id=i, level=2, text=i, status="met")
                                        for i in met if i.startswith(d)])
            for d, lv in levels.items()]
    return Assessment(framework=framework, engine="offline", created=created, dimensions=dims,
                      prompt_version="v1")


def test_save_list_get_round_trip(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite")
    first = assessment({"data": 2, "governance": None}, "2026-01-05T10:00:00+00:00")
    second = assessment({"data": 3, "governance": 1}, "2026-04-05T10:00:00+00:00")
    id2 = store.save(second, "interview")
    id1 = store.save(first, "score")
    entries = store.list()
    assert [e.id for e in entries] == [id1, id2]  # oldest assessment first
    assert entries[0].public() == {"id": id1, "framework": "enterprise-ai", "engine": "offline",
                                   "created": "2026-01-05T10:00:00+00:00",
                                   "levels": {"data": 2, "governance": None}, "origin": "score",
                                   "prompt_version": "v1", "engagement": None, "revision": 0,
                                   "revision_of": None}
    assert store.get(id2) == second
    assert store.get(id1[:4]) == first
    assert store.get("latest") == second
    assert HistoryStore(tmp_path / "history.sqlite").list() == entries  # persisted
    assert store.list("mlops-llmops") == []


def test_unknown_and_ambiguous_ids_are_user_errors(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite")
    with pytest.raises(UserError, match="maturity history"):
        store.get("abc")
    with pytest.raises(UserError):
        store.get("latest")
    ids = [store.save(assessment({"data": 1}, f"2026-01-0{n}T00:00:00+00:00"), "score")
           for n in range(1, 10)]
    shared = next((a[:1] for a in ids if sum(b.startswith(a[:1]) for b in ids) > 1), None)
    if shared:  # nine random ids almost always share a first character
        with pytest.raises(UserError, match="give more of the id"):
            store.get(shared)


def test_the_database_is_wal_and_a_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    HistoryStore(path).save(assessment({"data": 1}, "2026-01-01T00:00:00+00:00"), "score")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(UserError, match="move the file aside"):
        HistoryStore(bad)


def test_concurrent_saves_from_threads_all_land(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite")
    ids: list[str] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        entry = store.save(assessment({"data": n % 5 + 1}, f"2026-02-{n + 1:02d}T00:00:00+00:00"),
                           "slack")
        with lock:
            ids.append(entry)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e.id for e in store.list()) == sorted(ids) and len(set(ids)) == 12


def test_compare_reports_movement_and_indicators(tmp_path: Path) -> None:
    before = assessment({"data": 2, "governance": 1, "culture": None, "talent": 2},
                        "2026-01-05T00:00:00+00:00", met=("data.l2.a",))
    after = assessment({"data": 3, "governance": 1, "culture": 2, "talent": 1},
                       "2026-04-05T00:00:00+00:00", met=("data.l2.a", "data.l3.b"))
    result = compare(before, after, "aaaa", "bbbb")
    moves = {m.dimension: m for m in result.dimensions}
    assert (moves["data"].change, moves["data"].direction) == (1, "up")
    assert moves["data"].newly_met == ["data.l3.b"]
    assert moves["governance"].direction == "same"
    assert moves["culture"].direction == "new" and moves["culture"].change is None
    assert moves["talent"].direction == "down"
    assert result.summary == {"up": 1, "down": 1, "same": 1, "new": 1, "lost": 0, "unknown": 0}
    with pytest.raises(UserError, match="same framework"):
        compare(before, assessment({"data": 1}, "x", "mlops-llmops"), "aaaa", "cccc")


def test_score_saves_every_assessment_and_history_lists_them(cli: Cli, indexed_home: Path,
                                                              tmp_path: Path) -> None:
    assert cli("score", EXAMPLE, "--format", "json", "--out", str(tmp_path / "a.json"))[0] == 0
    # A second assessment, as the interview surface would save it (scoring twice is slow).
    again = Assessment.model_validate_json((tmp_path / "a.json").read_text())
    HistoryStore(indexed_home / "history.sqlite").save(
        again.model_copy(update={"created": "2099-01-01T00:00:00+00:00"}), "interview")
    code, out, _ = cli("history", "--format", "json")
    assert code == 0
    entries = json.loads(out)
    assert len(entries) == 2
    for e in entries:
        assert {"id", "framework", "engine", "created", "levels"} <= set(e)
        assert e["framework"] == "enterprise-ai" and e["engine"] == "offline"
        assert set(e["levels"]) == {"strategy", "data", "talent", "governance", "technology",
                                    "culture"}
    saved = json.loads((tmp_path / "a.json").read_text())
    assert entries[0]["levels"] == {d["id"]: d["level"] for d in saved["dimensions"]}
    code, out, _ = cli("history")
    assert code == 0 and entries[0]["id"] in out

    first, second = entries[0]["id"], entries[1]["id"]
    code, out, _ = cli("compare", first[:5], second, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["before"]["id"] == first and data["after"]["id"] == second
    assert [m["direction"] for m in data["dimensions"]] == [
        "same" if level is not None else "unknown" for level in entries[0]["levels"].values()]
    code, out, _ = cli("compare", first, "latest")
    assert code == 0 and "| Dimension | Before | After |" in out

    code, out, _ = cli("report", first, "--format", "md")
    assert code == 0 and "## Scorecard" in out


def test_history_errors_exit_2_with_one_line(cli: Cli, home: Path) -> None:
    code, out, err = cli("history", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, _, err = cli("compare", "abc", "def")
    assert code == 2 and err.count("\n") == 1 and "maturity history" in err
    code, _, err = cli("history", "--format", "xml")
    assert code == 2


def test_a_revision_keeps_the_original_and_records_the_audit_trail(tmp_path: Path) -> None:
    from agent.history.store import AuditEntry

    store = HistoryStore(tmp_path / "history.sqlite")
    original = assessment({"data": 2}, "2026-01-05T10:00:00+00:00")
    first = store.save(original, "score", engagement="Acme")
    reviewed = assessment({"data": 3}, "2026-01-05T10:00:00+00:00")
    change = AuditEntry(by="Ada", at="2026-02-01T00:00:00+00:00", action="set", target="data",
                        reason="seen the catalog", detail={"level": 3, "was": 2})
    second = store.save_revision(first, reviewed, [change])
    third = store.save_revision(second, reviewed, [change])
    assert store.get(first) == original and store.get(second) == reviewed
    rev = store.entry(third)
    assert (rev.revision, rev.revision_of, rev.engagement, rev.origin) == (2, first, "Acme",
                                                                           "score")
    assert store.newest_revision(first).id == third
    assert [e.id for e in store.latest()] == [third]
    trail = store.audit(first)
    assert [(c.by, c.reason, c.revision) for c in trail] == [
        ("Ada", "seen the catalog", second), ("Ada", "seen the catalog", third)]
    with pytest.raises(ValueError):
        store.save_revision(first, reviewed, [])
