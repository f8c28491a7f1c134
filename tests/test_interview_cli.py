"""``maturity interview --plain`` and ``maturity sessions`` through the real CLI."""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from interview_answers import SCRIPTED_ANSWERS as SCRIPT

from agent.app import build_services
from agent.assessment.checks import quote_in
from agent.assessment.model import Assessment
from agent.history.store import history_store
from agent.interview import Interviewer

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., tuple[int, str, str]]

DIMENSION_NAMES = ["Strategy & Vision", "Data & Infrastructure", "Talent & Skills",
                   "Governance & Ethics", "Technology & Tools", "Culture & Change"]


def _stdin(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def _sessions(cli: Cli) -> list[dict[str, object]]:
    code, out, _ = cli("sessions", "list", "--format", "json")
    assert code == 0
    data: list[dict[str, object]] = json.loads(out)
    return data


def test_scripted_plain_interview_covers_every_dimension(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "result.json"
    _stdin(monkeypatch, ["Ada Lovelace", "Head of Data", "why", "status", *SCRIPT, "done"])
    code, stdout, stderr = cli("interview", "--plain", "--out", str(out))
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines[:4] == ["What is your name?", "> Ada Lovelace",
                         "What is your role (for example 'Head of Data' or 'CTO')?",
                         "> Head of Data"]
    questions = [line for line in lines if line.startswith("[")]
    for name in DIMENSION_NAMES:
        assert any(q.startswith(f"[{name}]") for q in questions), name
    assert "I am looking for evidence of:" in stdout and "Where things stand:" in stdout
    assert "Thank you" in lines[-1]
    assessment = Assessment.model_validate_json(out.read_text())
    assert assessment.framework == "enterprise-ai" and assessment.engine == "offline"
    assert all(d.level is not None for d in assessment.dimensions), assessment.levels()
    session = _sessions(cli)[0]
    assert session["turns"] == len(SCRIPT) and session["stakeholders"] == ["Ada Lovelace"]
    assert assessment.sources[0].source == f"interview:{session['id']}"
    for d in assessment.dimensions:
        for e in d.evidence:
            assert quote_in(e.quote, SCRIPT[e.line - 1]) and e.speaker == "Ada Lovelace"
    assert f"assessment written to {out}, " in stderr and "Traceback" not in stderr
    history = history_store(build_services(indexed_home)).list()
    assert [(h.origin, h.levels) for h in history] == [("interview", assessment.levels())]


def test_end_of_input_keeps_the_session_resumable(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "so-far.json"
    _stdin(monkeypatch, SCRIPT[:2])
    code, stdout, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO",
                               "--out", str(out))
    assert code == 0
    assert Assessment.model_validate_json(out.read_text()).sources[0].utterances == 2
    session = _sessions(cli)[0]
    assert f"maturity interview --resume {session['id']}" in stderr
    assert session["turns"] == 2
    assert len(stdout.splitlines()) == 5  # three questions, each answer echoed after its own
    _stdin(monkeypatch, [*SCRIPT[2:4], "done"])
    code, stdout, stderr = cli("interview", "--plain", "--resume", str(session["id"]),
                               "--out", str(out))
    assert code == 0, stderr
    assessment = Assessment.model_validate_json(out.read_text())
    assert assessment.sources[0].utterances == 4


def test_a_second_stakeholder_joins_on_resume(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, [SCRIPT[1]])
    assert cli("interview", "--plain", "--name", "Ada", "--role", "Head of Data")[0] == 0
    session = str(_sessions(cli)[0]["id"])
    out = tmp_path / "pooled.json"
    _stdin(monkeypatch, [SCRIPT[4], "done"])
    code, _, stderr = cli("interview", "--plain", "--resume", session, "--name", "Ben",
                          "--role", "VP Engineering", "--out", str(out))
    assert code == 0, stderr
    assessment = Assessment.model_validate_json(out.read_text())
    assert {s.name for s in assessment.speakers} == {"Ada", "Ben"}
    assert _sessions(cli)[0]["stakeholders"] == ["Ada", "Ben"]


def test_bad_input_exits_2_with_one_line(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, [])
    for args, message in (
            (["--resume", "no-such-session"], "unknown session 'no-such-session'"),
            (["--framework", "nope"], "unknown framework"),
            (["--engine", "magic"], "unknown engine"),
            (["--engine", "llm"], "needs OPENAI_API_KEY"),
            (["--out", str(tmp_path / "missing" / "x.json")], "does not exist"),
            ([], "no answer to 'What is your name?'")):
        code, _stdout, stderr = cli("interview", "--plain", *args)
        assert code == 2, (args, stderr)
        assert stderr.count("\n") == 1 and message in stderr, stderr
    _stdin(monkeypatch, [SCRIPT[0]])
    cli("interview", "--plain", "--name", "Ada", "--role", "CTO")
    session = str(_sessions(cli)[0]["id"])
    code, _, stderr = cli("interview", "--plain", "--resume", session, "--framework",
                          "mlops-llmops")
    assert code == 2 and "assesses enterprise-ai" in stderr


def test_sessions_list_formats(cli: Cli, home: Path) -> None:
    code, out, _ = cli("sessions", "list", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = cli("sessions", "list")
    assert code == 0 and out.startswith("| id | framework | stakeholders | turns | updated |")
    assert cli("sessions", "list", "--format", "csv")[0] == 2


def test_sessions_list_md_shows_sessions(
        cli: Cli, indexed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, [SCRIPT[0]])
    cli("interview", "--plain", "--name", "Ada", "--role", "CTO", "--framework", "mlops-llmops")
    code, out, _ = cli("sessions", "list", "--format", "md")
    row = out.splitlines()[2]
    assert code == 0 and "| mlops-llmops | Ada | 1 |" in row


class _Lines:
    """Lines from a pipe, read in a thread so a test can wait with a timeout."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream: io.TextIOBase) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def next_question(self) -> str:
        while True:
            line = self.lines.get(timeout=120)
            if line.startswith("["):
                return line


def test_an_interview_killed_mid_way_resumes_with_every_answer(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "MATURITY_HOME": str(indexed_home), "MATURITY_ENGINE": "offline"}
    with subprocess.Popen(
            [sys.executable, "-m", "agent", "interview", "--plain", "--name", "Ada", "--role",
             "Head of Data"], cwd=ROOT, env=env, text=True, bufsize=1,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        reader = _Lines(proc.stdout)  # type: ignore[arg-type]
        try:
            reader.next_question()
            for answer in SCRIPT[:4]:
                proc.stdin.write(answer + "\n")
                proc.stdin.flush()
                reader.next_question()  # the reply is out, so the answer is on disk
            proc.stdin.write(SCRIPT[4] + "\n")  # in flight when the process dies
            proc.stdin.flush()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            reader.thread.join(timeout=30)  # end of output: the pipe can be closed
    assert proc.returncode == -signal.SIGKILL
    session = _sessions(cli)[0]
    with Interviewer(build_services(indexed_home)) as interviewer:
        kept = interviewer.assessment(str(session["id"])).sources[0].utterances
    assert kept in (4, 5)  # every acknowledged answer; the one in flight may have made it
    out = tmp_path / "resumed.json"
    _stdin(monkeypatch, [*SCRIPT[kept:], "done"])
    code, _stdout, stderr = cli("interview", "--plain", "--resume", str(session["id"]),
                               "--out", str(out))
    assert code == 0, stderr
    assessment = Assessment.model_validate_json(out.read_text())
    assert assessment.sources[0].utterances == len(SCRIPT)
    lines = {e.line for d in assessment.dimensions for e in d.evidence}
    assert {1, 2, 3, 4} <= lines  # the answers given before the kill still count
    for d in assessment.dimensions:
        for e in d.evidence:
            assert quote_in(e.quote, SCRIPT[e.line - 1])
    assert all(d.level is not None for d in assessment.dimensions)


def test_redact_keeps_contact_details_out_of_the_session_and_the_report(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contact = ("Every team tracks experiments in MLflow; write to ana.lopez@northwind.example "
               "or call +44 20 7946 0958 for access.")

    def stored() -> bytes:  # every byte of the session database, write-ahead log included
        return b"".join(p.read_bytes() for p in sorted(indexed_home.glob("sessions.sqlite*")))

    out = tmp_path / "redacted.json"
    _stdin(monkeypatch, [contact, "done"])
    code, _, stderr = cli("interview", "--plain", "--name", "Ana", "--role", "CTO",
                          "--redact", "--out", str(out))
    assert code == 0, stderr
    for text in (stored(), out.read_bytes()):
        assert b"northwind.example" not in text and b"7946 0958" not in text
    assert b"[email]" in stored() and b"MLflow" in out.read_bytes()

    # Without --redact the same answer is stored as typed: the checks above can fail.
    _stdin(monkeypatch, [contact, "done"])
    assert cli("interview", "--plain", "--name", "Ana", "--role", "CTO")[0] == 0
    assert b"northwind.example" in stored()


def test_out_writes_the_json_markdown_and_html_reports(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.json"
    _stdin(monkeypatch, [SCRIPT[0], SCRIPT[1], "done"])
    code, _, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO",
                          "--out", str(out))
    assert code == 0, stderr
    assessment = Assessment.model_validate_json(out.read_text())  # the JSON exactly at --out
    assert assessment.sources[0].utterances == 2
    markdown = (folder / "r.md").read_text()
    assert markdown.lstrip().startswith("#") and "Strategy" in markdown
    assert "<html" in (folder / "r.html").read_text().lower()
    assert sorted(p.name for p in folder.iterdir()) == ["r.html", "r.json", "r.md"]
    assert f"assessment written to {out}, {folder / 'r.md'}, {folder / 'r.html'}\n" in stderr

    # End of input before done: the report so far, the same three files.
    _stdin(monkeypatch, [SCRIPT[0]])
    code, _, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO",
                          "--out", str(folder / "so-far.json"))
    assert code == 0, stderr
    assert all((folder / f"so-far.{fmt}").exists() for fmt in ("json", "md", "html"))


def test_finishing_without_out_saves_the_reports_under_maturity_home(
        cli: Cli, indexed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, [SCRIPT[0], "done", "y"])
    code, _, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO")
    assert code == 0, stderr
    session = str(_sessions(cli)[0]["id"])
    reports = indexed_home / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        f"{session}.html", f"{session}.json", f"{session}.md"]
    assert f"assessment written to {reports / session}.json" in stderr


def test_piped_answers_are_echoed_after_their_question(
        cli: Cli, indexed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, ["Ada Lovelace", "Head of Data", SCRIPT[0], "why", SCRIPT[1]])
    code, stdout, stderr = cli("interview", "--plain")
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines[0:4] == ["What is your name?", "> Ada Lovelace",
                          "What is your role (for example 'Head of Data' or 'CTO')?",
                          "> Head of Data"]
    echoed = [line for line in lines if line.startswith("> ")]
    assert echoed == ["> Ada Lovelace", "> Head of Data", f"> {SCRIPT[0]}", "> why",
                      f"> {SCRIPT[1]}"]
    first = lines.index(f"> {SCRIPT[0]}")
    assert lines[first - 1].startswith("[")  # right after the question it answers
    assert lines[first + 1].startswith("[")  # and before the next question


def test_done_asks_for_confirmation_and_shows_where_each_dimension_stands(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.json"
    _stdin(monkeypatch, [SCRIPT[0], "done", "n", SCRIPT[1], "Done", "maybe", "done", "yes",
                         SCRIPT[2]])
    code, stdout, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO",
                               "--out", str(out))
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines.count("Finish the interview now? (y/N)") == 3
    ask = lines.index("Finish the interview now? (y/N)")
    standing = lines[lines.index("Where each dimension stands now:") + 1:ask - 1]
    assert [line.split(":")[0].strip() for line in standing] == DIMENSION_NAMES
    # The stop rule: what is settled, what is open, how many questions are left.
    assert "still open" in lines[ask - 1] and lines[ask - 1].endswith(
        "of 20 questions left for Ada.")
    assert any(line.strip().endswith("still open") for line in standing)
    assert any("level " in line for line in standing)  # the first answer scored something
    assert lines[ask + 1:ask + 3] == ["> n", "Carrying on; the question stands."]
    assert lines[ask + 3].startswith("[")  # the same question again
    assert "Thank you" in lines[-1]  # finished on "yes": the last answer was never read
    assessment = Assessment.model_validate_json(out.read_text())
    assert assessment.sources[0].utterances == 2
    session = _sessions(cli)[0]
    assert session["turns"] == 2
    history = history_store(build_services(indexed_home)).list()
    assert len(history) == 1


def test_done_at_the_end_of_piped_input_still_finishes(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The contract: `done` ends the interview. With nothing after it to confirm, it does.
    _stdin(monkeypatch, [SCRIPT[0], "done"])
    code, stdout, stderr = cli("interview", "--plain", "--name", "Ada", "--role", "CTO")
    assert code == 0, stderr
    assert stdout.splitlines()[-1].startswith("Thank you") or "Thank you" in stdout
    assert "Resume with" not in stderr
    assert len(history_store(build_services(indexed_home)).list()) == 1
