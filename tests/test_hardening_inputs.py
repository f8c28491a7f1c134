"""Bad input through the real CLI: exit 2 and one clear line, or a recovered run.

Every case also proves that nothing was half-written: the --out file either does not
exist or holds a whole report, and no temporary file is left beside it.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening.corpus import CASES, BadInput

from agent.transcripts import MAX_BYTES

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"


def assert_one_clean_line(code: int, out: str, err: str, pattern: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr that matches ``pattern``."""
    assert code == 2, (code, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("maturity: ")
    assert "Traceback" not in err and "Error:" not in err.split(":", 2)[-1][:1]
    assert re.search(pattern, err), err
    return err


def assert_nothing_half_written(out_file: Path, before: bytes | None = None) -> None:
    leftovers = [p.name for p in out_file.parent.iterdir() if p.name.startswith(f".{out_file.name}")]
    assert leftovers == []
    if before is None:
        assert not out_file.exists()
    else:
        assert out_file.read_bytes() == before


@pytest.mark.parametrize("case", [c for c in CASES if c.message], ids=lambda c: c.name)
def test_bad_transcript_is_one_line_and_exit_2(
        case: BadInput, cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.data)
    out_file = tmp_path / "reports" / "result.json"
    code, out, err = cli("score", str(path), "--format", "json", "--out", str(out_file))
    assert case.message is not None
    line = assert_one_clean_line(code, out, err, case.message)
    assert case.name in line  # the message names the file
    assert not out_file.parent.exists() or not any(out_file.parent.iterdir())


def test_the_50_megabyte_file_is_refused_without_reading_it(
        cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "sparse.txt"
    with path.open("wb") as fh:  # 50 MB of nothing: reading it would cost time and memory
        fh.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_BYTES
    code, out, err = cli("score", str(path))
    assert_one_clean_line(code, out, err, r"over the limit of 10,485,760 bytes")


@pytest.mark.parametrize("case", [c for c in CASES if not c.message], ids=lambda c: c.name)
def test_readable_but_thin_input_recovers(
        case: BadInput, cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.data)
    out_file = tmp_path / "result.json"
    code, out, err = cli("score", str(path), "--format", "json", "--out", str(out_file))
    assert (code, out, err) == (0, "", "")
    report = json.loads(out_file.read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    codes = {w["code"] for w in report["warnings"]}
    assert "single_perspective" in codes
    if case.name == "one-word.txt":
        assert all(d["level"] is None for d in report["dimensions"])
        assert "insufficient_evidence" in codes


def test_one_bad_file_among_good_ones_stops_before_anything_is_written(
        cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.vtt"
    bad.write_bytes(b"")
    out_file = tmp_path / "result.json"
    code, out, err = cli("score", str(EXAMPLE), str(bad), "--out", str(out_file))
    assert_one_clean_line(code, out, err, r"empty\.vtt: file is empty")
    assert_nothing_half_written(out_file)


@pytest.mark.parametrize(("args", "pattern"), [
    (["score", str(EXAMPLE), "--framework", "cmmi-99"], r"unknown framework 'cmmi-99'; choose one of: .*enterprise-ai"),
    (["score", str(EXAMPLE), "--engine", "gpt"], r"unknown engine 'gpt'"),
    (["score", str(EXAMPLE), "--format", "docx"], r"unknown format 'docx'"),
    (["score", str(EXAMPLE), "--format", "pdf"], r"--format pdf writes a file; add --out"),
    (["score", "does-not-exist.txt"], r"does-not-exist\.txt: file not found"),
    (["score", str(ROOT / "examples")], r"is a directory"),
    (["score", "/dev/null"], r"not a regular file"),
    (["score"], r"Missing argument"),
    (["score", str(EXAMPLE), "--no-such-flag"], r"No such option"),
])
def test_usage_errors_are_one_line(args: list[str], pattern: str, cli: Cli, home: Path) -> None:
    code, out, err = cli(*args)
    assert_one_clean_line(code, out, err, pattern)


def test_a_maturity_home_under_a_regular_file_is_one_line(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root (tests may run as root); a path below a regular
    # file is unusable for everyone.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MATURITY_HOME", str(blocker / "home"))
    code, out, err = cli("score", str(EXAMPLE))
    assert_one_clean_line(code, out, err, r"MATURITY_HOME .* is not usable .*writable folder")
    assert blocker.read_text() == "x"


def test_a_maturity_home_that_is_a_file_is_one_line(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "home-file"
    blocker.write_text("keep me")
    monkeypatch.setenv("MATURITY_HOME", str(blocker))
    code, out, err = cli("score", str(EXAMPLE))
    assert_one_clean_line(code, out, err, r"MATURITY_HOME .* is not usable")
    assert blocker.read_text() == "keep me"


def test_a_maturity_home_without_permissions_is_one_line(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running with privileges that ignore permissions (root)")
        monkeypatch.setenv("MATURITY_HOME", str(locked / "home"))
        code, out, err = cli("score", str(EXAMPLE))
        assert_one_clean_line(code, out, err, r"MATURITY_HOME .* is not usable \(Permission denied\)")
    finally:
        locked.chmod(0o700)


class _HalfThenFull:
    """A file object that writes half of what it is given, then reports a full disk."""

    def __init__(self, real: object) -> None:
        self._real = real

    def write(self, data: bytes) -> int:
        self._real.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        self._real.flush()  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def __enter__(self) -> _HalfThenFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()  # type: ignore[attr-defined]


def test_a_full_disk_leaves_the_previous_report_whole(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    out_file = reports / "result.json"
    out_file.write_bytes(b'{"previous": "report"}\n')
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        target = os.readlink(f"/proc/self/fd/{fd}")
        return _HalfThenFull(handle) if target.startswith(str(reports)) else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    code, out, err = cli("score", str(EXAMPLE), "--format", "json", "--out", str(out_file))
    assert_one_clean_line(code, out, err, r"result\.json: cannot write \(No space left on device\)")
    assert_nothing_half_written(out_file, before=b'{"previous": "report"}\n')


def test_a_corrupt_history_database_is_one_line_and_kept(
        cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    history = indexed_home / "history.sqlite"
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 16
    history.write_bytes(garbage)
    out_file = tmp_path / "result.json"
    code, out, err = cli("score", str(EXAMPLE), "--format", "json", "--out", str(out_file))
    assert_one_clean_line(code, out, err, r"history.sqlite: .*(move the file aside|history)")
    assert history.read_bytes() == garbage  # the user's data is never overwritten
    # The history is opened before scoring: no report appears for a run that failed.
    assert not [p for p in tmp_path.iterdir() if "result.json" in p.name]


@pytest.mark.parametrize(("database", "args"), [
    ("sessions.sqlite", ["sessions", "list", "--format", "json"]),
    ("sessions.sqlite", ["interview", "--plain", "--name", "Ana", "--role", "CTO"]),
    ("history.sqlite", ["history", "--format", "json"]),
])
def test_a_corrupt_database_is_one_line_and_left_alone(
        database: str, args: list[str], cli: Cli, home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    home.mkdir(parents=True)
    damaged = home / database
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 16
    damaged.write_bytes(garbage)
    monkeypatch.setattr(sys, "stdin", io.StringIO("We ship weekly.\ndone\n"))
    code, out, err = cli(*args)
    assert_one_clean_line(code, out, err, rf"{database}: .* is damaged \(.*not a database\); "
                                          r"move the file aside")
    assert damaged.read_bytes() == garbage  # never repaired by overwriting the user's data
    assert sorted(p.name for p in home.iterdir() if p.name.startswith(database)) == [database]
