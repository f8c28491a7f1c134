"""Flag the pack's common mistakes when the evidence shows them.

Two kinds of evidence count. The *profile*: a few mistakes are visible in the levels
themselves (technology two levels above the data it should serve is tooling ahead of
maturity); the rules for those are below, keyed by pack and mistake id, and each names
the dimensions it compares. And the pack's *warning signs*: a stakeholder saying one of
a mistake's signal phrases ("deployed by hand", "we'll deal with governance later").
Every flag cites the mistake's chunk and carries the quotes behind it.

A quote is shown only when it is evidence about what the mistake concerns: for the
profile, a statement credited to an indicator of the dimension ahead or behind at a level
close to the one the finding names (the strength at its level, the gap at the next); for
a warning sign, the sentence must also be evidence on one of the mistake's dimensions
near that dimension's level. Otherwise the box says why it is flagged and quotes nothing,
rather than quote a sentence that merely shares a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.assessment.model import DimensionResult, Evidence, MistakeFlag, TrackView
from agent.engines.sentences import Sentence, evidence_sentences
from agent.knowledge.schema import FrameworkPack, Mistake
from agent.transcripts.model import Transcript

Levels = dict[str, int | None]
#: How far an indicator's level may be from the level a finding names and still be
#: "about" it: the level itself or a neighbour (the gap sits one above a level).
CLOSE = 1


@dataclass(frozen=True)
class Finding:
    reason: str
    ahead: tuple[str, ...] = ()  # dimensions whose evidence shows the strength
    behind: tuple[str, ...] = ()  # dimensions whose evidence shows the gap


def _known(levels: Levels, *dims: str) -> dict[str, int]:
    return {d: v for d in dims if (v := levels.get(d)) is not None}


def _ahead_of(levels: Levels, names: dict[str, str], lead: str, others: Sequence[str],
              by: int, what: str) -> Finding | None:
    known = _known(levels, lead, *others)
    if lead not in known:
        return None
    behind = tuple(d for d in others if d in known and known[lead] - known[d] >= by)
    if not behind:
        return None
    lagging = ", ".join(f"{names[d]} at {known[d]}" for d in behind)
    return Finding(f"{names[lead]} is at level {known[lead]} while {lagging}: {what}",
                   (lead,), behind)


def _premature_tooling(levels: Levels, names: dict[str, str], _: TrackView | None
                       ) -> Finding | None:
    if (levels.get("technology") or 0) < 3:
        return None
    return _ahead_of(levels, names, "technology", ("data", "governance", "strategy"), 2,
                     "tooling is ahead of what it has to automate")


def _technology_only(levels: Levels, names: dict[str, str], _: TrackView | None
                     ) -> Finding | None:
    return _ahead_of(levels, names, "technology", ("governance", "strategy"), 1,
                     "tools are ahead of strategy and governance")


def _governance_deferred(levels: Levels, names: dict[str, str], _: TrackView | None
                         ) -> Finding | None:
    known = _known(levels, *names)
    if "governance" not in known:
        return None
    top = max(known, key=lambda d: known[d])
    if known[top] - known["governance"] < 2:
        return None
    return Finding(f"{names['governance']} is at level {known['governance']} while "
                   f"{names[top]} reached {known[top]}: governance is being left for later",
                   (top,), ("governance",))


def _skipping_foundations(levels: Levels, names: dict[str, str], _: TrackView | None
                          ) -> Finding | None:
    for lead in ("deployment", "observability"):
        found = _ahead_of(levels, names, lead, ("reproducibility", "evaluation"), 2,
                          "one axis has run ahead of its foundations")
        if found:
            return found
    return None


def _llm_ops_lagging(levels: Levels, names: dict[str, str], tracks: TrackView | None
                     ) -> Finding | None:
    if tracks is None or len(tracks.tracks) < 2 or not all(t.evidenced for t in tracks.tracks):
        return None
    by_id = {t.id: t for t in tracks.tracks}
    classical, llm = by_id.get("classical"), by_id.get("llm")
    if classical is None or llm is None:
        return None
    behind = [d for d in ("evaluation", "observability", "governance")
              if (c := classical.levels.get(d)) is not None
              and (v := llm.levels.get(d)) is not None and v < c]
    if not behind:
        return None
    detail = ", ".join(f"{names[d]} {llm.levels[d]} vs {classical.levels[d]}" for d in behind)
    return Finding(f"the LLM track lags classical ML on {detail}", tuple(behind), tuple(behind))


Rule = Callable[[Levels, dict[str, str], TrackView | None], Finding | None]
PROFILE_RULES: dict[tuple[str, str], Rule] = {
    ("enterprise-ai", "mistake.premature-tooling"): _premature_tooling,
    ("enterprise-ai", "mistake.technology-only"): _technology_only,
    ("enterprise-ai", "mistake.governance-deferred"): _governance_deferred,
    ("mlops-llmops", "mistake.skipping-foundations"): _skipping_foundations,
    ("mlops-llmops", "mistake.llm-ops-lagging"): _llm_ops_lagging,
}


def flag_mistakes(pack: FrameworkPack, dimensions: Sequence[DimensionResult],
                  transcripts: Sequence[Transcript],
                  tracks: TrackView | None = None) -> list[MistakeFlag]:
    levels = {d.id: d.level for d in dimensions}
    names = {d.id: d.name or d.id for d in dimensions}
    by_id = {d.id: d for d in dimensions}
    signals = _signal_quotes(pack, transcripts)
    levels_of = {s.id: s.level for d in dimensions for s in d.indicators}
    out = []
    for mistake in pack.mistakes:
        rule = PROFILE_RULES.get((pack.id, mistake.id))
        finding = rule(levels, names, tracks) if rule else None
        said = signals.get(mistake.id, [])
        if finding is None and not said:
            continue
        reasons = [finding.reason] if finding else []
        quotes = _profile_quotes(by_id, finding, levels_of) if finding else []
        if said:
            phrases = ", ".join(sorted({f"'{signal}'" for signal, _ in said}))
            reasons.append(f"a stakeholder named a warning sign ({phrases}, "
                           f"{len(said)} time(s))")
            quotes += _about_the_mistake(mistake, [e for _, e in said], by_id, levels_of)[:2]
        out.append(MistakeFlag(id=mistake.id, chunk_id=f"{pack.id}:{mistake.id}",
                               title=mistake.title, text=" ".join(mistake.text.split()),
                               dimensions=list(mistake.dimensions), reason="; ".join(reasons),
                               quotes=quotes))
    return out


def _near(e: Evidence, level: int, levels_of: dict[str, int]) -> bool:
    at = levels_of.get(e.indicator_id or "")
    return at is not None and abs(at - level) <= CLOSE


def _profile_quotes(dims: dict[str, DimensionResult], finding: Finding,
                    levels_of: dict[str, int]) -> list[Evidence]:
    """The statement that shows the strength at its level, and the stated absence (or
    else the statement) that shows the gap at the level behind; none that is not close."""
    out: list[Evidence] = []
    for dim_id in finding.ahead:
        level = dims[dim_id].level or 1
        facts = [e for e in dims[dim_id].evidence if e.strength != "claim"
                 and e.stance == "supports" and _near(e, level, levels_of)]
        facts.sort(key=lambda e: abs(levels_of[e.indicator_id or ""] - level))
        out += facts[:1]
    for dim_id in finding.behind:
        level = dims[dim_id].level or 1
        facts = [e for e in dims[dim_id].evidence if e.strength != "claim"]
        denials = [e for e in facts if e.stance == "contradicts"
                   and _near(e, level + 1, levels_of)]
        standing = [e for e in facts if e.stance == "supports" and _near(e, level, levels_of)]
        out += (denials or standing)[:1]
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for q in out:  # one statement can be evidence on two dimensions: show it once
        if (key := (q.source, q.line, q.quote)) not in seen:
            seen.add(key)
            unique.append(q)
    return unique


def _about_the_mistake(mistake: Mistake, said: list[Evidence],
                       dims: dict[str, DimensionResult],
                       levels_of: dict[str, int]) -> list[Evidence]:
    """The warning-sign sentences that are also evidence on the mistake's dimensions, near
    the dimension's level: shown with the indicator they bear on."""
    out = []
    for quote in said:
        for dim_id in mistake.dimensions:
            if dim_id not in dims:
                continue
            level = dims[dim_id].level or 1
            match = next((e for e in dims[dim_id].evidence
                          if e.source == quote.source and e.line == quote.line
                          and (e.quote in quote.quote or quote.quote in e.quote)
                          and _near(e, level, levels_of)), None)
            if match is not None:
                out.append(quote.model_copy(update={"indicator_id": match.indicator_id,
                                                    "dimension": dim_id}))
                break
    return out


def _signal_quotes(pack: FrameworkPack, transcripts: Sequence[Transcript]
                   ) -> dict[str, list[tuple[str, Evidence]]]:
    """Per mistake, every sentence that says one of its signal phrases (and which one)."""
    patterns = [(m, re.compile(r"\b" + r"\s+".join(map(re.escape, s.split())) + r"\b", re.I), s)
                for m in pack.mistakes for s in m.signals]
    if not patterns:
        return {}
    found: dict[str, list[tuple[str, Evidence]]] = {}
    for sentence in evidence_sentences(list(transcripts)):
        for mistake, pattern, signal in patterns:
            if pattern.search(sentence.text):
                found.setdefault(mistake.id, []).append(
                    (signal, _signal_evidence(mistake, sentence, signal)))
    return found


def _signal_evidence(mistake: Mistake, sentence: Sentence, signal: str) -> Evidence:
    u = sentence.utterance
    return Evidence(quote=sentence.text, source=u.source, line=u.line, speaker=u.speaker,
                    stance="supports", indicator_id=None, role=u.role,
                    dimension=mistake.dimensions[0] if mistake.dimensions else None,
                    reason=f"warning sign of '{mistake.title}': '{signal}'")
