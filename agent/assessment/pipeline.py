"""One pipeline behind every way in: utterances -> evidence -> checks -> rubric -> assessment."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from agent.assessment.checks import check_evidence
from agent.assessment.citations import citations_for, missing_texts
from agent.assessment.ledger import Ledger, dedupe
from agent.assessment.model import (
    Assessment,
    DimensionResult,
    Evidence,
    SourceInfo,
    Speaker,
    Stats,
    Warning_,
)
from agent.assessment.roadmap import build_roadmap
from agent.assessment.rubric import DimensionScore
from agent.assessment.stakeholders import find_disagreements
from agent.assessment.views import add_views
from agent.engines.base import EvidenceEngine
from agent.engines.sentences import is_facilitator
from agent.knowledge.schema import Dimension, FrameworkPack
from agent.progress import Progress, metering
from agent.transcripts.model import Transcript


def assess(transcripts: Sequence[Transcript], pack: FrameworkPack, engine: EvidenceEngine,
           now: datetime, prompt_version: str | None = None,
           industry: str | None = None, phrase_summary: bool = False,
           progress: Progress | None = None) -> Assessment:
    """Score ``transcripts``. ``phrase_summary``: with an engine that reads through a chat
    model, have the model phrase the executive summary once scoring is done (checked by
    code, stored in ``summary``). Off by default, so evaluation runs make no extra call.
    ``progress`` hears of the sentences embedded while the engine reads (the bulk of an
    offline run) out of all it will embed, and then of the run's end."""
    started = time.perf_counter()
    with metering(progress) as meter:
        proposal = engine.propose(transcripts, pack)
    checked = check_evidence(proposal.evidence, transcripts, pack)
    evidence, duplicates = dedupe(checked.kept)
    ledger = Ledger(pack, evidence)
    dimensions = [_dimension(pack, dim, ledger) for dim in pack.dimensions]
    disagreements = find_disagreements(ledger)
    stats = Stats(
        sentences=proposal.sentences,
        evidence=sum(e.strength != "claim" for e in evidence),
        claims=sum(e.strength == "claim" for e in evidence),
        ungrounded_dropped=checked.ungrounded,
        unknown_indicator_dropped=checked.unknown_indicator,
        duplicates_dropped=duplicates,
        injection_sentences=len(proposal.injections),
        prompt_tokens=proposal.prompt_tokens,
        completion_tokens=proposal.completion_tokens,
        cost_usd=proposal.cost_usd,
        irrelevant_dropped=proposal.irrelevant_dropped,
        llm_calls=proposal.llm_calls,
        llm_seconds=proposal.llm_seconds,
    )
    assessment = Assessment(
        framework=pack.id,
        framework_name=pack.name,
        engine=engine.name,
        created=now.isoformat(timespec="seconds"),
        prompt_version=prompt_version or getattr(engine, "prompt_version", None),
        sources=[_source_info(t) for t in transcripts],
        speakers=_speakers(transcripts),
        dimensions=dimensions,
        disagreements=disagreements,
        stats=stats,
    )
    assessment.warnings = _warnings(assessment, proposal.injections, proposal.warnings)
    add_views(assessment, ledger, transcripts, industry)
    assessment.roadmap = build_roadmap(pack, assessment)
    if phrase_summary:
        _phrase_summary(assessment, engine)
    assessment.stats.seconds = round(time.perf_counter() - started, 3)
    if meter:
        meter.finish()
    return assessment


def _phrase_summary(a: Assessment, engine: EvidenceEngine) -> None:
    """The engine's own chat model phrases the summary (agent.llm.summary); an engine
    without one (offline) leaves it to the reports, which write it from the assessment."""
    provider = getattr(engine, "provider", None)
    if provider is None or not callable(getattr(provider, "structured", None)):
        return
    from agent.llm.summary import phrase_summary

    phrase_summary(a, provider)


def _dimension(pack: FrameworkPack, dim: Dimension, ledger: Ledger) -> DimensionResult:
    score = ledger.pooled(dim.id)
    mine = [e for e in ledger.evidence if e.dimension == dim.id]
    # Strongest evidence first: what a reader should check before anything else.
    order = {"specific": 0, "general": 1, "claim": 2}
    mine.sort(key=lambda e: (order[e.strength], -(e.relevance or 0), e.source, e.line))
    speakers = ledger.speaker_levels(dim.id, ledger.speakers(dim.id))
    return DimensionResult(
        id=dim.id,
        name=dim.name,
        level=score.level,
        level_name=pack.level_name(score.level) if score.level else None,
        confidence=score.confidence,
        evidence=mine,
        citations=citations_for(pack, dim, score),
        missing=missing_texts(pack, score),
        missing_indicators=score.missing,
        indicators=score.statuses,
        speakers=speakers,
        rationale=_rationale(pack, dim, score, mine),
        held_by=score.held_by,
        to_verify=score.to_verify,
        inferred_share=score.inferred_share,
        pooled_note=_pooled_note(score.level, speakers, mine),
    )


def _rationale(pack: FrameworkPack, dim: Dimension, score: DimensionScore,
               evidence: list[Evidence]) -> str:
    level = score.level
    factual = [e for e in evidence if e.strength != "claim"]
    claims = len(evidence) - len(factual)
    if level is None:
        tail = f" {claims} claim(s) without evidence were set aside." if claims else ""
        return f"No factual statement about {dim.name.lower()} was found.{tail}"
    text = (f"Level {level} ({pack.level_name(level)}) from {len(factual)} evidence item(s) by "
            f"{len({e.speaker for e in factual})} speaker(s).")
    inferred = [s.id for s in score.statuses if s.status == "inferred" and s.level <= level]
    if inferred:
        text += (f" {len(inferred)} indicator(s) at or below it rest on inference from "
                 f"practice shown above them: {', '.join(inferred)}.")
    if score.held_by:
        text += f" Held back by a contradiction: {', '.join(score.held_by)}."
    if level < pack.top_level and score.missing:
        text += f" Not yet shown for level {level + 1}: {', '.join(score.missing)}."
    if claims:
        text += f" {claims} claim(s) were recorded but do not count."
    return text


def _pooled_note(level: int | None, speakers: dict[str, int | None],
                 evidence: list[Evidence]) -> str:
    """Say whose evidence combined when the pooled level beats every speaker's own."""
    own = [v for v in speakers.values() if v is not None]
    if level is None or not own or level <= max(own):
        return ""
    counts: dict[str, int] = {}
    for e in evidence:
        if e.strength != "claim" and e.speaker:
            counts[e.speaker] = counts.get(e.speaker, 0) + 1
    who = ", ".join(f"{name} ({n} item(s), alone level {speakers.get(name)})"
                    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return (f"Level {level} is reached only by combining the evidence of {who}; no single "
            f"stakeholder's own evidence reaches it (the highest alone is {max(own)}).")


def _source_info(t: Transcript) -> SourceInfo:
    words = sum(len(u.text.split()) for u in t.utterances)
    return SourceInfo(source=t.source, format=t.format, utterances=len(t.utterances), words=words)


def _speakers(transcripts: Sequence[Transcript]) -> list[Speaker]:
    seen: dict[str, Speaker] = {}
    for t in transcripts:
        for u in t.utterances:
            name = u.speaker or "(unknown)"
            old = seen.get(name)
            seen[name] = Speaker(
                name=name,
                role=(old.role if old and old.role else u.role),
                role_category=(old.role_category if old and old.role_category
                               else u.role_category),
                utterances=(old.utterances if old else 0) + 1,
                evidence_eligible=not is_facilitator(u),
            )
    return list(seen.values())


def _warnings(a: Assessment, injections: list[Evidence],
              engine_warnings: list[tuple[str, str]]) -> list[Warning_]:
    out: list[Warning_] = []
    roles = {s.role_category for s in a.speakers if s.role_category and s.evidence_eligible}
    if len(roles) < 2:
        out.append(Warning_(code="single_perspective", message=(
            f"only {len(roles) or 'no'} identifiable role(s) spoke; the framework asks for a "
            "cross-functional group (engineering, product, data, executive sponsor), and "
            "single-perspective assessments skew optimistic")))
    if injections:
        first = injections[0]
        out.append(Warning_(code="prompt_injection", message=(
            f"{len(injections)} sentence(s) tried to instruct the assessor (first at "
            f"{first.source}:{first.line}); they were ignored and changed no score")))
    empty = [d.id for d in a.dimensions if d.level is None]
    if empty:
        out.append(Warning_(code="insufficient_evidence", message=(
            f"not enough evidence to score: {', '.join(empty)}; ask about these dimensions")))
    claims, facts = a.stats.claims, a.stats.evidence
    if claims and claims >= facts:
        out.append(Warning_(code="unsupported_claims", message=(
            f"{claims} claim(s) against {facts} evidence item(s): ask for specifics")))
    if a.stats.ungrounded_dropped:
        out.append(Warning_(code="ungrounded_dropped", message=(
            f"{a.stats.ungrounded_dropped} proposed quote(s) were not found in the transcript "
            "and were dropped")))
    out += [Warning_(code=code, message=message) for code, message in engine_warnings]
    return out
