"""A really full disk: a tiny tmpfs mounted for the test (skipped where mount is not allowed).

The simulated version (ENOSPC injected into the write) is in test_hardening_inputs.py
and always runs; this one lets the kernel and SQLite report the full disk themselves.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.app import build_services
from agent.retrieval.embedder import HashingEmbedder

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"


def _mount(point: Path, size: str) -> bool:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 384 KiB file system of its own."""
    point = tmp_path / "tiny"
    point.mkdir()
    try:
        mounted = _mount(point, "384k")
    except OSError:
        mounted = False
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def _fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # full: exactly what was wanted
    finally:
        os.close(fd)


def test_report_onto_a_full_disk_keeps_the_old_report(
        cli: Cli, indexed_home: Path, tiny_disk: Path) -> None:
    out_file = tiny_disk / "result.json"
    out_file.write_text('{"previous": true}\n')
    _fill(tiny_disk)
    code, out, err = cli("score", str(EXAMPLE), "--format", "json", "--out", str(out_file))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "result.json: cannot write (No space left on device)" in err
    assert out_file.read_text() == '{"previous": true}\n'
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "result.json"]


def test_index_build_on_a_full_disk_is_one_line_then_recovers(
        cli: Cli, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tiny_disk / "home"
    monkeypatch.setenv("MATURITY_HOME", str(home))
    code, out, err = cli("knowledge", "search", "model registry", "--format", "json")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "is full, so the knowledge index cannot be built" in err
    assert "Traceback" not in err

    # Space again: the next build starts over rather than trusting what was half-written.
    subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_disk)], check=True)
    stats = build_services(home, embedder_factory=HashingEmbedder).index().build(
        build_services(home).registry.chunks())
    manifest = json.loads((home / "index" / "manifest.json").read_text())
    assert manifest["complete"] is True and manifest["chunks"] == stats.total
    assert len([p for p in (home / "index").iterdir() if p.name.startswith("chroma")]) == 1
