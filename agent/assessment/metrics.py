"""Read the pack's operational metrics from the transcript when someone states them.

A sentence reports a metric when it names it (a cue such as "deploy", "lead time",
"time to recover") and states a value the metric is measured in. The value is placed in
the pack's bands with thresholds written here, next to the bands they read; where the
pack has no band for the level reached, the reading says which bands it falls between
and cites the metric itself. Only stakeholders' statements count (not the facilitator's,
not questions), and the quote is the sentence as written, so it can be checked.

Readings are a cross-check, not a score: a metric two levels away from its dimension's
level gets a warning, as the mlops-llmops seed advises, and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.assessment.model import MetricReading, Warning_
from agent.assessment.quantities import Quantity, duration_hours, per_week, percentage
from agent.engines.sentences import Sentence, evidence_sentences
from agent.knowledge.schema import FrameworkPack, Metric
from agent.transcripts.model import Transcript

Reader = Callable[[str], Quantity | None]
#: (value below which, level) pairs, checked in order; the last level is the fallback.
Steps = tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class Rule:
    cue: re.Pattern[str]
    dimension: str
    unit: str = ""
    read: Reader | None = None
    steps: Steps = ()
    fallback: int = 1
    #: Statements without a number that still place the metric, strongest first.
    phrases: tuple[tuple[re.Pattern[str], int], ...] = ()
    #: Bands are cumulative capabilities (cost visibility): keep the highest reading,
    #: not the first, because "PMs read the dashboard" implies "engineers can work it out".
    cumulative: bool = False
    #: At most this many characters between the cue and the value, and the closest pair
    #: wins: "built nightly ... who deployed it" is not a deployment frequency.
    near: int | None = None


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


RULES: dict[str, Rule] = {
    "metric.deployment-frequency": Rule(
        cue=_re(r"\b(?:deploy\w*|releas\w*|ship\w*|roll(?:s|ed)? out|go(?:es)? (?:out|live)|"
                r"push(?:es|ed)? to prod\w*)\b"),
        dimension="deployment", unit="per week", read=per_week, near=20,
        # More than daily is on demand (band 4); several a week is band 3; about weekly
        # (every other week up to twice) is band 2; rarer than that is irregular (band 1).
        steps=((0.5, 1), (2.0, 2), (7.5, 3)), fallback=4,
        phrases=((_re(r"\bon demand\b|\bcontinuously\b|\bmany times a day\b"), 4),
                 (_re(r"when(?:ever)? (?:someone|somebody|we|they) (?:finds?|ha(?:s|ve)) (?:the )?"
                      r"time|\bad hoc\b|\birregular(?:ly)?\b"), 1))),
    "metric.lead-time-model-change": Rule(
        cue=_re(r"lead time|turnaround|time to production|\bfrom\b.{0,80}\bto\b.{0,40}"
                r"\bproduction\b|takes?\b.{0,40}\bto (?:get|reach|ship|deploy|release)"),
        dimension="deployment", unit="hours", read=duration_hours,
        # Hours (band 4); days sit between weeks and hours; weeks (band 2); beyond about
        # six weeks it is the week-or-more-of-manual-work band 1.
        steps=((24.0, 4), (168.0, 3), (1008.0, 2)), fallback=1),
    "metric.change-failure-rate": Rule(
        cue=_re(r"failure rate|(?:deploy\w*|releases?|changes?)\b.{0,30}\b(?:fail\w*|caus\w*|"
                r"go bad|went bad|broke|rolled back)|bad (?:releases|deploys)|regressions?"),
        dimension="evaluation", unit="%", read=percentage,
        # Below 10% (band 4); 10-25% (band 3, "around 15-25%"); worse is below band 3.
        steps=((10.0, 4), (25.5, 3)), fallback=2),
    "metric.mean-time-to-recovery": Rule(
        cue=_re(r"time to (?:recover|restore|repair|resolve)|\bmttr\b|\brecover\w*|"
                r"\brestor\w*|roll(?:ed)? back (?:with)?in|back (?:up|online) (?:with)?in"),
        dimension="observability", unit="hours", read=duration_hours,
        # Under an hour (band 4); one to two hours between; several hours (band 2);
        # days are below band 2.
        steps=((1.0, 4), (2.0, 3), (48.0, 2)), fallback=1),
    "metric.cost-per-ai-feature": Rule(
        cue=_re(r"\bcosts?\b|\bspend\b|invoice|finops"),
        dimension="observability", cumulative=True,
        phrases=(
            (_re(r"cost[- ]per[- ](?:ai[- ])?feature|(?:product managers?|\bPMs?\b).{0,60}"
                 r"\b(?:see|read|check|look at|use)\b|without (?:asking )?(?:engineering|an "
                 r"engineer)|dashboard.{0,40}(?:cost|spend) per"), 4),
            (_re(r"per[- ](?:request|call) cost|cost (?:telemetry|per (?:request|call))|"
                 r"(?:every|each) (?:llm )?(?:call|request)\b.{0,40}\bcost|(?:engineers?|we) can "
                 r"(?:work (?:it )?out|calculate|pull)"), 3),
            (_re(r"invoice|only (?:in|as an?) aggregate|per vendor|per platform|(?:can't|cannot|"
                 r"couldn't|no way to) (?:tell|say|answer|attribute|break)"), 2))),
    "metric.audit-evidence-response-time": Rule(
        cue=_re(r"regulator|auditor|\baudit\b|questionnaire|protection authority|supervisor|"
                r"examiner|compliance (?:request|documentation)|evidence (?:request|pack)"),
        dimension="governance", unit="hours", read=duration_hours,
        # Hours (band 5); days sit between weeks and hours; weeks of assembly (band 2).
        steps=((24.5, 5), (168.5, 3)), fallback=2,
        phrases=((_re(r"(?:doesn't|does not|don't|do not) (?:exist|have (?:it|that|any))|"
                      r"would have to (?:create|write|build)|from scratch"), 1),)),
}


def read_metrics(pack: FrameworkPack, transcripts: Sequence[Transcript]) -> list[MetricReading]:
    rules = [(m, RULES[m.id]) for m in pack.metrics if m.id in RULES]
    if not rules:
        return []
    sentences = evidence_sentences(list(transcripts))
    out = []
    for metric, rule in rules:
        found = [r for s in sentences if (r := _reading(pack, metric, rule, s))]
        if not found:
            continue
        if rule.cumulative:
            out.append(max(found, key=lambda r: r[1].level)[1])
        else:
            out.append(min(enumerate(found), key=lambda p: (p[1][0], p[0]))[1][1])
    return out


def _reading(pack: FrameworkPack, metric: Metric, rule: Rule,
             sentence: Sentence) -> tuple[int, MetricReading] | None:
    """A reading and how far its value stands from the cue that names the metric."""
    text = sentence.text
    cues = list(rule.cue.finditer(text))
    if not cues:
        return None
    quantity = rule.read(text) if rule.read else None
    distance = 0
    if quantity is not None:
        end = quantity.start + len(quantity.text)
        distance = min(max(c.start() - end, quantity.start - c.end(), 0) for c in cues)
        if rule.near is not None and distance > rule.near:
            quantity = None
    if quantity is not None:
        level, value, normalized = _place(quantity.value, rule), quantity.text, quantity.value
    else:
        hit = next(((m, lv) for p, lv in rule.phrases if (m := p.search(text))), None)
        if hit is None:
            return None
        level, value, normalized = hit[1], hit[0].group(0), None
    band, chunk = _band(pack, metric, level)
    u = sentence.utterance
    return distance, MetricReading(
        metric=metric.id, name=metric.name, value=value,
        normalized=None if normalized is None else round(normalized, 3),
        unit=rule.unit if normalized is not None else "", level=level, band=band,
        chunk_id=chunk, dimension=rule.dimension, quote=text, source=u.source, line=u.line,
        speaker=u.speaker)


def _place(value: float, rule: Rule) -> int:
    return next((level for bound, level in rule.steps if value < bound), rule.fallback)


def _band(pack: FrameworkPack, metric: Metric, level: int) -> tuple[str, str]:
    """The band's text and chunk, or where the level falls between the pack's bands."""
    bands = {b.level: b.text for b in metric.bands}
    if level in bands:
        return bands[level], f"{pack.id}:{metric.id}.l{level}"
    below = max((n for n in bands if n < level), default=None)
    above = min((n for n in bands if n > level), default=None)
    parts = []
    if below is not None:
        parts.append(f"above level {below} ({bands[below].rstrip('.')})")
    if above is not None:
        parts.append(f"below level {above} ({bands[above].rstrip('.')})")
    return " and ".join(parts), f"{pack.id}:{metric.id}"


def metric_warnings(readings: Sequence[MetricReading],
                    levels: dict[str, int | None]) -> list[Warning_]:
    out = []
    for r in readings:
        level = levels.get(r.dimension or "")
        if level is not None and abs(level - r.level) >= 2:
            out.append(Warning_(code="metric_mismatch", message=(
                f"{r.name} as stated ({r.value}) reads as level {r.level}, but {r.dimension} "
                f"scored level {level}; check the evidence behind {r.dimension}")))
    return out
