"""The level rule for conversations (docs/level-rule.md): four indicator states, then levels."""

from __future__ import annotations

from agent.assessment.model import Evidence
from agent.assessment.rubric import ON_BALANCE, score_dimension
from agent.knowledge.loader import builtin_packs

PACK = next(p for p in builtin_packs() if p.id == "enterprise-ai")
TECH = PACK.dimension("technology")
MLOPS = next(p for p in builtin_packs() if p.id == "mlops-llmops")


def _said(ids: list[str], stance: str = "supports", strength: str = "specific",
          speaker: str = "Ana", role_category: str | None = "engineering",
          dimension: str = "technology") -> list[Evidence]:
    return [Evidence(quote=f"q {i}", source="s", line=1, speaker=speaker, stance=stance,
                     indicator_id=i, strength=strength, dimension=dimension,
                     role_category=role_category) for i in ids]


def _cell(level: int) -> list[str]:
    return [i.id for i in TECH.cells[level - 1].indicators]


def _states(result: object) -> dict[str, str]:
    return {s.id: s.status for s in result.statuses}  # type: ignore[attr-defined]


def test_silent_foundations_of_demonstrated_practice_are_inferred() -> None:
    result = score_dimension(PACK, TECH, _said(_cell(3)))
    assert result.level == 3
    states = _states(result)
    assert {states[i] for i in _cell(2)} == {"inferred"}
    assert {states[i] for i in _cell(3)} == {"evidenced"}
    assert {states[i] for i in _cell(4)} == {"not_discussed"}
    # Level-1 indicators describe a starting state, not a prerequisite: never inferred.
    assert {states[i] for i in _cell(1)} == {"not_discussed"}
    inferred = next(s for s in result.statuses if s.id == _cell(2)[0])
    assert inferred.inferred_from and all(i in _cell(3) for i in inferred.inferred_from)
    assert result.inferred_share > 0


def test_a_level_needs_its_indicators_on_balance() -> None:
    level3 = _cell(3)
    too_few = level3[: max(1, int(len(level3) * ON_BALANCE) - 1)]
    assert len(too_few) / len(level3) < ON_BALANCE
    result = score_dimension(PACK, TECH, _said(_cell(2) + too_few))
    assert result.level == 2
    assert set(result.missing) == set(level3) - set(too_few)
    # Not on balance, level 3 demonstrates nothing: level 2 is not inferred from it.
    alone = score_dimension(PACK, TECH, _said(too_few))
    assert alone.level == 1 and "inferred" not in set(_states(alone).values())


def test_a_first_hand_contradiction_holds_the_level_below_it() -> None:
    denied = _cell(2)[0]
    evidence = _said(_cell(3) + _cell(4)) + _said([denied], "contradicts", speaker="Bo")
    result = score_dimension(PACK, TECH, evidence)
    assert result.level == 1
    assert result.held_by == [denied]
    assert _states(result)[denied] == "contradicted"


def test_claims_never_raise_a_level_nor_infer_anything() -> None:
    claims = _said(_cell(4) + _cell(5), strength="claim")
    result = score_dimension(PACK, TECH, claims)
    assert result.level is None
    assert set(_states(result).values()) == {"not_discussed"}
    assert all(s.claims == 1 for s in result.statuses if s.level >= 4)
    with_fact = score_dimension(PACK, TECH, claims + _said(_cell(2)[:1]))
    assert with_fact.level == 1


def test_an_engineer_denial_outweighs_an_executive_assertion() -> None:
    target = _cell(3)[0]
    exec_says = _said([target], speaker="Cat", role_category="executive")
    eng_denies = _said([target], "contradicts", strength="general", speaker="Dev",
                       role_category="engineering")
    assert _states(score_dimension(PACK, TECH, exec_says + eng_denies))[target] == "contradicted"
    # Two specific accounts from the people who run it stand against one executive's denial.
    two_engineers = (_said([target], speaker="Dev") + _said([target], speaker="Eve"))
    exec_denies = _said([target], "contradicts", speaker="Cat", role_category="executive")
    assert _states(score_dimension(PACK, TECH, two_engineers + exec_denies))[target] == "evidenced"


def test_one_factual_statement_evidences_an_indicator_and_a_claim_none() -> None:
    one = score_dimension(PACK, TECH, _said(_cell(2), strength="general"))
    assert one.level == 2
    assert {_states(one)[i] for i in _cell(2)} == {"evidenced"}
    claimed = score_dimension(PACK, TECH, _said(_cell(2), strength="claim"))
    assert {_states(claimed)[i] for i in _cell(2)} == {"not_discussed"}
    assert claimed.level is None


def test_one_stray_credit_high_up_vouches_for_nothing_beneath_it() -> None:
    stray = score_dimension(PACK, TECH, _said(_cell(5)[:1]))
    assert stray.level == 1
    assert "inferred" not in set(_states(stray).values())


def test_to_verify_lists_the_next_levels_silence_and_the_inferred_foundations() -> None:
    result = score_dimension(PACK, TECH, _said(_cell(3)))
    items = {t.indicator_id: t for t in result.to_verify}
    assert set(_cell(4)) <= set(items)  # would support level 4; nobody spoke of it
    assert set(_cell(2)) <= set(items)  # inferred: confirm
    asked = [t for t in result.to_verify if t.question]
    assert asked, "the framework's own questions go with the items they probe"
    assert all("?" in t.question for t in asked)


def test_confidence_is_lower_when_the_level_rests_on_inference() -> None:
    inferred = score_dimension(PACK, TECH, _said(_cell(3)))
    shown = score_dimension(PACK, TECH, _said(_cell(2) + _cell(3)))
    assert inferred.level == shown.level == 3
    assert inferred.confidence < shown.confidence


def test_the_weaker_track_spoken_about_sets_a_tracked_level() -> None:
    track_of = {i: ind.track for i, (_, _, ind) in MLOPS.indicators().items()}
    dim = next(d for d in MLOPS.dimensions
               if any(track_of[i.id] for c in d.cells for i in c.indicators))
    untagged = [i.id for c in dim.cells[1:3] for i in c.indicators if not track_of[i.id]]
    tagged = {t.id: [i.id for c in dim.cells[1:3] for i in c.indicators if track_of[i.id] == t.id]
              for t in MLOPS.tracks}
    first, second = (t.id for t in MLOPS.tracks)
    both = _said(untagged + tagged[first], dimension=dim.id)
    alone = score_dimension(MLOPS, dim, both)
    # The second track was never spoken about: it does not drag the level down.
    assert alone.level is not None and alone.level >= 2
    assert tagged[second]
    target = tagged[second][0]
    denied = _said([target], "contradicts", speaker="Bo", dimension=dim.id)
    held = score_dimension(MLOPS, dim, both + denied)
    assert held.level is not None and held.level < int(target.split(".l")[1].split(".")[0])


def test_a_level_somebody_denied_in_part_vouches_for_nothing_beneath_it() -> None:
    # Level 4 shown on balance would infer levels 2 and 3; one first-hand denial there
    # holds level 4, and the foundations are judged on what was said of them alone.
    level4 = _cell(4)
    shown, denied = level4[:-1], level4[-1]
    assert len(shown) / len(level4) >= ON_BALANCE
    evidence = _said(shown) + _said([denied], "contradicts", speaker="Bo")
    result = score_dimension(PACK, TECH, evidence)
    assert "inferred" not in set(_states(result).values())
    assert result.level == 1
    assert _states(result)[denied] == "contradicted"
    # Without the denial the same support infers the foundations and reaches level 4.
    assert score_dimension(PACK, TECH, _said(shown)).level == 4


def test_one_sentence_alone_vouches_for_no_foundations() -> None:
    # Half of level 4 shown by one sentence (credited to two indicators) is one reading,
    # and a misread one would lift the dimension through inference: nothing is inferred.
    level4 = _cell(4)
    shown = level4[: max(2, -(-len(level4) // 2))]
    assert len(shown) >= 2 and len(shown) / len(level4) >= ON_BALANCE
    one = [e.model_copy(update={"quote": "one sentence"}) for e in _said(shown)]
    result = score_dimension(PACK, TECH, one)
    assert "inferred" not in set(_states(result).values())
    assert result.level == 1
    # Two sentences saying it demonstrate the level, and its foundations are inferred.
    assert score_dimension(PACK, TECH, _said(shown)).level == 4
