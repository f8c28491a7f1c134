"""Engagements: --engagement on score, batch and interview; list, show (the pooled view),
rename, delete with confirmation; history filtering; compare refusing across
engagements; and a finished interview resumed without filling the history."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from interview_answers import SCRIPTED_ANSWERS as SCRIPT

from agent.assessment import review
from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.history.engagements import engagement_view
from agent.history.store import HistoryStore
from agent.knowledge.loader import builtin_packs
from agent.knowledge.schema import FrameworkPack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"
Cli = Callable[..., tuple[int, str, str]]


def _pack(framework: str) -> FrameworkPack:
    return next(p for p in builtin_packs() if p.id == framework)


def _store(home: Path) -> HistoryStore:
    return HistoryStore(home / "history.sqlite")


def _split(a: Assessment) -> tuple[Assessment, Assessment]:
    """The example as two sessions: two people's evidence in each, scored by the pipeline."""
    pack = _pack(a.framework)
    people = sorted({e.speaker for e in review.all_evidence(a) if e.speaker})
    first = set(people[: len(people) // 2])
    parts = []
    for mine in (first, set(people) - first):
        evidence = [e for e in review.all_evidence(a) if e.speaker in mine]
        part = review.rescore(a, pack, evidence)
        part.speakers = [s for s in a.speakers if s.name in mine]
        parts.append(part)
    return parts[0], parts[1]


def test_the_store_keeps_filters_renames_and_deletes_engagements(
        tmp_path: Path, example_assessment: Assessment) -> None:
    store = _store(tmp_path)
    a = store.save(example_assessment, "score", engagement="  Acme   Bank ")
    b = store.save(example_assessment, "score", engagement="Zed")
    c = store.save(example_assessment, "score")
    assert store.engagement_names() == ["Acme Bank", "Zed"]
    assert [e.id for e in store.list(engagement="Acme Bank")] == [a]
    assert {e.id for e in store.list()} == {a, b, c}
    assert store.rename_engagement("Acme Bank", "Acme") == 1
    assert store.entry(a).engagement == "Acme"
    with pytest.raises(UserError, match="already exists"):
        store.rename_engagement("Acme", "Zed")
    with pytest.raises(UserError, match=r"no engagement 'Nope'.*'Acme', 'Zed'"):
        store.delete_engagement("Nope")
    with pytest.raises(UserError, match="printable"):
        store.save(example_assessment, "score", engagement="\x00bad")
    assert store.delete_engagement("Zed") == 1
    assert {e.id for e in store.list()} == {a, c}


def test_an_older_history_file_gains_the_new_columns(tmp_path: Path,
                                                     example_assessment: Assessment) -> None:
    import sqlite3

    path = tmp_path / "history.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("""CREATE TABLE assessments (id TEXT PRIMARY KEY, created TEXT NOT NULL,
        saved TEXT NOT NULL, framework TEXT NOT NULL, engine TEXT NOT NULL, prompt_version TEXT,
        origin TEXT NOT NULL, levels TEXT NOT NULL, assessment TEXT NOT NULL);""")
    conn.execute("INSERT INTO assessments VALUES ('0ld1d000', 'c', 's', 'enterprise-ai', "
                 "'offline', NULL, 'score', '{}', ?)", (example_assessment.model_dump_json(),))
    conn.commit()
    conn.close()
    store = HistoryStore(path)
    (old,) = store.list()
    assert (old.engagement, old.revision, old.revision_of) == (None, 0, None)
    assert store.save(example_assessment, "score", engagement="E") != old.id


def test_the_engagement_view_pools_sessions_like_one_meeting(
        tmp_path: Path, example_assessment: Assessment) -> None:
    store = _store(tmp_path)
    first, second = _split(example_assessment)
    store.save(first, "interview", engagement="Northwind")
    store.save(second, "interview", engagement="Northwind")
    store.save(example_assessment, "score", engagement="Other")
    view = engagement_view(store, "Northwind", _pack)
    (pool,) = view.frameworks
    assert len(pool.assessments) == 2
    # Pooled through the same ledger, the two halves give the one meeting's levels.
    assert pool.levels == {d.id: d.level for d in example_assessment.dimensions}
    assert {s.name for s in pool.stakeholders.stakeholders} == {
        s.name for s in example_assessment.speakers if s.evidence_eligible}
    assert [d.dimension for d in pool.disagreements] == [
        d.dimension for d in example_assessment.disagreements]
    with pytest.raises(UserError, match="no engagement"):
        engagement_view(store, "Missing", _pack)


def test_engagement_commands(cli: Cli, home: Path, example_assessment: Assessment,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _split(example_assessment)
    store = _store(home)
    a = store.save(first, "score", engagement="Northwind")
    store.save(second, "score", engagement="Northwind")
    other = store.save(example_assessment, "score", engagement="Contoso")
    code, out, err = cli("engagements", "list", "--format", "json")
    assert code == 0, err
    listed = {e["name"]: e for e in json.loads(out)}
    north = listed["Northwind"]
    assert north["assessments"] == 2 and north["frameworks"] == ["enterprise-ai"]
    assert set(north["people"]) == {s.name for s in example_assessment.speakers
                                    if s.evidence_eligible}
    assert north["roles"] and north["last_activity"]
    code, out, _ = cli("engagements", "show", "Northwind")
    assert code == 0 and "# Engagement: Northwind" in out and "Roles covered:" in out
    assert json.loads(cli("engagements", "show", "Northwind", "--format", "json")[1])["name"] == (
        "Northwind")
    code, out, _ = cli("history", "--engagement", "Contoso", "--format", "json")
    assert [e["id"] for e in json.loads(out)] == [other]
    code, _, err = cli("history", "--engagement", "Nope")
    assert code == 2 and err.count("\n") == 1
    # compare refuses across engagements unless forced
    code, _, err = cli("compare", a, other)
    assert code == 2 and err.count("\n") == 1 and "--force" in err
    assert cli("compare", a, other, "--force")[0] == 0
    assert cli("engagements", "rename", "Contoso", "Contoso Ltd")[0] == 0
    assert store.entry(other).engagement == "Contoso Ltd"
    # delete: refused without a terminal or --yes, asks at a terminal
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = cli("engagements", "delete", "Northwind")
    assert code == 2 and err.count("\n") == 1 and "--yes" in err
    assert len(store.list(engagement="Northwind")) == 2

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, _ = cli("engagements", "delete", "Northwind")
    assert code == 0 and "nothing deleted" in out and len(store.list()) == 3
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, _ = cli("engagements", "delete", "Northwind")
    assert code == 0 and "2 history entries" in out
    assert cli("engagements", "delete", "Contoso Ltd", "--yes")[0] == 0
    assert store.list() == [] and json.loads(cli("engagements", "list", "--format",
                                                 "json")[1]) == []


def test_score_and_batch_store_the_engagement(cli: Cli, indexed_home: Path,
                                              tmp_path: Path) -> None:
    code, _, err = cli("score", str(EXAMPLE), "--engagement", "Northwind", "--format", "json",
                       "--out", str(tmp_path / "a.json"))
    assert code == 0, err
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "n.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = cli("batch", str(folder), "--out-dir", str(tmp_path / "out"),
                       "--engagement", "Batch Co")
    assert code == 0, err
    assert [e.engagement for e in _store(indexed_home).list()] == ["Northwind", "Batch Co"]
    code, _, err = cli("score", str(EXAMPLE), "--engagement", " ")
    assert code == 2 and err.count("\n") == 1


def test_interview_engagement_and_a_finished_session_resumed(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([SCRIPT[0], "done"]) + "\n"))
    code, _, err = cli("interview", "--plain", "--name", "Ada", "--role", "CTO",
                       "--engagement", "Northwind")
    assert code == 0, err
    (entry,) = _store(indexed_home).list()
    assert entry.engagement == "Northwind" and entry.session
    report = indexed_home / "reports" / f"{entry.session}.json"
    stamp = report.stat().st_mtime_ns
    for _ in range(2):  # the finished session resumed and ended again: nothing new
        monkeypatch.setattr(sys, "stdin", io.StringIO("done\n"))
        code, _, err = cli("interview", "--plain", "--resume", entry.session)
        assert code == 0, err
        assert f"finished earlier and nothing changed; it is in the history as {entry.id}" in err
    assert [e.id for e in _store(indexed_home).list()] == [entry.id]
    assert report.stat().st_mtime_ns == stamp
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = cli("interview", "--plain", "--resume", entry.session, "--engagement", "X")
    assert code == 2 and "belongs to engagement 'Northwind'" in err
    # Saving the same session's assessment again (the terminal app's path) adds nothing.
    again = _store(indexed_home).get(entry.id).model_copy(update={"created": "2099-01-01"})
    assert _store(indexed_home).save(again, "interview") == entry.id


# -- teams: "Parent/Team" names rolled up by `engagements show Parent` -------------------

def _levels_of_pool(*parts: Assessment) -> dict[str, int | None]:
    """The levels of the parts' evidence pooled by the ledger, as one meeting would be."""
    from agent.assessment.ledger import Ledger, dedupe

    pack = _pack(parts[0].framework)
    evidence, _ = dedupe(e for a in parts for e in review.all_evidence(a))
    ledger = Ledger(pack, evidence)
    return {d.id: ledger.level(d.id) for d in pack.dimensions}


def test_teams_roll_up_into_their_engagement_and_keep_their_own_rows(
        tmp_path: Path, example_assessment: Assessment) -> None:
    store = _store(tmp_path)
    payments, retail = _split(example_assessment)
    store.save(payments, "score", engagement="Acme Bank/Payments")
    store.save(retail, "interview", engagement="Acme Bank / Retail")  # spaces around '/'
    store.save(example_assessment, "score", engagement="Acme Bank 2")  # a sibling, not a team
    view = engagement_view(store, "Acme Bank", _pack)
    assert view.teams == ["Payments", "Retail"]
    assert view.engagements == ["Acme Bank/Payments", "Acme Bank / Retail"]
    (pool,) = view.frameworks
    assert len(pool.assessments) == 2
    # The roll-up is both teams' evidence pooled, the one meeting's levels again.
    assert pool.levels == _levels_of_pool(payments, retail)
    assert pool.levels == {d.id: d.level for d in example_assessment.dimensions}
    rows = {t.team: t for t in pool.teams}
    assert list(rows) == ["Payments", "Retail"]
    for team, part in (("Payments", payments), ("Retail", retail)):
        row = rows[team]
        assert row.levels == _levels_of_pool(part)  # its own pool, by the same ledger
        (alone,) = engagement_view(store, row.engagements[0], _pack).frameworks
        assert (row.levels, row.assessments) == (alone.levels, alone.assessments)
        assert row.people == [s.name for s in alone.stakeholders.stakeholders]
        assert set(row.people) == {s.name for s in part.speakers if s.evidence_eligible}
        assert row.roles_covered == [c.role for c in alone.stakeholders.coverage if c.present]
    assert rows["Payments"].people != rows["Retail"].people
    assert rows["Payments"].levels != rows["Retail"].levels  # different evidence, different rows
    # Entries of the bare name join the roll-up, in a row of their own.
    bare = store.save(payments, "score", engagement="Acme Bank")
    (pool,) = engagement_view(store, "Acme Bank", _pack).frameworks
    assert len(pool.assessments) == 3 and bare in pool.assessments
    assert pool.levels == _levels_of_pool(payments, retail, payments)
    assert [t.team for t in pool.teams] == ["Payments", "Retail", None]
    assert pool.teams[-1].assessments == [bare]
    assert pool.teams[-1].levels == _levels_of_pool(payments)
    # A name that is neither stored nor a parent is still refused, listing the known.
    for unknown in ("Acme", "Acme Bank/Cards"):
        with pytest.raises(UserError, match=r"no engagement .*known: 'Acme Bank'"):
            engagement_view(store, unknown, _pack)


def test_team_commands_list_show_and_history(cli: Cli, home: Path,
                                             example_assessment: Assessment) -> None:
    payments, retail = _split(example_assessment)
    store = _store(home)
    store.save(payments, "score", engagement="Acme Bank/Payments")
    store.save(retail, "score", engagement="Acme Bank/Retail")
    store.save(example_assessment, "score", engagement="Acme Bank 2")
    code, out, err = cli("engagements", "list", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    # One row per stored name, as before (teams right after their parent), fields added only.
    assert [e["name"] for e in listed] == ["Acme Bank/Payments", "Acme Bank/Retail",
                                           "Acme Bank 2"]
    assert set(listed[0]) == {"name", "assessments", "revisions", "frameworks", "people",
                              "roles", "last_activity", "parent", "teams"}
    assert [(e["parent"], e["teams"], e["assessments"]) for e in listed] == [
        ("Acme Bank", [], 1), ("Acme Bank", [], 1), (None, [], 1)]
    code, out, _ = cli("engagements", "list")
    rows = [line.split("|")[1].strip() for line in out.splitlines()[2:]]
    assert rows == ["Acme Bank (rolled up: 2 teams)", "↳ Acme Bank/Payments",
                    "↳ Acme Bank/Retail", "Acme Bank 2"]
    assert out.splitlines()[2].split("|")[2].strip() == "2"  # the parent counts both teams
    code, out, err = cli("engagements", "show", "Acme Bank")
    assert code == 0, err
    assert "Teams rolled up: Payments, Retail" in out and "### Teams" in out
    table = out[out.index("### Teams"):].splitlines()
    assert table[4].startswith("| **all (roll-up)** | 2 |")
    assert table[5].startswith("| Payments | 1 |") and table[6].startswith("| Retail | 1 |")
    shown = json.loads(cli("engagements", "show", "Acme Bank", "--format", "json")[1])
    assert [t["team"] for t in shown["frameworks"][0]["teams"]] == ["Payments", "Retail"]
    # history --engagement matches exactly: the parent is not a stored name.
    code, _, err = cli("history", "--engagement", "Acme Bank")
    assert code == 2 and err.count("\n") == 1 and "Acme Bank/Payments" in err
    code, out, _ = cli("history", "--engagement", "Acme Bank/Retail", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 1
    code, _, err = cli("engagements", "show", "Acme")
    assert code == 2 and err.count("\n") == 1 and "known: 'Acme Bank 2'" in err


def test_nested_teams_roll_up_into_the_team_above(tmp_path: Path,
                                                  example_assessment: Assessment) -> None:
    store = _store(tmp_path)
    cards, loans = _split(example_assessment)
    store.save(cards, "score", engagement="Acme Bank/Retail/Cards")
    store.save(loans, "score", engagement="Acme Bank/Retail")
    view = engagement_view(store, "Acme Bank", _pack)
    assert view.teams == ["Retail"]
    (row,) = view.frameworks[0].teams
    assert row.engagements == ["Acme Bank/Retail", "Acme Bank/Retail/Cards"]
    assert row.levels == _levels_of_pool(cards, loans) == view.frameworks[0].levels
    (retail,) = engagement_view(store, "Acme Bank/Retail", _pack).frameworks
    assert [t.team for t in retail.teams] == ["Cards", None]
