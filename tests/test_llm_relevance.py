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


def test_a_quote_far_more_about_another_dimension_is_dropped_and_a_loose_fit_kept(
        check: RelevanceCheck, services: Services) -> None:
    # Correct quotes are often worded unlike their indicator (docs/level-rule.md), so a
    # weak fit within the right dimension stays; a quote plainly about another dimension
    # does not.
    pack = services.registry.get("mlops-llmops")
    order = ranked(check, services)
    table = pack.indicators()
    home = table[order[0]][0].id
    same_dim = [i for i in order if table[i][0].id == home]
    ids = list(table)
    row = check.scores([QUOTE], pack, ids)[0]
    best_in = {d.id: max(float(row[j]) for j, i in enumerate(ids) if table[i][0].id == d.id)
               for d in pack.dimensions}
    far = min(best_in, key=lambda d: best_in[d])
    assert max(best_in.values()) - best_in[far] > check.settings.dimension_margin
    stranger = next(i for i in order if table[i][0].id == far)
    result = check.check([credit(order[0]), credit(same_dim[-1]), credit(stranger)], pack)
    assert [e.indicator_id for e in result.kept] == [order[0], same_dim[-1]]
    assert result.kept[0].relevance and [e.indicator_id for e in result.dropped] == [stranger]


def test_one_quote_carries_at_most_three_indicators_even_cut_into_pieces(
        check: RelevanceCheck, services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    loose = RelevanceCheck(check.index, RelevanceSettings(floor=-1, dimension_margin=9))
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
    clause = "logs its training runs to the shared MLflow tracking server"
    result = check.check([credit(best), credit(best, strength="specific"),
                          credit(best, quote=clause)], pack)
    assert len(result.kept) == 1 and result.kept[0].strength == "specific"
    assert len(result.dropped) == 2
    # Another sentence of the same turn, or another utterance, is more evidence and counts.
    other_sentence = "We log runs to MLflow."
    assert len(check.check([credit(best), credit(best, quote=other_sentence)], pack).kept) == 2
    assert len(check.check([credit(best), credit(best, line=9)], pack).kept) == 2


def test_items_without_a_known_indicator_pass_through(check: RelevanceCheck,
                                                      services: Services) -> None:
    pack = services.registry.get("mlops-llmops")
    items = [credit(None), credit("reproducibility.l9.unknown")]
    assert check.check(items, pack).kept == items
