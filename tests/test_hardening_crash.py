"""Crash safety: kill -9 in the middle of indexing, then the next run must still be right.

Indexing runs in a child process that reports each committed batch; the test kills it
(SIGKILL, no clean-up of any kind) as soon as the first batch is in, so the kill lands
while Chroma is embedding and writing the next one. A fresh process then builds again
and must end with a complete, correct index and the same scores as a clean build.
The deterministic hashing embedder keeps this fast; the index code is the real one.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hardening.index_child import check, corpus, scores

from agent.app import build_services
from agent.retrieval.embedder import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).parent / "hardening" / "index_child.py"
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"


def _child(*args: str) -> list[str]:
    return [sys.executable, str(CHILD), *args]


def _check_in_a_new_process(home: Path, variant: str, transcript: Path | None = None
                            ) -> dict[str, Any]:
    extra = [str(transcript)] if transcript else []
    done = subprocess.run(_child(str(home), variant, "check", *extra), capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _kill_after_first_batch(home: Path, variant: str) -> None:
    """Start a build and SIGKILL it as soon as its first batch is committed."""
    child = subprocess.Popen(_child(str(home), variant, "build"), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert child.stdout is not None
    first = json.loads(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert 0 < first["done"] < first["total"]  # killed mid-way, not at the end


def test_kill_during_the_first_build_then_the_next_run_rebuilds_and_scores_right(
        tmp_path: Path) -> None:
    clean_home = tmp_path / "clean"
    services = build_services(clean_home, embedder_factory=HashingEmbedder)
    clean = check(clean_home, services, corpus(services, "base"))
    clean.update(scores(services, clean.pop("index"), EXAMPLE))

    home = tmp_path / "killed"
    _kill_after_first_batch(home, "base")
    manifest = home / "index" / "manifest.json"
    assert json.loads(manifest.read_text())["complete"] is False  # the mark a crash leaves

    after = _check_in_a_new_process(home, "base", EXAMPLE)
    assert after["rebuilt"] is True and after["embedded"] == after["total"] == clean["total"]
    assert after["max_error"] < 1e-6  # every chunk present, with its own vector
    assert after["levels"] == clean["levels"] and after["evidence"] == clean["evidence"]
    assert len(after["stores"]) == 1
    assert after["second_embedded"] == 0  # and the run after that has nothing to do
    assert json.loads(manifest.read_text())["complete"] is True


def test_kill_during_an_update_of_a_good_index_then_the_next_run_rebuilds(tmp_path: Path) -> None:
    home = tmp_path / "home"
    services = build_services(home, embedder_factory=HashingEmbedder)
    good = check(home, services, corpus(services, "base"))
    assert good["embedded"] == good["total"]
    good["index"].close()
    _kill_after_first_batch(home, "changed")  # the packs changed: everything is re-embedded

    after = _check_in_a_new_process(home, "changed")
    assert after["rebuilt"] is True and after["embedded"] == after["total"]
    assert after["max_error"] < 1e-6 and after["second_embedded"] == 0
    assert len(after["stores"]) == 1


# -- kill -9 inside an interview turn's write --------------------------------------------

INTERVIEW_CHILD = Path(__file__).parent / "hardening" / "interview_child.py"


def _kill_inside_the_write(home: Path, session_id: str, answers: int, at_write: int) -> None:
    """Run the interview child and SIGKILL it inside its ``at_write``-th turn write."""
    child = subprocess.Popen([sys.executable, str(INTERVIEW_CHILD), str(home), session_id,
                              str(answers), str(at_write)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None and child.stderr is not None
    seen: list[str] = []
    for line in child.stdout:
        seen.append(line.strip())
        if line.startswith("in-write"):
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    error = child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL, (seen, error[-2000:])
    assert seen == [*(f"answered {n}" for n in range(1, answers + 1)), "in-write"]


@pytest.mark.parametrize("at_write", [1, 2])
def test_kill_inside_an_interview_turn_loses_no_saved_answer(
        tmp_path: Path, at_write: int) -> None:
    """Answers whose turn returned are all there; the killed one is there or not, whole."""
    import sqlite3

    from hardening.interview_child import ANSWERS, PERSON

    from agent.interview import Interviewer

    home = tmp_path / "home"
    _kill_inside_the_write(home, "crash-1", answers=3, at_write=at_write)

    with sqlite3.connect(home / "sessions.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    services = build_services(home, embedder_factory=HashingEmbedder)
    with Interviewer(services, "offline") as interviewer:
        (summary,) = interviewer.sessions()
        assert summary.id == "crash-1"
        assert summary.turns == 3  # the metadata row is written after the checkpoint
        assert not interviewer.pending("crash-1").finished
        saved = interviewer.assessment("crash-1").sources[0].utterances
        assert saved in (3, 4)  # 3 returned before the kill; the 4th only if committed
        # The session carries on from where the database says it is.
        turn = interviewer.answer("crash-1", PERSON, ANSWERS[saved])
        assert turn.kind != "error"
        assert interviewer.assessment("crash-1").sources[0].utterances == saved + 1
        assert interviewer.sessions()[0].turns == saved + 1
