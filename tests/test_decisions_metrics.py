"""Reading the six operational metrics from what stakeholders say, placed in the bands."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.assessment.checks import quote_in
from agent.assessment.metrics import metric_warnings, read_metrics
from agent.assessment.quantities import duration_hours, number, per_week, percentage
from agent.knowledge.chunks import pack_chunks
from agent.knowledge.loader import builtin_packs
from agent.transcripts import parse_text, read_transcripts

ROOT = Path(__file__).resolve().parents[1]
MLOPS = next(p for p in builtin_packs() if p.id == "mlops-llmops")
CHUNKS = {c.id for c in pack_chunks(MLOPS)}


def readings(text: str) -> dict[str, tuple[str, int]]:
    found = read_metrics(MLOPS, [parse_text(text, "m.txt")])
    return {r.metric.removeprefix("metric."): (r.value, r.level) for r in found}


@pytest.mark.parametrize(("words", "value"), [
    ("forty", 40), ("twenty-two", 22), ("2.5", 2.5), ("a couple of", 2), ("six hundred", 600),
])
def test_numbers_in_words(words: str, value: float) -> None:
    assert number(words) == value


def test_quantities_keep_the_phrase_as_said() -> None:
    assert per_week("we ship about forty model and prompt deploys a week").value == 40
    assert per_week("Releases go out every Tuesday.").value == 1
    assert per_week("a new version every couple of months").value == pytest.approx(6 / 52)  # six a year
    assert duration_hours("it took us two working days").value == 48
    assert duration_hours("median twenty-two minutes").text == "twenty-two minutes"
    assert percentage("about one in ten deploys").value == 10
    assert per_week("nothing about frequency here") is None


def test_the_six_metrics_of_the_adtech_case_are_read_and_placed() -> None:
    # The case description: 40 deploys/week, 3h lead time, 6% CFR, 22-min MTTR,
    # per-feature cost seen by product, 2-day audit response.
    transcripts = read_transcripts([ROOT / "evals" / "transcripts" / "mlops-01-adtech.txt"])
    found = {r.metric: r for r in read_metrics(MLOPS, transcripts)}
    assert {k: (r.value, r.level) for k, r in found.items()} == {
        "metric.deployment-frequency": ("forty model and prompt deploys a week", 4),
        "metric.lead-time-model-change": ("three hours", 4),
        "metric.change-failure-rate": ("six percent", 4),
        "metric.mean-time-to-recovery": ("twenty-two minutes", 4),
        "metric.cost-per-ai-feature": ("cost-per-feature", 4),
        "metric.audit-evidence-response-time": ("two working days", 3),
    }
    where = {(u.source, u.line): u.text for t in transcripts for u in t.utterances}
    for r in found.values():
        assert quote_in(r.quote, where[(r.source, r.line)]) and r.speaker
        assert r.chunk_id in CHUNKS
    # Two days has no band of its own: it says which bands it falls between.
    audit = found["metric.audit-evidence-response-time"]
    assert audit.chunk_id == "mlops-llmops:metric.audit-evidence-response-time"
    assert "above level 2" in audit.band and "below level 5" in audit.band


def test_slow_and_irregular_teams_read_low() -> None:
    text = ("Iris (Head of ML): Releases go out every Tuesday, after the change board.\n"
            "Iris (Head of ML): Lead time from a decision to production is about three weeks.\n"
            "Iris (Head of ML): Roughly thirty percent of deploys caused a regression.\n"
            "Jon (SRE): When a model breaks, time to recover is usually two days.\n"
            "Jon (SRE): AI spend is only known from the vendor invoice.\n"
            "Kai (Compliance Officer): The regulator's last request took us five weeks.\n")
    assert readings(text) == {
        "deployment-frequency": ("every Tuesday", 2),
        "lead-time-model-change": ("three weeks", 2),
        "change-failure-rate": ("thirty percent", 2),
        "mean-time-to-recovery": ("two days", 1),
        "cost-per-ai-feature": ("invoice", 2),
        "audit-evidence-response-time": ("five weeks", 2),
    }


def test_questions_facilitators_and_unrelated_frequencies_are_not_metrics() -> None:
    text = ("Mo (Facilitator): Do you deploy twice a week or daily?\n"
            "Iris (Head of ML): How often do we deploy, twice a week?\n"
            "Iris (Head of ML): A page built nightly lists every model and who deployed it.\n"
            "Iris (Head of ML): We retrain the churn model monthly.\n")
    assert readings(text) == {}


def test_a_metric_far_from_its_dimension_level_is_a_warning() -> None:
    found = read_metrics(MLOPS, [parse_text("Iris (Head of ML): We deploy on demand, many "
                                            "times a day, behind the gates.\n", "m.txt")])
    assert [(r.metric, r.level) for r in found] == [("metric.deployment-frequency", 4)]
    warnings = metric_warnings(found, {"deployment": 1})
    assert [w.code for w in warnings] == ["metric_mismatch"]
    assert metric_warnings(found, {"deployment": 3}) == []
