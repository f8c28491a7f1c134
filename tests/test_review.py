"""Review: evidence refs, rejection re-scored by the pipeline's own code, levels set with a
reason, revisions and the audit trail in the history, the report line, and gold export."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.app import build_services
from agent.assessment import review
from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.evals.dataset import load_cases
from agent.history.store import HistoryStore
from agent.knowledge.schema import FrameworkPack
from agent.reports.browser import QUIET_FLAGS, find_chromium
from agent.reports.render import render

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def pack(fake_services: object) -> FrameworkPack:
    from agent.knowledge.loader import builtin_packs

    return next(p for p in builtin_packs() if p.id == "enterprise-ai")


def _supporting(a: Assessment, dimension: str) -> list[str]:
    return [review.evidence_ref(e) for e in a.dimension(dimension).evidence
            if e.stance == "supports" and e.strength != "claim"]


def _scored_dimension(a: Assessment) -> str:
    return next(d.id for d in a.dimensions if d.level is not None and _supporting(a, d.id))


def test_rescoring_all_the_evidence_reproduces_the_assessment(
        example_assessment: Assessment, pack: FrameworkPack) -> None:
    again = review.rescore(example_assessment, pack, review.all_evidence(example_assessment))
    assert again == example_assessment


def test_refs_are_short_stable_and_unique(example_assessment: Assessment) -> None:
    refs = [review.evidence_ref(e) for e in review.all_evidence(example_assessment)]
    assert len(set(refs)) == len(refs) and all(len(r) == review.REF_CHARS for r in refs)
    copy = Assessment.model_validate_json(example_assessment.model_dump_json())
    assert [review.evidence_ref(e) for e in review.all_evidence(copy)] == refs
    assert review.find_evidence(example_assessment, refs[0][:5]).quote
    with pytest.raises(UserError, match="lists the refs"):
        review.find_evidence(example_assessment, "zz")


def test_rejecting_evidence_rescores_without_it(example_assessment: Assessment,
                                                pack: FrameworkPack) -> None:
    original = example_assessment.model_copy(deep=True)
    dim = _scored_dimension(example_assessment)
    current = example_assessment
    for ref in _supporting(example_assessment, dim):
        current, _ = review.reject(current, pack, ref)
        assert ref not in {review.evidence_ref(e) for e in review.all_evidence(current)}
    assert example_assessment == original  # the input is never changed
    gone = len(_supporting(example_assessment, dim))
    assert current.stats.evidence == example_assessment.stats.evidence - gone
    d = current.dimension(dim)
    assert all(e.stance == "contradicts" or e.strength == "claim" for e in d.evidence)
    # Only denials (or nothing) left: no indicator above level 1 is evidenced any more.
    assert d.level in (None, 1)
    assert not [s for s in d.indicators if s.status == "evidenced" and s.level >= 2]
    if d.level is None:
        assert any(w.code == "insufficient_evidence" and dim in w.message
                   for w in current.warnings)


def test_setting_a_level_keeps_the_machines_proposal_and_shows_it_in_reports(
        example_assessment: Assessment, pack: FrameworkPack) -> None:
    dim = _scored_dimension(example_assessment)
    machine = example_assessment.dimension(dim).level
    target = 3 if machine != 3 else 2
    reviewed, before = review.set_level(example_assessment, pack, dim, target,
                                        "the board minutes show a funded roadmap", "Ada",
                                        "2026-05-01T09:00:00+00:00")
    d = reviewed.dimension(dim)
    assert before == machine and d.level == target and d.level_name == pack.level_name(target)
    assert d.override is not None and d.override.proposed == machine and d.override.by == "Ada"
    assert json.loads(reviewed.model_dump_json())["dimensions"][0].keys() >= {"override"}
    line = (f"Level set by reviewer: {target}, because the board minutes show a funded roadmap "
            f"(Ada, 2026-05-01; the machine proposed level {machine}).")
    assert line in render(reviewed, "md")
    assert line in render(reviewed, "html")
    assert "Level set by reviewer" not in render(example_assessment, "md")
    # A later rejection re-scores the machine's level and keeps the reviewer's.
    ref = _supporting(reviewed, dim)[0]
    again, _ = review.reject(reviewed, pack, ref)
    assert again.dimension(dim).level == target
    assert again.dimension(dim).override is not None
    for bad, match in ((("nope", 2, "x"), "no dimension"), ((dim, 9, "x"), "outside"),
                       ((dim, 2, " "), "needs a reason")):
        with pytest.raises(UserError, match=match):
            review.set_level(example_assessment, pack, *bad, "Ada", "")


def test_the_override_line_renders_in_a_real_browser(example_assessment: Assessment,
                                                     pack: FrameworkPack,
                                                     tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium installed")
    dim = _scored_dimension(example_assessment)
    reviewed, _ = review.set_level(example_assessment, pack, dim, 4, "audited <evidence> & "
                                   "minutes", "Ada", "2026-05-01T09:00:00+00:00")
    page = tmp_path / "r.html"
    page.write_text(render(reviewed, "html"), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="maturity-chromium-") as profile:
        done = subprocess.run([chromium, *QUIET_FLAGS, f"--user-data-dir={profile}",
                               "--dump-dom", page.resolve().as_uri()], capture_output=True,
                              text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert '<p class="override"><b>Level set by reviewer: 4, because audited &lt;evidence&gt; ' \
        '&amp; minutes (Ada, 2026-05-01;' in done.stdout


def _stored(home: Path, a: Assessment, engagement: str | None = "Northwind") -> str:
    return HistoryStore(home / "history.sqlite").save(a, "score", engagement=engagement)


def test_review_cli_lists_refs_and_writes_revisions_with_an_audit_trail(
        cli: Cli, home: Path, example_assessment: Assessment) -> None:
    original_id = _stored(home, example_assessment)
    code, out, err = cli("review", original_id[:6])
    assert code == 0, err
    refs = [review.evidence_ref(e) for e in review.all_evidence(example_assessment)]
    assert all(f"`{r}`" in out for r in refs) and "Past reviews" not in out
    dim = _scored_dimension(example_assessment)
    reject, accept = _supporting(example_assessment, dim)[0], refs[-1]
    code, out, err = cli("review", original_id, "--reject", reject, "--accept", accept,
                         "--set", "culture=2", "--reason", "misheard in the meeting",
                         "--reviewer", "Ada", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["revision_of"] == original_id and result["id"] != original_id
    assert [c["action"] for c in result["changes"]] == ["reject", "accept", "set"]
    assert {c["by"] for c in result["changes"]} == {"Ada"}
    assert all(c["at"] and c["reason"] == "misheard in the meeting" for c in result["changes"][::2])
    store = HistoryStore(home / "history.sqlite")
    assert store.get(original_id) == example_assessment  # the original proposal is kept
    revised = store.get(result["id"])
    assert reject not in {review.evidence_ref(e) for e in review.all_evidence(revised)}
    assert next(e for e in review.all_evidence(revised)
                if review.evidence_ref(e) == accept).accepted_by == "Ada"
    assert revised.dimension("culture").override is not None
    # A second review applies to the newest revision, even when given the original's id.
    code, out, err = cli("review", original_id, "--set", "data=3", "--reason", "catalog seen",
                         "--reviewer", "Bo")
    assert code == 0 and f"of {original_id} (applied to {result['id']})" in out
    entries = json.loads(cli("history", "--format", "json")[1])
    assert [(e["revision"], e["revision_of"]) for e in entries] == [
        (0, None), (1, original_id), (2, original_id)]
    assert entries[2]["levels"]["data"] == 3 and entries[2]["engagement"] == "Northwind"
    code, out, _ = cli("review", original_id)
    assert "## Past reviews" in out and out.count(" Ada: ") == 3 and " Bo: set data" in out
    code, out, _ = cli("report", "latest", "--format", "md")
    assert "Level set by reviewer: 3, because catalog seen (Bo" in out


def test_review_cli_errors_exit_2_with_one_line_and_change_nothing(
        cli: Cli, home: Path, example_assessment: Assessment) -> None:
    entry = _stored(home, example_assessment)
    ref = review.evidence_ref(review.all_evidence(example_assessment)[0])
    for args in (("--set", "data=3"), ("--reject", ref), ("--set", "data", "--reason", "x"),
                 ("--set", "nope=2", "--reason", "x"), ("--reject", "ffff0000", "--reason", "x"),
                 ("--accept", ref, "--set", "data=99", "--reason", "x")):
        code, _, err = cli("review", entry, *args, "--reviewer", "Ada")
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (args, err)
    assert len(HistoryStore(home / "history.sqlite").list()) == 1


def test_a_reviewed_assessment_exports_as_a_gold_case_that_loads(
        cli: Cli, home: Path, tmp_path: Path, example_assessment: Assessment) -> None:
    entry = _stored(home, example_assessment)
    gold_dir = tmp_path / "gold"
    code, _, err = cli("review", entry, "--export-gold", str(gold_dir))
    assert code == 2 and "has not been reviewed" in err
    dim = _scored_dimension(example_assessment)
    code, out, err = cli("review", entry, "--set", f"{dim}=4", "--reason", "seen the roadmap",
                         "--reviewer", "Ada", "--export-gold", str(gold_dir))
    assert code == 0, err
    assert "gold case written to" in out
    cases = load_cases(gold_dir / "cases")
    assert len(cases) == 1
    case = cases[0]
    assert case.id == f"review-{entry}" and case.framework == "enterprise-ai"
    revised = HistoryStore(home / "history.sqlite").get("latest")
    assert {k: v.level for k, v in case.gold.items()} == revised.levels()
    assert case.gold[dim].level == 4 and "seen the roadmap" in case.gold[dim].reason
    assert "Ada" in case.description and set(case.tags) <= {"format-text", "multi-stakeholder"}
    (path,) = case.paths(gold_dir)
    source = Path(example_assessment.sources[0].source)
    assert path.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_an_interview_exports_its_answers_as_the_transcript(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from interview_answers import SCRIPTED_ANSWERS as SCRIPT

    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*SCRIPT[:4], "done"]) + "\n"))
    code, _, err = cli("interview", "--plain", "--name", "Ada Lovelace", "--role", "CTO")
    assert code == 0, err
    store = HistoryStore(indexed_home / "history.sqlite")
    entry = store.list()[0].id
    assert cli("review", entry, "--accept",
               review.evidence_ref(review.all_evidence(store.get(entry))[0]),
               "--reviewer", "Bo", "--export-gold", str(tmp_path / "g"))[0] == 0
    (case,) = load_cases(tmp_path / "g" / "cases")
    text = case.paths(tmp_path / "g")[0].read_text(encoding="utf-8")
    assert text.splitlines() == [f"Ada Lovelace (CTO): {' '.join(a.split())}" for a in SCRIPT[:4]]
    services = build_services(indexed_home)
    from agent.transcripts import read_transcripts

    (transcript,) = read_transcripts(case.paths(tmp_path / "g"))
    assert {u.speaker for u in transcript.utterances} == {"Ada Lovelace"}
    assert services.registry.get(case.framework).id == "enterprise-ai"
