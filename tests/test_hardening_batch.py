"""`maturity batch`: a folder in, one report per transcript and a summary out."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
GOOD = ["ent-a01-logistics.txt", "ent-a02-bank.vtt", "ent-a03-saas.json", "ent-a04-hospital.srt"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Four good transcripts in four formats, one empty file and one binary file."""
    path = tmp_path / "transcripts"
    path.mkdir()
    for name in GOOD:
        shutil.copy(ROOT / "evals" / "transcripts" / name, path / name)
    (path / "empty.txt").write_bytes(b"")
    (path / "scan.pdf").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    (path / ".DS_Store").write_bytes(b"\x00hidden files are not transcripts")
    return path


def _summary(out_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out_dir / "summary.json").read_text())
    return data


def test_bad_files_are_reported_and_skipped_the_rest_are_scored(
        cli: Cli, indexed_home: Path, folder: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = cli("batch", str(folder), "--out-dir", str(out_dir), "--jobs", "3")
    assert code == 0, err
    assert out.strip() == f"scored 4 of 6 transcripts; reports and summary.json in {out_dir}"
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("maturity: skipped ") for line in lines)
    assert "empty.txt: file is empty" in lines[0] and "scan.pdf: " in lines[1]
    assert "Traceback" not in err
    summary = _summary(out_dir)
    assert (summary["scored"], summary["skipped"]) == (4, 2)
    assert [Path(f["file"]).name for f in summary["files"]] == sorted(
        [*GOOD, "empty.txt", "scan.pdf"])
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        [*(f"{n}.json" for n in GOOD), "summary.json"])
    for entry in summary["files"]:
        if entry["status"] == "scored":
            report = json.loads(Path(entry["report"]).read_text())
            assert report["schema_version"] == 1
            assert {d["id"]: d["level"] for d in report["dimensions"]} == entry["levels"]
    # Every assessment also went into the history, as with `maturity score`.
    code, out, _ = cli("history", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 4


def test_concurrency_is_bounded_and_does_not_change_any_score(
        cli: Cli, indexed_home: Path, folder: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import agent.assessment.pipeline as pipeline

    real_assess = pipeline.assess
    lock, running, peak = threading.Lock(), [0], [0]

    def counting_assess(*args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.2)  # long enough for the others to start if they are allowed to
            return real_assess(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pipeline, "assess", counting_assess)
    code, _, err = cli("batch", str(folder), "--out-dir", str(tmp_path / "two"), "--jobs", "2")
    assert code == 0, err
    assert peak[0] == 2
    peak[0] = 0
    code, _, err = cli("batch", str(folder), "--out-dir", str(tmp_path / "one"), "--jobs", "1")
    assert code == 0, err
    assert peak[0] == 1
    two, one = _summary(tmp_path / "two"), _summary(tmp_path / "one")
    assert two["files"] != [] and [f["levels"] for f in two["files"]] == \
        [f["levels"] for f in one["files"]]


def test_markdown_reports_and_summary(cli: Cli, indexed_home: Path, folder: Path,
                                      tmp_path: Path) -> None:
    out_dir = tmp_path / "md"
    code, _, err = cli("batch", str(folder), "--out-dir", str(out_dir), "--format", "md",
                       "--framework", "enterprise-ai")
    assert code == 0, err
    summary = (out_dir / "summary.md").read_text()
    assert summary.startswith("# Batch summary: enterprise-ai (offline)")
    assert "| ent-a02-bank.vtt | scored |" in summary and "| empty.txt | skipped: " in summary
    assert (out_dir / "ent-a02-bank.vtt.md").read_text().startswith("#")


def test_nothing_scorable_is_exit_2_with_the_summary_written(
        cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.vtt").write_bytes(b"WEBVTT\n")
    out_dir = tmp_path / "out"
    code, out, err = cli("batch", str(folder), "--out-dir", str(out_dir))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("maturity: none of the 2 files in ")
    assert _summary(out_dir)["scored"] == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["summary.json"]


@pytest.mark.parametrize(("args", "pattern"), [
    (["batch", "nowhere", "--out-dir", "{tmp}/x"], "nowhere: not a folder"),
    (["batch", "{folder}", "--out-dir", "{folder}"], "must not be the transcript folder"),
    (["batch", "{folder}", "--out-dir", "{tmp}/x", "--jobs", "0"], "--jobs must be at least 1"),
    (["batch", "{folder}", "--out-dir", "{tmp}/x", "--format", "pdf"], "unknown format 'pdf'"),
    (["batch", "{folder}", "--out-dir", "{tmp}/x", "--framework", "nope"], "unknown framework 'nope'"),
    (["batch", "{folder}"], "Missing option '--out-dir'"),
    (["batch", "{empty}", "--out-dir", "{tmp}/x"], "no transcript files in this folder"),
    (["batch", "{folder}", "--out-dir", "{blocker}/out"], "cannot create the folder"),
])
def test_usage_errors_are_one_line(args: list[str], pattern: str, cli: Cli, indexed_home: Path,
                                   folder: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "blocker").write_text("a file, not a folder")
    values = {"folder": folder, "empty": tmp_path / "empty", "blocker": tmp_path / "blocker",
              "tmp": tmp_path}
    code, out, err = cli(*(a.format(**values) for a in args))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert pattern in err and "Traceback" not in err
