"""The roadmap never recommends what the evidence shows is already done.

The issue's two cases: a bank whose executives endorsed a written AI strategy was told to
"Write and socialise an AI strategy", and the head of a platform team was told to "Set up
a Center of Excellence or platform team". Both run through the real pipeline here with
scripted evidence (tests/test_decisions.py), so the checks and the rubric decide.
"""

from __future__ import annotations

from agent.assessment.model import Assessment
from agent.assessment.roadmap import IN_PLACE, step_indicators
from agent.knowledge.loader import builtin_packs
from tests.test_decisions import ENT, Said, indicators, run, statements, up_to

STRATEGY_STEP = "enterprise-ai:roadmap.l2-l3.strategy-document"
PLATFORM_STEP = "enterprise-ai:roadmap.l2-l3.platform-team"


def _chunks(a: Assessment) -> list[str]:
    return [r.chunk_id for r in a.roadmap]


def test_the_strategy_step_maps_to_the_strategy_document_indicator() -> None:
    transition = next(t for t in ENT.roadmap if t.from_level == 2)
    step = next(s for s in transition.steps if s.id.endswith("strategy-document"))
    assert step_indicators(ENT, transition, step) == ["strategy.l3.strategy-document"]
    platform = next(s for s in transition.steps if s.id.endswith("platform-team"))
    assert step_indicators(ENT, transition, platform) == ["technology.l3.platform-team"]


def test_a_bank_with_an_endorsed_strategy_is_not_told_to_write_one() -> None:
    endorsed = Said("Bo", "COO", "Our AI strategy document was signed off by the exec team "
                    "in March and the CEO is its executive sponsor.",
                    ["strategy.l3.strategy-document"])
    said = [*statements("Ada", "Chief Data Officer", up_to(ENT, "strategy", 2)), endorsed,
            *statements("Ada", "Chief Data Officer", up_to(ENT, "governance", 2))]
    a = run(ENT, said)
    strategy = a.dimension("strategy")
    assert strategy.level == 2  # the rest of level 3 is not shown: the roadmap has work
    assert {s.id: s.status for s in strategy.indicators}[
        "strategy.l3.strategy-document"] == "evidenced"
    assert STRATEGY_STEP not in _chunks(a)
    # What strategy still needs is named instead: the unmet level-3 indicators.
    actions = [r for r in a.roadmap if r.dimension == "strategy"]
    assert {r.chunk_id for r in actions} == {
        "enterprise-ai:strategy.l3.objective-mapping",
        "enterprise-ai:strategy.l3.multi-quarter-roadmap"}
    assert all("already in place (Write and socialise an AI strategy)" in r.why
               for r in actions)


def test_without_the_evidence_the_strategy_step_is_still_recommended() -> None:
    said = (statements("Ada", "Chief Data Officer", up_to(ENT, "strategy", 2))
            + statements("Ada", "Chief Data Officer", up_to(ENT, "governance", 2)))
    assert STRATEGY_STEP in _chunks(run(ENT, said))


def test_the_head_of_a_platform_team_is_not_told_to_set_one_up() -> None:
    team = Said("Ada", "Head of ML Platform", "I run the platform team: four engineers who "
                "own the shared Kubernetes infrastructure and the staging cluster.",
                ["technology.l3.platform-team"])
    said = [*statements("Ada", "Head of ML Platform", up_to(ENT, "technology", 2)), team,
            *statements("Bo", "Head of Talent", up_to(ENT, "talent", 2)),
            *statements("Cy", "Product Lead", up_to(ENT, "culture", 2))]
    a = run(ENT, said)
    assert a.dimension("technology").level == 2
    assert PLATFORM_STEP not in _chunks(a)
    # The other technology step of the transition still stands.
    assert "enterprise-ai:roadmap.l2-l3.standard-toolchain" in _chunks(a)


def test_an_inferred_practice_is_not_recommended_either() -> None:
    # Level-3 technology evidenced except experiment tracking at level 2, which is then
    # inferred: the level-1 step "Start tracking experiments" must not come back.
    ids = (indicators(ENT, "technology", 1) + indicators(ENT, "technology", 2)[1:]
           + indicators(ENT, "technology", 3))
    a = run(ENT, statements("Ada", "CTO", ids) + statements("Bo", "COO",
                                                             up_to(ENT, "strategy", 1)))
    statuses = {s.id: s.status for s in a.dimension("technology").indicators}
    assert statuses["technology.l2.experiment-tracking"] == "inferred"
    assert "enterprise-ai:roadmap.l1-l2.experiment-tracking" not in _chunks(a)


def test_no_item_of_the_example_roadmap_is_already_in_place(
        example_assessment: Assessment) -> None:
    a = example_assessment
    packs = {p.id: p for p in builtin_packs()}
    pack = packs[a.framework]
    statuses = {s.id: s.status for d in a.dimensions for s in d.indicators}
    steps = {f"{pack.id}:{s.id}": (t, s) for t in pack.roadmap for s in t.steps}
    assert a.roadmap
    for item in a.roadmap:
        if item.kind == "step":
            transition, step = steps[item.chunk_id]
            shown = step_indicators(pack, transition, step)
            assert not shown or not all(statuses.get(i) in IN_PLACE for i in shown), item
        else:
            assert statuses.get(item.chunk_id.split(":", 1)[1]) not in IN_PLACE, item
