"""The relevance check that stands between a proposer's credits and the rubric."""

from __future__ import annotations

import pytest

from agent.app import Services
from agent.assessment.model import Evidence
from agent.assessment.relevance import RelevanceCheck, RelevanceSettings

QUOTE = "Every squad logs its training runs to the shared MLflow tracking server."


def credit(indicator: str | None, quote: str = QUOTE, line: int = 4,
           strength: str = "general") -> Evidence:
    return Evidence.model_validate({
        "quote": quote, "source": "t.txt", "line": line, "speaker": "Raj",
        "stance": "supports", "indicator_id": indicator, "strength": strength})


@pytest.fixture
def check(services: Services) -> RelevanceCheck:
    return RelevanceCheck(services.index())


def ranked(check: RelevanceCheck, services: Services, quote: str = QUOTE) -> list[str]:
    pack = services.registry.get("mlops-llmops")
    ids = list(pack.indicators())
    row = check.scores([quote], pack, ids)[0]
    return [ids[j] for j in row.argsort()[::-1]]


def test_the_most_relevant_indicator_passes_and_unrelated_ones_do_not(
        check: RelevanceCheck, services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    order = ranked(check, services)
    result = check.check([credit(order[0]), credit(order[-1]), credit(order[len(order) // 2])],
                         pack)
    assert [e.indicator_id for e in result.kept] == [order[0]]
    assert result.kept[0].relevance and len(result.dropped) == 2


def test_one_quote_carries_at_most_three_indicators_even_cut_into_pieces(
        check: RelevanceCheck, services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    loose = RelevanceCheck(check.index, RelevanceSettings(floor=-1, margin=9))
    order = ranked(check, services)
    piece = "logs its training runs to the shared MLflow tracking server"
    items = [credit(i) for i in order[:4]] + [credit(i, quote=piece) for i in order[4:8]]
    result = loose.check(items, pack)
    assert {e.indicator_id for e in result.kept} <= set(order[:8])
    assert len({e.indicator_id for e in result.kept}) == 3 and len(result.dropped) == 5


def test_saying_it_twice_counts_once_and_the_strongest_reading_stays(
        check: RelevanceCheck, services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    best = ranked(check, services)[0]
    other_sentence = "We log runs to MLflow."
    result = check.check([credit(best), credit(best, strength="specific"),
                          credit(best, quote=other_sentence)], pack)
    assert len(result.kept) == 1 and result.kept[0].strength == "specific"
    assert len(result.dropped) == 2
    # Another utterance saying the same thing is a second voice and counts.
    assert len(check.check([credit(best), credit(best, line=9)], pack).kept) == 2


def test_items_without_a_known_indicator_pass_through(check: RelevanceCheck,
                                                      services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    items = [credit(None), credit("reproducibility.l9.unknown")]
    assert check.check(items, pack).kept == items
