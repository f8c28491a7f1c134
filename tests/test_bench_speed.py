"""scripts/bench_score.py on a small transcript: the embedding-alone and scoring clocks,
the verdict on the issue's bars, and a progress bar that moves with a known total, both
in the pipeline and drawn by the real CLI on a pseudo-terminal. No absolute times."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

from agent.app import Services
from agent.progress import WorkMeter, current_meter, metering
from agent.retrieval.embedder import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "scripts" / "bench_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_measure_times_embedding_and_scoring_and_sees_the_count_move(
        services: Services, tmp_path: Path) -> None:
    bench = _bench()
    path = bench.make_transcript(2000, tmp_path)
    result = bench.measure_scoring(path, services)
    assert result["sentences"] > 64  # more than one embedding batch, so the count can move
    assert result["embed_s"] > 0 and result["score_s"] > 0
    # The figures are rounded from the unrounded clocks, so compare within rounding.
    assert result["ratio"] == pytest.approx(result["score_s"] / result["embed_s"], rel=0.01)
    # score_s is rounded to the millisecond: half of one, spread over the words, plus the
    # rounding of us_per_word itself.
    rounding = 0.0005 / result["words"] * 1e6 + 0.05
    assert result["us_per_word"] == pytest.approx(result["score_s"] / result["words"] * 1e6,
                                                  abs=rounding)
    assert result["progress_total_known"] and result["progress_moved"]
    assert result["progress_distinct"] >= 3


def test_the_verdict_follows_the_issue_bars() -> None:
    bench = _bench()
    at = bench.RATIO_WORDS, bench.GROWTH_WORDS
    good = {at[0]: {"ratio": 2.4, "us_per_word": 100.0}, at[1]: {"ratio": 2.0, "us_per_word": 125.0}}
    assert bench.failures(good, None) == []
    slow = {**good, at[0]: {"ratio": 2.6, "us_per_word": 100.0}}
    assert [m for m in bench.failures(slow, None) if "2.6 times" in m]
    superlinear = {**good, at[1]: {"ratio": 2.0, "us_per_word": 131.0}}
    assert [m for m in bench.failures(superlinear, None) if "1.31 times" in m]
    assert bench.failures({at[1]: good[at[1]]}, None) == []  # a size not run is not judged

    moving = [(0, None), (0, 500), (64, 500), (128, 500), (500, 500)]
    assert bench.failures(good, bench.CliRun(10.0, 900, 0, moving)) == []
    heavy = bench.CliRun(10.0, 1100, 0, moving)
    assert [m for m in bench.failures(good, heavy) if "1100 MiB" in m]
    stuck = bench.CliRun(10.0, 900, 0, [(0, None)] * 50)
    assert [m for m in bench.failures(good, stuck) if "did not move" in m]
    unfinished = bench.CliRun(10.0, 900, 0, [(0, 500), (64, 500), (128, 500)])
    assert not unfinished.moved


def test_bar_counts_are_read_from_what_the_terminal_was_sent() -> None:
    sent = ("\x1b[?25lindexing knowledge \x1b[38;5;237m━━━━\x1b[0m 0/?\r\x1b[2K"
            "reading with offline \x1b[38;5;237m━━━━━━\x1b[0m \x1b[32m0/?\x1b[0m\r\x1b[2K"
            "reading with offline \x1b[38;2;249;38;114m━━╸━━━\x1b[0m \x1b[32m64/112\x1b[0m\r\x1b[2K"
            "reading with offline \x1b[38;2;114;156;31m━━━━━━\x1b[0m \x1b[32m112/112\x1b[0m")
    assert _bench().bar_renders(sent) == [(0, None), (64, 112), (112, 112)]


def test_the_real_cli_draws_a_bar_that_moves_on_a_terminal(
        indexed_home: Path, tmp_path: Path) -> None:
    bench = _bench()
    path = bench.make_transcript(2000, tmp_path)
    run = bench.score_through_cli(path, tmp_path / "out.json")
    assert run.exit_code == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["engine"] == "offline"
    assert run.moved, run.renders
    totals = {t for _, t in run.renders if t}
    assert len(totals) == 1 and totals.pop() > 64  # one total, known before the count moved
    assert run.peak_mib > 0 and bench.failures({}, run) == []


def test_work_from_several_calls_adds_up_and_stays_in_its_own_thread() -> None:
    seen: list[tuple[int, int]] = []
    embedder = HashingEmbedder()
    with metering(lambda done, total: seen.append((done, total))) as meter:
        assert isinstance(meter, WorkMeter)
        embedder.embed(["one sentence here", "and another one"])
        elsewhere: list[WorkMeter | None] = []
        worker = threading.Thread(target=lambda: elsewhere.append(current_meter()))
        worker.start()
        worker.join()
        embedder.embed(["a third"])
    assert elsewhere == [None]  # another thread's work is not this bar's
    assert seen == [(0, 2), (2, 2), (2, 3), (3, 3)]
    assert current_meter() is None
    with metering(None) as nobody:
        assert nobody is None and current_meter() is None
