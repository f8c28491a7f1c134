"""The rubric's floor rule: a fully evidenced level vouches for the floors beneath it."""

from __future__ import annotations

from agent.assessment.model import Evidence
from agent.assessment.rubric import FLOOR_SHARE, score_dimension
from agent.knowledge.loader import builtin_packs

PACK = next(p for p in builtin_packs() if p.id == "enterprise-ai")
TECH = PACK.dimension("technology")


def _met(ids: list[str]) -> list[Evidence]:
    return [Evidence(quote="q", source="s", line=1, speaker="Ana", stance="supports",
                     indicator_id=i, strength="specific", dimension="technology") for i in ids]


def _cell(level: int) -> list[str]:
    return [i.id for i in TECH.cells[level - 1].indicators]


def test_a_full_level_vouches_for_a_lower_level_that_is_at_least_half_met() -> None:
    level2 = _cell(2)
    half = level2[: -(-len(level2) // 2)]  # ceil(n / 2): the share reaches FLOOR_SHARE
    assert len(half) / len(level2) >= FLOOR_SHARE
    result = score_dimension(PACK, TECH, _met(half + _cell(3)))
    assert result.level == 3
    assert result.missing == _cell(4)


def test_a_lower_level_mostly_unevidenced_does_not_hold_as_a_floor() -> None:
    level2 = _cell(2)
    too_few = level2[:1]
    assert len(too_few) / len(level2) < FLOOR_SHARE
    assert score_dimension(PACK, TECH, _met(too_few + _cell(3))).level == 1


def test_the_reached_level_itself_must_be_fully_met() -> None:
    partial_top = _cell(2) + _cell(3)[:-1]
    result = score_dimension(PACK, TECH, _met(partial_top))
    assert result.level == 2
    assert result.missing == [_cell(3)[-1]]


def test_every_floor_below_must_hold_not_only_the_next() -> None:
    # Levels 3 and 4 full, level 2 silent: level 4 cannot rest on a missing level 2.
    assert score_dimension(PACK, TECH, _met(_cell(3) + _cell(4))).level == 1
    # With level 2 half evidenced, both floors hold and level 4 stands.
    level2 = _cell(2)
    evidence = _met(level2[: -(-len(level2) // 2)] + _cell(3) + _cell(4))
    assert score_dimension(PACK, TECH, evidence).level == 4
