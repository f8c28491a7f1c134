""""Watch out" boxes quote only what is about the mistake they illustrate.

Through the real pipeline with scripted evidence (tests/test_decisions.py): a quote is
kept when it is evidence on the mistake's dimensions at a level close to the one the
finding names, and a warning sign said in passing flags the mistake without a quote.
"""

from __future__ import annotations

from agent.assessment.model import Assessment, MistakeFlag
from agent.reports.render import render
from tests.test_decisions import ENT, Said, indicators, run, statements, up_to


def _flag(a: Assessment, mistake_id: str) -> MistakeFlag:
    return next(m for m in a.mistakes if m.id == mistake_id)


def _levels(a: Assessment) -> dict[str, int]:
    return {s.id: s.level for d in a.dimensions for s in d.indicators}


def test_profile_quotes_show_the_strength_and_the_gap_not_the_first_sentence() -> None:
    gap = indicators(ENT, "governance", 2)[0]
    said = (statements("Ada", "VP Engineering", up_to(ENT, "technology", 3))
            + statements("Bo", "Head of Risk", indicators(ENT, "governance", 1))
            + [Said("Bo", "Head of Risk", "We have no review checklist before go-live.",
                    [gap], "contradicts")]
            + statements("Cy", "COO", up_to(ENT, "strategy", 3))
            + statements("Dee", "Head of Data", up_to(ENT, "data", 3)))
    a = run(ENT, said)
    assert a.levels()["technology"] == 3 and a.levels()["governance"] == 1
    flag = _flag(a, "mistake.premature-tooling")
    levels = _levels(a)
    ahead = [q for q in flag.quotes if q.dimension == "technology"]
    # Technology's strongest first statement is about laptops (level 1): not the strength.
    assert ahead and all(levels[q.indicator_id or ""] >= 2 for q in ahead)
    behind = [q for q in flag.quotes if q.dimension == "governance"]
    assert [q.quote for q in behind] == ["We have no review checklist before go-live."]


def test_a_distant_statement_on_the_lagging_dimension_is_not_quoted() -> None:
    # Governance is at level 1; its first statement is about a level-4 practice, too far
    # from level 1 to show where governance stands, so the level-1 one is quoted.
    far, near = indicators(ENT, "governance", 4)[0], indicators(ENT, "governance", 1)[0]
    said = (statements("Ada", "VP Engineering", up_to(ENT, "technology", 3))
            + statements("Bo", "Head of Risk", [far, near])
            + statements("Cy", "COO", up_to(ENT, "strategy", 3))
            + statements("Dee", "Head of Data", up_to(ENT, "data", 3)))
    a = run(ENT, said)
    assert a.levels()["governance"] == 1
    flag = _flag(a, "mistake.premature-tooling")
    behind = [q.indicator_id for q in flag.quotes if q.dimension == "governance"]
    assert behind == [near]


def test_a_warning_sign_said_in_passing_flags_without_an_unrelated_quote() -> None:
    aside = Said("Cy", "CFO", "The board asks me for the number of models every quarter.", [])
    said = [*statements("Ada", "CTO", up_to(ENT, "technology", 2)), aside]
    a = run(ENT, said)
    flag = _flag(a, "mistake.counting-models")
    assert "'number of models'" in flag.reason
    assert flag.quotes == []
    md = render(a, "md")
    assert "The board asks me" not in md[md.index("### Watch out"):]


def test_a_warning_sign_that_is_evidence_elsewhere_is_not_quoted() -> None:
    culture = indicators(ENT, "culture", 1)[0]
    elsewhere = Said("Bo", "Head of Product", "Each team does it differently and we like it.",
                     [culture])
    said = [*statements("Ada", "CTO", up_to(ENT, "technology", 2)), elsewhere]
    a = run(ENT, said)
    flag = _flag(a, "mistake.counting-models")  # dimensions: technology, governance
    assert flag.quotes == []


def test_a_warning_sign_that_is_evidence_on_the_mistake_is_quoted_with_its_indicator() -> None:
    target = indicators(ENT, "technology", 1)[0]
    said = [Said("Ada", "CTO", "Most of our models were deployed by hand last year.", [target])]
    a = run(ENT, said)
    flag = _flag(a, "mistake.counting-models")
    assert [q.quote for q in flag.quotes] == [said[0].text]
    assert flag.quotes[0].indicator_id == target and flag.quotes[0].dimension == "technology"
