"""The adaptive planner (agent.interview.planner) on rubric results built from evidence:
what it asks, of whom, when it stops, and the stop rule the person sees."""

from __future__ import annotations

import pytest

from agent.app import Services
from agent.assessment.model import Evidence
from agent.assessment.rubric import DimensionScore, score_dimension
from agent.interview.explain import standing_text
from agent.interview.followups import read_answer
from agent.interview.model import QuestionRecord
from agent.interview.planner import next_question, open_boundary, settled
from agent.knowledge.schema import FrameworkPack


@pytest.fixture
def pack(fake_services: Services) -> FrameworkPack:
    return fake_services.registry.get("enterprise-ai")


def _said(indicator: str, stance: str = "supports") -> Evidence:
    return Evidence(quote=f"fact about {indicator}", source="s", line=1, speaker="Ada",
                    stance=stance, indicator_id=indicator, strength="specific",  # type: ignore[arg-type]
                    dimension=indicator.split(".")[0])


def _scores(pack: FrameworkPack, *evidence: Evidence) -> dict[str, DimensionScore]:
    return {d.id: score_dimension(pack, d, list(evidence)) for d in pack.dimensions}


def _ids(pack: FrameworkPack, dim: str, level: int) -> list[str]:
    return [i.id for i in pack.dimension(dim).cells[level - 1].indicators]


def test_never_asks_about_an_indicator_already_evidenced_or_contradicted(
        pack: FrameworkPack) -> None:
    # Strategy: level 2 shown; one level-3 indicator evidenced, one contradicted by nobody.
    decided = [*_ids(pack, "strategy", 2), _ids(pack, "strategy", 3)[0]]
    scores = _scores(pack, *(_said(i) for i in decided))
    boundary = open_boundary(pack, pack.dimension("strategy"), scores["strategy"])
    assert boundary == _ids(pack, "strategy", 3)[1:]
    log: list[QuestionRecord] = []
    for _ in range(40):
        q = next_question(pack, scores, log, "Ada", "executive", [])
        if q is None:
            break
        if q["dimension"] == "strategy":
            assert q["indicator_id"] not in decided
        log.append({**q, "outcome": "answered", "by": "Ada"})


def test_a_settled_dimension_is_not_asked_about(pack: FrameworkPack) -> None:
    # Level 2 shown, and a level-3 indicator denied: the denial holds strategy at 2.
    held = [_said(i) for i in _ids(pack, "strategy", 2)]
    held.append(_said(_ids(pack, "strategy", 3)[0], "contradicts"))
    scores = _scores(pack, *held)
    strategy = pack.dimension("strategy")
    assert scores["strategy"].level == 2 and settled(pack, strategy, scores["strategy"])
    log: list[QuestionRecord] = []
    while (q := next_question(pack, scores, log, "Ada", "executive", [])) is not None:
        assert q["dimension"] != "strategy"
        log.append({**q, "outcome": "answered", "by": "Ada"})
    # Before the denial, strategy is open at its level-3 boundary.
    assert not settled(pack, strategy, _scores(pack, *held[:-1])["strategy"])


def test_the_question_goes_to_the_role_it_was_written_for(pack: FrameworkPack) -> None:
    scores = _scores(pack)
    for role in ("data", "risk", "engineering", "executive"):
        q = next_question(pack, scores, [], "P", role, [])
        assert q is not None and role in q["for_roles"], (role, q)


def test_the_budget_counts_every_question_put_to_the_person(pack: FrameworkPack) -> None:
    scores = _scores(pack)
    first = next_question(pack, scores, [], "Ada", "data", [], budget=2)
    assert first is not None
    log: list[QuestionRecord] = [{**first, "outcome": "answered", "by": "Ada"},
                                 {**first, "kind": "follow_up", "outcome": "answered",
                                  "by": "Ada"}]
    assert next_question(pack, scores, log, "Ada", "data", [], budget=2) is None
    assert next_question(pack, scores, log, "Ben", "data", [], budget=2) is not None


def test_after_i_dont_know_the_person_is_asked_about_something_else(
        pack: FrameworkPack) -> None:
    scores = _scores(pack)
    first = next_question(pack, scores, [], "Ada", "data", [])
    assert first is not None and read_answer("I don't know, not my area.").reason == "unknown"
    log: list[QuestionRecord] = [{**first, "outcome": "answered", "by": "Ada",
                                  "declined": True}]
    after = next_question(pack, scores, log, "Ada", "data", [])
    assert after is not None and after["dimension"] != first["dimension"]
    assert not read_answer("I don't know.").needs_follow_up


def test_three_i_dont_knows_on_a_dimension_end_its_questions_for_that_person(
        pack: FrameworkPack) -> None:
    scores = _scores(pack)
    first = next_question(pack, scores, [], "Ada", "data", [])
    assert first is not None
    dim = first["dimension"]
    others = [d.id for d in pack.dimensions if d.id != dim]
    bank = [q for d in pack.dimensions if d.id == dim for q in d.questions]
    assert len(bank) >= 3
    declined: list[QuestionRecord] = [
        {**first, "question_id": q.id, "outcome": "answered", "by": "Ada", "declined": True}
        for q in bank[:3]]
    # Twice: other dimensions first, but the dimension is still askable once they are done.
    assert next_question(pack, scores, declined[:2], "Ada", "data", others) is not None
    # Three times: not asked about it again, even with nothing else left to ask.
    assert next_question(pack, scores, declined, "Ada", "data", others) is None
    assert next_question(pack, scores, declined, "Ben", "data", others) is not None


def test_the_stop_rule_says_what_is_settled_and_what_is_left(pack: FrameworkPack) -> None:
    held = [_said(i) for i in _ids(pack, "strategy", 2)]
    held.append(_said(_ids(pack, "strategy", 3)[0], "contradicts"))
    held += [_said(i) for i in _ids(pack, "culture", 2)]
    scores = _scores(pack, *held)
    log: list[QuestionRecord] = [{"kind": "question", "dimension": "data", "by": "Ada",
                                  "question_id": "x", "outcome": "answered"}] * 6
    text = standing_text(pack, scores, log, "Ada", 20)
    assert "Strategy & Vision settled at 2" in text
    assert "Culture & Change still open at 2: " in text and "questions left" in text
    assert text.endswith("14 of 20 questions left for Ada.")
    spent = standing_text(pack, scores, log * 4, "Ada", 20)
    assert "still open at 2: 0 questions left" in spent and "0 of 20" in spent
