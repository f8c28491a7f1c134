"""scripts/bench_interview.py on one small gold case: personas answer from their own
sentences, both interviews run, and the figures come out."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from types import ModuleType

from agent.app import Services
from agent.evals.dataset import load_cases
from agent.interview import simulate as sim

ROOT = Path(__file__).resolve().parents[1]
SMALL = "mlops-11-accounting-single"  # one stakeholder, 28 lines


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_interview",
                                                  ROOT / "scripts" / "bench_interview.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_persona_answers_from_its_own_sentences_once(services: Services) -> None:
    case = next(c for c in load_cases() if c.id == SMALL)
    assert "other-author" not in case.tags
    [persona] = sim.personas(case, services.index().embedder)
    text = persona.answer("Could you rebuild the model that is live right now, and how do you track experiments?")
    assert text != sim.UNKNOWN
    transcript = (ROOT / "evals" / case.transcripts[0]).read_text(encoding="utf-8")
    assert all(" ".join(s.split()) in " ".join(transcript.split())
               for s in persona.sentences)
    assert persona.answer("Could you rebuild the model that is live right now, and how do you track experiments?") != text  # said once
    assert sim.Persona("X", "CTO", [], services.index().embedder).answer("Why?") == sim.UNKNOWN


def test_the_benchmark_reports_both_interviews_against_gold(services: Services) -> None:
    bench = _script()
    args = argparse.Namespace(cases=[SMALL], cap=4, target=0.9, json=None)
    result = bench.simulate(args)
    assert result["cases"] == 1
    for strategy in ("adaptive", "fixed"):
        figures = result[strategy]
        assert figures["curve"] and all(0.0 <= p["within_one"] <= 1.0 and
                                        0.0 <= p["exact"] <= p["within_one"]
                                        for p in figures["curve"])
        [persona] = figures["personas"]
        assert persona["case"] == SMALL and persona["asked"] >= 1
    assert result["adaptive"]["personas"][0]["asked"] <= 4
    assert result["fixed"]["personas"][0]["asked"] == 38  # the whole mlops-llmops bank
