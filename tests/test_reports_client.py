"""The client-facing parts of every report: the executive summary (deterministic, every
figure in the assessment) and the documents to request (every indicator to verify)."""

from __future__ import annotations

import re

from agent.assessment.model import Assessment
from agent.reports.client_sections import document_requests
from agent.reports.render import render
from agent.reports.summary import executive_summary, summary_text, unsupported_figures
from tests.test_decisions import ENT, Said, indicators, run, statements, up_to


def _profiled() -> Assessment:
    """Strategy evidenced to 3 by two people, data disputed, technology at 3 with one of
    its level-2 indicators only inferred, culture at 1, the rest silent."""
    said = (statements("Ada", "CTO", up_to(ENT, "strategy", 3))
            + statements("Bo", "COO", up_to(ENT, "culture", 1))
            + statements("Bo", "COO", up_to(ENT, "strategy", 3))
            + statements("Ada", "CTO", up_to(ENT, "data", 3))
            + statements("Cy", "Head of Data", up_to(ENT, "data", 1))
            + statements("Dee", "Product Lead", up_to(ENT, "data", 1))
            + statements("Ada", "CTO", indicators(ENT, "technology", 1)
                         + indicators(ENT, "technology", 2)[1:]
                         + indicators(ENT, "technology", 3)))
    return run(ENT, said)


def test_summary_is_deterministic_and_names_the_extremes_and_disagreement() -> None:
    a = _profiled()
    assert summary_text(a) == summary_text(a.model_copy(deep=True))
    points = {p.label: p.text for p in executive_summary(a)}
    levels = a.levels()
    top = max(v for v in levels.values() if v is not None)
    strongest = [d.name for d in a.dimensions if d.level == top]
    assert any(name in points["Strongest"] for name in strongest)
    assert f"level {top}" in points["Strongest"]
    weakest = [d for d in a.dimensions if d.level is not None
               and d.level == min(v for v in levels.values() if v is not None)]
    assert weakest[0].name in points["Weakest"]
    assert "Governance & Ethics" in points["Overall"]  # nothing said: not scored, named
    assert "Data & Infrastructure" in points["Disagreement"]
    assert "Verify next" in points and str(sum(len(d.to_verify) for d in a.dimensions)) in \
        points["Verify next"]
    for d in a.dimensions:
        if d.level is not None and d.inferred_share > 0:
            assert f"{round(d.inferred_share * 100)}%" in points["Inference"]


def test_every_figure_in_the_summary_is_in_the_assessment(
        example_assessment: Assessment) -> None:
    for a in (example_assessment, _profiled()):
        text = summary_text(a)
        assert re.search(r"\d", text)
        assert unsupported_figures(text, a) == []


def test_the_figure_check_catches_numbers_the_assessment_does_not_hold() -> None:
    a = _profiled()
    scored = [d.level for d in a.dimensions if d.level is not None]
    absent_level = next(n for n in range(1, 6) if n not in scored
                        and n not in {t.level for d in a.dimensions for t in d.to_verify})
    text = (f"Strategy reached level {absent_level} with confidence 0.99; "
            "seventeen of 137 indicators are 83% inferred.")
    assert unsupported_figures(text, a) == [str(absent_level), "0.99", "137", "83%",
                                            "seventeen"]
    # A count that exists is no level: "level N" must name a level the assessment holds.
    count = str(len(a.dimensions))
    assert count not in {str(d.level) for d in a.dimensions}
    assert unsupported_figures(f"{count} dimensions", a) == []
    assert unsupported_figures(f"level {count}", a) == [count]
    # Digits inside names and the framework's own questions are not figures.
    asked = [t.question for d in a.dimensions for t in d.to_verify if re.search(r"\d", t.question)]
    names = " ".join([*(d.name for d in a.dimensions), *asked])
    assert unsupported_figures(names, a) == []


def test_a_reviewers_level_is_stated_with_the_machines_proposal() -> None:
    from agent.assessment.model import Override

    a = _profiled()
    dims = [d.model_copy(update={"level": 2, "override": Override(
        level=2, reason="the catalogue covers one team only", by="Rita", proposed=d.level)})
        if d.id == "data" else d for d in a.dimensions]
    a = a.model_copy(update={"dimensions": dims})
    points = {p.label: p.text for p in executive_summary(a)}
    assert points["Reviewed"] == ("1 level(s) set by a reviewer: Data & Infrastructure at "
                                  "level 2 (the machine proposed level 3).")
    assert unsupported_figures(summary_text(a), a) == []


def test_every_report_opens_with_the_summary(example_assessment: Assessment) -> None:
    md = render(example_assessment, "md")
    assert md.index("## Executive summary") < md.index("## Scorecard")
    first = executive_summary(example_assessment)[0]
    assert f"**{first.label}.** {first.text}" in md
    html = render(example_assessment, "html")
    assert html.index('id="summary"') < html.index("<h2>Profile</h2>")


def test_documents_to_request_list_every_indicator_to_verify(
        example_assessment: Assessment) -> None:
    a = example_assessment
    expected = [t.indicator_id for d in a.dimensions for t in d.to_verify]
    assert expected  # the example leaves things to verify
    listed = [t.indicator_id for _, t in document_requests(a)]
    assert sorted(listed) == sorted(expected)
    md = render(a, "md")
    html = render(a, "html")
    section = md[md.index("## Documents to request"):]
    for d in a.dimensions:
        for t in d.to_verify:
            assert f"`{t.indicator_id}`" in section
            if t.question:
                assert t.question in section
            assert t.indicator_id in html
    assert 'id="requests"' in html


def test_inferred_indicators_are_requested_too() -> None:
    a = _profiled()
    inferred = [s.id for d in a.dimensions for s in d.indicators
                if s.status == "inferred" and d.level is not None and s.level <= d.level]
    assert inferred, "the profile should rest partly on inference"
    listed = {t.indicator_id: t for _, t in document_requests(a)}
    for ind in inferred:
        assert ind in listed and "inferred" in listed[ind].why


def test_no_section_when_nothing_is_left_to_verify() -> None:
    said = [Said("Ada", "CTO", "Nothing else was said.", [])]
    a = run(ENT, said)
    a = a.model_copy(update={"dimensions": [d.model_copy(update={"to_verify": []})
                                            for d in a.dimensions]})
    assert document_requests(a) == []
    assert "Documents to request" not in render(a, "md")
    assert 'id="requests"' not in render(a, "html")
