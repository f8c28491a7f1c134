"""The executive summary at the top of every report, written from the assessment alone.

Deterministic: the same assessment always gives the same sentences, and every figure in
them is a level, a confidence, a share or a count read off the assessment. The check
``unsupported_figures`` holds any text to that (for the day a model phrases the summary):
it lists the numbers in the text that the assessment does not contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.assessment.model import Assessment, DimensionResult

MAX_NAMED = 3  # dimensions named in one sentence before "and N more"
MAX_ASKS = 3  # questions shown under "verify next"


@dataclass(frozen=True)
class SummaryPoint:
    label: str
    text: str


def executive_summary(a: Assessment) -> list[SummaryPoint]:
    """Overall picture, strongest and weakest, confidence, inference, disagreement,
    what to verify next, and the caveats a reader must not miss."""
    points = [SummaryPoint("Overall", _overall(a))]
    scored = [d for d in a.dimensions if d.level is not None]
    if scored:
        points += _extremes(a, scored)
        points.append(SummaryPoint("Confidence", _confidence(scored)))
        points.append(SummaryPoint("Inference", _inference(scored)))
    if (reviewed := _reviewed(a)):
        points.append(SummaryPoint("Reviewed", reviewed))
    if a.disagreements:
        points.append(SummaryPoint("Disagreement", _disagreement(a)))
    if (verify := _verify(a)):
        points.append(SummaryPoint("Verify next", verify))
    if (caveats := _caveats(a)):
        points.append(SummaryPoint("Caveats", caveats))
    return [SummaryPoint(p.label, p.text[:1].upper() + p.text[1:]) for p in points]


def summary_text(a: Assessment) -> str:
    return "\n".join(f"{p.label}: {p.text}" for p in executive_summary(a))


def phrased_summary(a: Assessment) -> str | None:
    """The model's paragraph stored in the assessment, if it still holds: written for the
    levels the assessment has now (a review may have changed one) and passing the checks
    again. None: the reports use the rules' summary."""
    s = a.summary
    if s is None or s.phrased_by != "llm" or s.levels != a.levels():
        return None
    return None if phrasing_problems(s.text, a) else s.text


def _name(d: DimensionResult) -> str:
    return d.name or d.id


def _named(dims: list[DimensionResult]) -> str:
    names = [_name(d) for d in dims[:MAX_NAMED]]
    more = len(dims) - len(names)
    if more:
        return ", ".join(names) + f" and {more} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _level(d: DimensionResult) -> str:
    return f"level {d.level}" + (f" ({d.level_name})" if d.level_name else "")


def _overall(a: Assessment) -> str:
    people = sum(s.evidence_eligible for s in a.speakers)
    total, scored = len(a.dimensions), [d for d in a.dimensions if d.level is not None]
    basis = (f"{people} stakeholder(s), {len(a.sources)} source(s)" if a.sources
             else f"{people} stakeholder(s)")
    if not scored:
        return (f"Not enough evidence to score any of the {total} dimensions of "
                f"{a.framework_name or a.framework} ({basis}).")
    levels = sorted({d.level for d in scored if d.level is not None})
    if len(levels) == 1:
        where = f"all at {_level(scored[0])}"
    else:
        low = next(d for d in scored if d.level == levels[0])
        high = next(d for d in scored if d.level == levels[-1])
        where = f"from {_level(low)} to {_level(high)}"
    unscored = [d for d in a.dimensions if d.level is None]
    gap = f"; not enough evidence on {_named(unscored)}" if unscored else ""
    return f"{len(scored)} of {total} dimensions scored ({basis}), {where}{gap}."


def _extremes(a: Assessment, scored: list[DimensionResult]) -> list[SummaryPoint]:
    top = max(d.level or 0 for d in scored)
    low = min(d.level or 0 for d in scored)
    if top == low:
        return []
    best = sorted((d for d in scored if d.level == top), key=lambda d: -d.confidence)
    worst = sorted((d for d in scored if d.level == low), key=lambda d: -d.confidence)
    return [SummaryPoint("Strongest", f"{_named(best)} at {_level(best[0])}."),
            SummaryPoint("Weakest", f"{_named(worst)} at {_level(worst[0])}.")]


def _confidence(scored: list[DimensionResult]) -> str:
    ordered = sorted(scored, key=lambda d: d.confidence)
    low, high = ordered[0], ordered[-1]
    if low.confidence == high.confidence:
        return f"{low.confidence:.2f} on every scored dimension."
    return (f"from {low.confidence:.2f} ({_name(low)}) to {high.confidence:.2f} "
            f"({_name(high)}); the lower it is, the fewer and vaguer the statements behind "
            "the level.")


def _inference(scored: list[DimensionResult]) -> str:
    leaning = [d for d in scored if d.inferred_share > 0]
    if not leaning:
        return "every scored level rests on direct evidence; none on inference."
    detail = ", ".join(f"{_name(d)} {round(d.inferred_share * 100)}%" for d in leaning)
    return (f"{len(leaning)} of {len(scored)} scored levels rest partly on indicators inferred "
            f"from practice above them ({detail} of the level); confirm those before relying "
            "on them.")


def _reviewed(a: Assessment) -> str:
    """Levels a reviewer set, with the machine's proposal beside each."""
    parts = []
    for d in a.dimensions:
        if (o := d.override) is not None:
            proposed = "no level" if o.proposed is None else f"level {o.proposed}"
            parts.append(f"{_name(d)} at level {o.level} (the machine proposed {proposed})")
    if not parts:
        return ""
    return f"{len(parts)} level(s) set by a reviewer: {'; '.join(parts)}."


def _disagreement(a: Assessment) -> str:
    names = {d.id: _name(d) for d in a.dimensions}
    parts = []
    for dis in a.disagreements[:MAX_NAMED]:
        levels = ", ".join(f"{who} {lv}" for who, lv in dis.levels.items() if lv is not None)
        kind = "conflicting statements" if "conflict" in dis.kinds else "different levels"
        parts.append(f"{names.get(dis.dimension, dis.dimension)} ({kind}"
                     + (f": {levels})" if levels else ")"))
    return (f"stakeholders disagree on {len(a.disagreements)} dimension(s): "
            f"{'; '.join(parts)}. Settle these with documents before acting on the level.")


def _verify(a: Assessment) -> str:
    items = [(d, t) for d in sorted(a.dimensions, key=lambda d: d.level or 0)
             for t in d.to_verify]
    if not items:
        return ""
    asks: dict[str, str] = {}  # one question per dimension, the weakest dimensions first
    for d, t in items:
        asks.setdefault(_name(d), t.question or t.text)
    shown = " ".join(f"{name}: {ask}" for name, ask in list(asks.items())[:MAX_ASKS])
    return (f"{len(items)} indicator(s) to check with the client (see Documents to request), "
            f"starting with the weakest dimensions. {shown}")


def _caveats(a: Assessment) -> str:
    codes = {w.code for w in a.warnings}
    out = []
    if "single_perspective" in codes:
        out.append("fewer than two roles spoke, so the levels reflect a single perspective")
    if "prompt_injection" in codes:
        out.append("the input tried to instruct the assessor; those sentences were ignored")
    if "missing_roles" in codes and a.stakeholders and a.stakeholders.missing_roles:
        out.append(f"nobody from {', '.join(a.stakeholders.missing_roles)} spoke")
    return "; ".join(out) + "." if out else ""


# -- the check -----------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(%?)")
_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)


def assessment_figures(a: Assessment) -> set[str]:
    """Every figure a summary may state, each read off (or counted in) the assessment."""
    ints: set[int] = {len(a.dimensions), len(a.sources), len(a.disagreements), len(a.roadmap),
                      len(a.warnings), a.stats.evidence, a.stats.claims,
                      sum(s.evidence_eligible for s in a.speakers), len(a.speakers)}
    scored = [d for d in a.dimensions if d.level is not None]
    ints |= {len(scored), len(a.dimensions) - len(scored),
             sum(d.inferred_share > 0 for d in scored),
             sum(len(d.to_verify) for d in a.dimensions),
             sum(d.override is not None for d in a.dimensions)}
    decimals: set[str] = set()
    for d in a.dimensions:
        ints |= {len(d.evidence), len(d.to_verify),
                 sum(s.status == "inferred" for s in d.indicators)}
        ints |= {t.level for t in d.to_verify}
        if d.level is not None:
            ints.add(d.level)
        if d.override is not None and d.override.proposed is not None:
            ints.add(d.override.proposed)
        ints.add(round(d.inferred_share * 100))
        decimals |= {f"{d.confidence:.2f}", f"{d.inferred_share:.2f}"}
    for dis in a.disagreements:
        ints |= {v for v in dis.levels.values() if v is not None} | {len(dis.levels),
                                                                      dis.respondents}
        if dis.std_dev is not None:
            decimals.add(f"{dis.std_dev:.2f}")
    return {str(n) for n in ints} | decimals


#: "level 4", "levels 2 and 3": a number right after the word must be a level, not a count.
_LEVEL_BEFORE = re.compile(r"\blevels?\s+(?:\d+\s*(?:,|and|to|-|–)\s*)*$", re.I)


def _levels(a: Assessment) -> set[str]:
    levels = {d.level for d in a.dimensions} | {t.level for d in a.dimensions
                                                for t in d.to_verify}
    levels |= {v for dis in a.disagreements for v in dis.levels.values()}
    levels |= {d.override.proposed for d in a.dimensions if d.override is not None}
    return {str(v) for v in levels if v is not None}


def _names(a: Assessment) -> list[str]:
    """Text a summary may repeat verbatim, whose digits are not figures (longest first)."""
    names = {a.framework, a.framework_name, *(s.name for s in a.speakers)}
    names |= {s.role or "" for s in a.speakers} | {s.source for s in a.sources}
    for d in a.dimensions:
        names |= {d.id, d.name, d.level_name or ""}
        names |= {s.id for s in d.indicators}
        names |= {t.question for t in d.to_verify} | {t.text for t in d.to_verify}
    return sorted((n for n in names if n), key=len, reverse=True)


def unsupported_figures(text: str, a: Assessment) -> list[str]:
    """The numbers in ``text`` (digits or number words) that the assessment does not hold.

    Names, indicator ids and the framework's own questions are set aside first: a digit
    inside "ISO 42001" in a quoted question is the framework's, not a claim about the
    client. A decimal is compared at two places; a percentage as a whole number.
    """
    for name in _names(a):
        text = text.replace(name, " ")
    allowed, levels = assessment_figures(a), _levels(a)
    found = []
    for match in _NUMBER.finditer(text):
        value, percent = match.groups()
        figure = (str(round(float(value))) if percent
                  else f"{float(value):.2f}" if "." in value else str(int(value)))
        after_level = _LEVEL_BEFORE.search(text, 0, match.start()) is not None
        if figure not in (levels if after_level else allowed):
            found.append(match.group(0))
    found += [w.group(0) for w in _WORD.finditer(text) if str(_WORDS[w.group(0).lower()])
              not in allowed]
    return found


# -- levels stated in a phrased text -------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
#: "level 4": a single level (a range, "levels 2 and 3", is left to unsupported_figures).
_ONE_LEVEL = re.compile(r"\blevel\s+(\d+)\b", re.I)
#: What may stand between two dimension names that share one level ("Data and Talent").
_CHAIN = re.compile(r"^[\s,]*(?:(?:and|&|as well as|both)\s*)?[\s,]*$", re.I)


def _mentions(sentence: str, a: Assessment) -> list[tuple[int, int, DimensionResult]]:
    """Where each dimension is named in a sentence: (start, end, dimension), in order.

    Its full name and its id (as words) in any case; the first word of its name
    ("Strategy" of "Strategy & Vision") only capitalised, since "data" or "culture" in
    lower case is often ordinary prose.
    """
    found: list[tuple[int, int, DimensionResult]] = []
    for d in a.dimensions:
        names: list[tuple[str, re.RegexFlag]] = [(d.name, re.I), (d.id.replace("-", " "), re.I),
                                                 (d.id, re.I)]
        first = re.split(r"[\s,&]+", d.name or "")[0]
        if len(first) >= 4:
            names.append((first, re.NOFLAG))
        for name, flags in names:
            if name:
                found += [(m.start(), m.end(), d) for m in
                          re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence, flags)]
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, DimensionResult]] = []
    for start, end, d in found:  # the longest name at a place wins ("Data & Infrastructure")
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, d))
    return kept


def _subjects(mentions: list[tuple[int, int, DimensionResult]], sentence: str,
              at: int) -> list[DimensionResult]:
    """The dimensions a level at ``at`` is said of: the nearest name before it with any
    names chained to that one by "and" or commas; else the first name after it."""
    before = [m for m in mentions if m[1] <= at]
    if not before:
        after = [m for m in mentions if m[0] >= at]
        return [after[0][2]] if after else []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        if not _CHAIN.match(sentence[m[1]:group[-1][0]]):
            break
        group.append(m)
    return [m[2] for m in group]


def _allowed_levels(d: DimensionResult, a: Assessment, sentence: str) -> set[int]:
    """The levels a sentence may state for ``d``: its level, a reviewer's proposal, and
    the levels of the people the sentence names."""
    allowed = {d.level} | ({d.override.proposed} if d.override is not None else set())
    people = dict(d.speakers)
    for dis in a.disagreements:
        if dis.dimension == d.id:
            people.update(dis.levels)
    allowed |= {lv for who, lv in people.items() if who and who in sentence}
    return {lv for lv in allowed if lv is not None}


def misstated_levels(text: str, a: Assessment) -> list[str]:
    """Places where ``text`` gives a dimension a level the assessment does not: "Data at
    level 4" when Data is at 3, or Data called "Managed" when its level is "Strategic".

    A level is read as said of the dimension named nearest before it in the same sentence
    (or, with none before, the first after it). Each problem reads "Dimension: level 4".
    """
    level_names = {d.level_name for d in a.dimensions if d.level_name}
    problems: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        mentions = _mentions(sentence, a)
        if not mentions:
            continue
        for match in _ONE_LEVEL.finditer(sentence):
            stated = int(match.group(1))
            for d in _subjects(mentions, sentence, match.start()):
                if stated not in _allowed_levels(d, a, sentence):
                    problems.append(f"{_name(d)}: level {stated}")
        for name in level_names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", sentence):
                for d in _subjects(mentions, sentence, match.start()):
                    if name != d.level_name and d.override is None:
                        problems.append(f"{_name(d)}: {name}")
    return problems


def phrasing_problems(text: str, a: Assessment) -> list[str]:
    """Why a phrased summary may not stand in for the rules' one (empty: it may)."""
    problems = [f"figure {f!r} is not in the assessment" for f in unsupported_figures(text, a)]
    problems += [f"level stated differently ({p})" for p in misstated_levels(text, a)]
    return problems
