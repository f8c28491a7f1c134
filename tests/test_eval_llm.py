"""The llm engine's eval gate, replayed offline from recorded cassettes.

Replay is the default and needs no server: every case's requests are answered from
``evals/cassettes/<case>.yaml.gz``. A request that differs from the recording (a prompt,
schema, model or transcript changed) misses, and the test fails naming the command that
re-records. ``bash scripts/record_cassettes.sh`` records against a live endpoint and
re-makes the baseline in the same run (``--missing`` records only cases without a
cassette). The engine's levels also depend on code that sends no request (the rubric,
the offline fallback): after changing it, ``MATURITY_WRITE_BASELINE=1 pytest
tests/test_eval_llm.py`` re-makes the baseline from the replayed traffic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.app import Services, build_services
from agent.engines.factory import make_engine
from agent.evals.dataset import EvalCase, load_cases
from agent.evals.gate import check_gold, compare, make_baseline, read_baseline, write_baseline
from agent.evals.runner import CaseResult, report, run_case
from tests.cassettes import (
    RECORD_COMMAND,
    cassette_path,
    cassettes_dir,
    make_vcr,
    recorded_with,
    recording,
)

pytestmark = pytest.mark.skipif(
    not recording() and not (cassettes_dir() / "recorded_with.json").exists(),
    reason="no cassettes recorded yet: " + RECORD_COMMAND)


def _llm_environment(mp: pytest.MonkeyPatch) -> dict[str, Any]:
    meta = recorded_with()
    mp.setenv("OPENAI_BASE_URL", meta["base_url"])
    # Replay needs no key; a recording against OpenAI takes the real one from the
    # environment, and the cassettes never contain it (headers are dropped).
    if not recording():
        mp.setenv("OPENAI_API_KEY", "sk-replay-no-key")
    mp.setenv("MATURITY_MODEL", meta["model"])
    for name, value in meta.get("settings", {}).items():
        mp.setenv(name, str(value))
    return meta


def _run(case: EvalCase, services: Services, engine: Any) -> tuple[CaseResult, list[str]]:
    """One case under its cassette; the second item lists what did not replay."""
    with make_vcr().use_cassette(str(cassette_path(case.id)),
                                  allow_playback_repeats=False) as cassette:
        result = run_case(case, services, engine)
    problems = []
    if not recording() and not cassette.all_played:
        problems.append(f"{case.id}: {len(cassette) - cassette.play_count} recorded "
                        "request(s) were not made again: the requests changed")
    return result, problems


@pytest.fixture(scope="module")
def llm_run(real_index_home: Path) -> Iterator[tuple[dict[str, Any], list[str]]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATURITY_HOME", str(real_index_home))
        meta = _llm_environment(mp)
        services = build_services(real_index_home)
        engine = make_engine("llm", services)
        results, problems = [], []
        for case in load_cases():
            result, missed = _run(case, services, engine)
            results.append(result)
            problems += missed
        run = report(results, engine.name)
        run["model_note"] = (f"Recorded with `{meta['model']}` ({meta['server']}) on "
                             f"{meta['recorded']}; replayed from `evals/cassettes/`.")
        if recording() or os.environ.get("MATURITY_WRITE_BASELINE") == "1":
            write_baseline(make_baseline(run, load_cases()))
        yield run, problems


def _pending() -> set[str]:
    """Cases listed as awaiting a recording session (evals/cassettes/PENDING)."""
    path = cassette_path("x").parent / "PENDING"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def test_every_case_has_a_cassette_or_is_pending(
        llm_run: tuple[dict[str, Any], list[str]]) -> None:
    missing = {c.id for c in load_cases() if not cassette_path(c.id).exists()}
    pending = _pending()
    assert missing <= pending, (f"no cassette for {sorted(missing - pending)}; record: "
                                f"{RECORD_COMMAND}")
    recorded = pending - missing
    assert not recorded, f"{sorted(recorded)} have cassettes now: delete them from PENDING"


def test_llm_requests_replay_exactly(llm_run: tuple[dict[str, Any], list[str]]) -> None:
    _, problems = llm_run
    assert not problems, "\n".join([*problems, f"re-record: {RECORD_COMMAND}"])


def test_llm_engine_holds_its_baseline(llm_run: tuple[dict[str, Any], list[str]]) -> None:
    run, _ = llm_run
    baseline = read_baseline(run["engine"])
    assert baseline is not None, f"no baseline for {run['engine']}; record: {RECORD_COMMAND}"
    failures = check_gold(baseline, load_cases()) or compare(baseline, run).failures
    assert not failures, "\n".join(failures)


def test_llm_quotes_are_grounded_and_adversarial_cases_not_lifted(
        llm_run: tuple[dict[str, Any], list[str]]) -> None:
    run, _ = llm_run
    assert run["quote_grounding_rate"] == 1.0  # what survives the checks is verbatim
    assert run["citation_validity"] == 1.0
    baseline = read_baseline("offline")
    assert baseline is not None
    # The LLM may read language better or worse, but code disposes: adversarial labels
    # it lifts above gold may not outnumber the offline engine's.
    assert run["adversarial"]["raised"] <= baseline["adversarial"]["raised"]


_SECRET = re.compile(rb"sk-[A-Za-z0-9_-]{16,}|xox[abp]-[A-Za-z0-9-]{10,}|Bearer\s+\S{8,}"
                     rb"|(?i:authorization|api-key|x-api-key)")


def test_cassettes_hold_no_credentials() -> None:
    import gzip

    for path in sorted(cassettes_dir().glob("*.yaml.gz")):
        text = gzip.decompress(path.read_bytes())
        assert not _SECRET.search(text), f"{path.name} holds a credential or auth header"


def test_an_edited_prompt_misses_its_cassette(real_index_home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Change a prompt without re-recording: the replay must fail loudly, not fall back."""
    import agent.engines.llm as llm_engine

    if recording():
        pytest.skip("recording: nothing to replay against")
    case = next(c for c in load_cases() if cassette_path(c.id).exists())
    monkeypatch.setenv("MATURITY_HOME", str(real_index_home))
    _llm_environment(monkeypatch)
    original = llm_engine.load_prompt

    def edited(name: str, folder: Path | None = None) -> Any:
        prompt = original(name, folder)
        first = prompt.messages[0]
        first = first.model_copy(update={"content": first.content + "\nBe thorough."})
        return prompt.model_copy(update={"messages": [first, *prompt.messages[1:]]})

    monkeypatch.setattr(llm_engine, "load_prompt", edited)
    services = build_services(real_index_home)
    _, problems = _run(case, services, make_engine("llm", services))
    assert problems and "requests changed" in problems[0]
