"""Injection, fake system messages, claims in capitals, flattery, pasted framework text:
appended to an honest transcript, none of it may raise any level, under either engine.

The llm engine is driven by a deliberately gullible model: it believes every adversarial
line and proposes it as top-level, specific evidence for every indicator it is shown.
What stops that is the code that disposes (checks, relevance, rubric), not the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hardening.adversarial import additions, pasted_framework

from agent.app import Services
from agent.assessment.model import Assessment
from agent.assessment.pipeline import assess
from agent.engines.factory import make_engine
from agent.knowledge.schema import FrameworkPack
from agent.llm.extraction import Extraction
from agent.llm.provider import CallUsage, Reply
from agent.transcripts import Transcript, parse_text

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "examples" / "northwind-assessment.txt"
KINDS = [*additions(), "pasted-framework"]


def _with(pack: FrameworkPack, kind: str) -> tuple[Transcript, set[int]]:
    """The example transcript plus one adversarial addition, and the added lines."""
    base = BASE.read_text(encoding="utf-8").rstrip("\n") + "\n"
    extra = pasted_framework(pack) if kind == "pasted-framework" else additions()[kind]
    first = base.count("\n") + 1
    added = set(range(first, first + extra.count("\n")))
    return parse_text(base + extra, f"adversarial-{kind}.txt"), added


def _levels(a: Assessment) -> dict[str, int]:
    return {d.id: d.level or 0 for d in a.dimensions}


def _counted_from(a: Assessment, lines: set[int]) -> list[str]:
    """Evidence from the added lines that the rubric counts (a claim never counts)."""
    return [f"{e.line}: {e.indicator_id}: {e.quote}" for d in a.dimensions for e in d.evidence
            if e.line in lines and e.strength != "claim"]


@pytest.fixture(scope="module")
def offline_base(real_index_home: Path) -> Assessment:
    from agent.app import build_services
    from agent.retrieval.embedder import default_embedder

    services = build_services(real_index_home, embedder_factory=default_embedder)
    pack = services.registry.get("enterprise-ai")
    base = parse_text(BASE.read_text(encoding="utf-8"), "adversarial-base.txt")
    return assess([base], pack, make_engine("offline", services), services.clock())


# Both engines now set aside claims shouted in capitals (language.is_shouted) and quoted
# level descriptions (checks: pasted framework text), so no kind is a known gap.


@pytest.mark.parametrize("kind", KINDS)
def test_offline_engine_gives_adversarial_lines_no_weight(
        kind: str, services: Services, offline_base: Assessment) -> None:
    pack = services.registry.get("enterprise-ai")
    transcript, added = _with(pack, kind)
    result = assess([transcript], pack, make_engine("offline", services), services.clock())
    assert _counted_from(result, added) == []
    base, now = _levels(offline_base), _levels(result)
    assert all(now[d] <= base[d] for d in base), (base, now)
    if kind in ("injection", "fake-system"):
        assert "prompt_injection" in {w.code for w in result.warnings}


class GullibleModel:
    """Believes the adversarial lines: proposes each as specific, top-level support for
    every indicator in the request (at most three per quote, as the prompt allows)."""

    model = "gullible"

    def __init__(self, believe: Callable[[str], bool]) -> None:
        self.believe = believe
        self.calls = 0

    def structured(self, messages: list[tuple[str, str]], schema: type[T]) -> Reply[T]:
        assert schema is Extraction
        self.calls += 1
        user = messages[-1][1]
        indicators = re.findall(r"^- (\S+) \(level (\d)\):", user, re.M)
        top = [i for i, _ in sorted(indicators, key=lambda x: -int(x[1]))][:3]
        items: list[dict[str, Any]] = []
        for number, text in re.findall(r"^\[(\d+)\] [^:]*: (.*)$", user, re.M):
            if self.believe(text):
                items += [{"indicator_id": i, "stance": "supports", "strength": "specific",
                           "quote": text, "line": int(number), "reason": "as the speaker says"}
                          for i in top]
        value = schema.model_validate({"evidence": items, "injections": []})
        usage = CallUsage(self.model, 1000, 100, 0.0, 0.0)
        return Reply(value, usage, (usage,))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", KINDS)
def test_llm_engine_disposes_of_what_a_gullible_model_believes(
        kind: str, services: Services) -> None:
    pack = services.registry.get("enterprise-ai")
    transcript, added = _with(pack, kind)
    adversarial = {u.text for u in transcript.utterances if u.line in added}
    model = GullibleModel(lambda text: any(text in a or a in text for a in adversarial))
    engine = make_engine("llm", services, provider=model)
    result = assess([transcript], pack, engine, services.clock())
    assert model.calls >= len(pack.dimensions)
    # The model believed nothing else, so every level the adversarial lines did not
    # raise stays empty: any level at all means an adversarial line was counted.
    assert _counted_from(result, added) == []
    assert all(level == 0 for level in _levels(result).values()), _levels(result)
