"""scripts/bench_interview.py on one small gold case: personas answer from their own
sentences, both interviews run, and the figures come out."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from agent.app import Services
from agent.evals.dataset import EvalCase, load_cases
from agent.evals.sentence_gold import GoldSentence, SentenceGold
from agent.interview import simulate as sim
from agent.retrieval.embedder import HashingEmbedder

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


# A small built case: one stakeholder, five sentences, three of them labelled by a rater.
LINES = [
    "Maya Chen (CTO): We keep a register of every model we run with its owner and risk. "
    "Our budget for AI sits in the data platform line this year.",
    "Maya Chen (CTO): The board signed off a written AI strategy with three goals last spring. "
    "Nobody reviews the vendors we buy models from at all. "
    "I drive a blue bicycle to work every single day.",
]
LABELS = {  # sentence -> (supports, contradicts, also_ok)
    "We keep a register of every model we run with its owner and risk.":
        (["governance.l2.critical-model-cards"], [], []),
    "The board signed off a written AI strategy with three goals last spring.":
        (["strategy.l3.strategy-document"], [], ["strategy.l3.objective-mapping"]),
    "Nobody reviews the vendors we buy models from at all.":
        ([], ["governance.l3.formal-model-review"], []),
}


@pytest.fixture
def built_case(tmp_path: Path) -> tuple[EvalCase, SentenceGold]:
    (tmp_path / "t.txt").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    case = EvalCase(id="built", framework="enterprise-ai", description="built",
                    transcripts=[str(tmp_path / "t.txt")], gold={})
    sentences = [GoldSentence(id=f"s{n}", source="t.txt", line=1, speaker="Maya Chen (CTO)",
                              text=text, supports=s, contradicts=c, also_ok=ok)
                 for n, (text, (s, c, ok)) in enumerate(LABELS.items(), start=1)]
    return case, SentenceGold(case="built", framework="enterprise-ai", rater="t",
                              sentences=sentences)


def test_an_informed_persona_answers_by_its_labels_then_similarity_then_not_at_all(
        fake_services: Services, built_case: tuple[EvalCase, SentenceGold]) -> None:
    case, gold = built_case
    pack = fake_services.registry.get("enterprise-ai")
    assert not gold.check_ids(pack)  # the labels are the pack's own indicators
    [persona] = sim.personas(case, HashingEmbedder(), gold, pack, informed=True)
    assert persona.informed and len(persona.sentences) == 5 and len(persona.evidence) == 3
    unrelated = "What colour is the sky?"
    # the asked indicator first, whatever the question's words (also_ok counts)
    assert persona.answer(unrelated, "strategy", ["strategy.l3.objective-mapping"]) == (
        "The board signed off a written AI strategy with three goals last spring.")
    # nothing labelled for the asked indicator: the dimension's labelled sentences, in
    # transcript order (at most three)
    assert persona.answer(unrelated, "governance", ["governance.l3.incident-process"]) == (
        "We keep a register of every model we run with its owner and risk. "
        "Nobody reviews the vendors we buy models from at all.")
    # nothing labelled left: the similarity rule, else "I don't know"
    assert persona.answer(unrelated, "governance", ["governance.l2.critical-model-cards"]) == (
        sim.UNKNOWN)
    cycling = "Do you drive a blue bicycle to work every day?"
    assert persona.answer(cycling, "governance", ["governance.l2.critical-model-cards"]) == (
        "I drive a blue bicycle to work every single day.")
    assert persona.answer(cycling, "governance", []) == sim.UNKNOWN  # said once, never again
    assert persona.answer("What budget line does AI sit in this year?", "strategy", []) == (
        "Our budget for AI sits in the data platform line this year.")
    assert persona.answer("What budget line does AI sit in this year?") == sim.UNKNOWN
    assert len(persona.said) == 5 and persona.unknowns == 3


def test_a_similar_persona_ignores_the_labels_it_holds(
        fake_services: Services, built_case: tuple[EvalCase, SentenceGold]) -> None:
    case, gold = built_case
    pack = fake_services.registry.get("enterprise-ai")
    [persona] = sim.personas(case, HashingEmbedder(), gold, pack)
    assert not persona.informed and len(persona.evidence) == 3  # counted for the diagnosis
    assert persona.answer("What colour is the sky?", "strategy",
                          ["strategy.l3.strategy-document"]) == sim.UNKNOWN


def test_the_report_carries_the_ceiling_and_what_each_persona_said(services: Services) -> None:
    bench = _script()
    case = "aimm-01-lawfirm"  # small, with sentence gold
    args = argparse.Namespace(cases=[case], cap=3, target=0.9, json=None, persona="informed",
                              sentence_gold=False)
    result = bench.simulate(args)
    assert result["persona"] == "informed" and result["case_ids"] == [case]
    ceiling = result["ceiling"]
    assert 0.0 <= ceiling["exact"] <= ceiling["within_one"] <= 1.0
    assert set(ceiling["levels"][case]) >= set(next(c for c in load_cases() if c.id == case).gold)
    for strategy in ("adaptive", "fixed"):
        figures = result[strategy]
        assert "reaches_ceiling_at" in figures and "reaches_target_at" in figures
        for p in figures["personas"]:
            assert 0 <= p["evidence_said"] <= min(p["said"], p["evidence"])
            assert p["said"] <= p["sentences"] and 0 <= p["unknown"] <= p["asked"]
        asked = figures["questions"][case]
        assert len(asked) == sum(p["asked"] for p in figures["personas"])
        assert all(q["dimension"] for q in asked)
    assert all(q["indicator"] for q in result["adaptive"]["questions"][case]
               if q["kind"] == "question")
    assert all(p["asked"] <= 3 for p in result["adaptive"]["personas"])
