"""Run the gold cases through an engine and measure agreement, per framework and tag."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.app import Services
from agent.assessment.checks import quote_in, utterance_index
from agent.assessment.model import Assessment
from agent.assessment.pipeline import assess
from agent.engines.base import EvidenceEngine
from agent.evals.dataset import EvalCase, load_cases
from agent.evals.evidence_quality import EvidenceCounts, counts
from agent.evals.evidence_quality import summary as evidence_summary
from agent.evals.metrics import Pair, summary
from agent.evals.oracle_run import OracleResult, run_oracle
from agent.evals.pairs import pairs_report
from agent.evals.quality import citation_counts, raised_above_gold, usage_row
from agent.evals.sentence_gold import SentenceGold, load_sentence_gold
from agent.knowledge.chunks import Chunk
from agent.transcripts import read_transcripts


@dataclass
class CaseResult:
    case: EvalCase
    assessment: Assessment
    seconds: float
    grounded: int = 0
    quotes: int = 0
    pairs: list[Pair] = field(default_factory=list)
    citations_valid: int = 0
    citations: int = 0
    #: Against the sentence gold, when the case has one.
    evidence: EvidenceCounts | None = None
    blind: bool = False
    oracle: list[OracleResult] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "framework": self.case.framework,
            "tags": self.case.tags,
            "gold": {k: v.level for k, v in self.case.gold.items()},
            "predicted": self.assessment.levels(),
            "seconds": round(self.seconds, 3),
            "warnings": sorted({w.code for w in self.assessment.warnings}),
            "ungrounded_dropped": self.assessment.stats.ungrounded_dropped,
            "citations_valid": self.citations_valid,
            "citations": self.citations,
            **usage_row(self.assessment, self.seconds),
            **({"evidence": vars(self.evidence)} if self.evidence else {}),
        }


def chunk_table(services: Services) -> dict[str, Chunk]:
    return {c.id: c for c in services.registry.chunks()}


def run_case(case: EvalCase, services: Services, engine: EvidenceEngine,
             chunks: dict[str, Chunk] | None = None,
             gold: SentenceGold | None = None) -> CaseResult:
    pack = services.registry.get(case.framework)
    transcripts = read_transcripts(case.paths())
    started = time.perf_counter()
    assessment = assess(transcripts, pack, engine, services.clock())
    seconds = time.perf_counter() - started
    where = utterance_index(transcripts)
    quotes = [e for d in assessment.dimensions for e in d.evidence]
    grounded = sum(1 for e in quotes if (u := where.get((e.source, e.line)))
                   and quote_in(e.quote, u.text))
    pairs = [(label.level, assessment.levels().get(dim)) for dim, label in case.gold.items()]
    chunks = chunks if chunks is not None else chunk_table(services)
    valid, total = citation_counts(assessment, chunks)
    result = CaseResult(case, assessment, seconds, grounded, len(quotes), pairs, valid, total)
    if gold is not None:
        result.evidence = counts(assessment, gold, case)
        result.blind = gold.blind
        result.oracle = run_oracle(case, gold, services)
    return result


def run_eval(services: Services, engine: EvidenceEngine, cases: Sequence[EvalCase] | None = None,
             progress: Callable[[int, int], None] | None = None,
             pairs: bool | None = None) -> dict[str, Any]:
    """``pairs``: also score the constructed disagreement pairs (agent.evals.pairs); by
    default with the offline engine only (an LLM engine has no cassettes for them)."""
    cases = list(cases) if cases is not None else load_cases()
    results = []
    chunks = chunk_table(services)  # chunking every pack is not free: once per run
    golds = load_sentence_gold()
    for n, case in enumerate(cases, start=1):
        results.append(run_case(case, services, engine, chunks, golds.get(case.id)))
        if progress:
            progress(n, len(cases))
    out = report(results, engine.name)
    if pairs if pairs is not None else engine.name == "offline":
        out["disagreement_pairs"] = pairs_report(services, engine)
    return out


def report(results: Sequence[CaseResult], engine: str) -> dict[str, Any]:
    groups: dict[str, list[Pair]] = defaultdict(list)
    for r in results:
        groups["all"] += r.pairs
        groups[f"framework:{r.case.framework}"] += r.pairs
        for tag in r.case.tags:
            groups[f"tag:{tag}"] += r.pairs
    quotes = sum(r.quotes for r in results)
    grounding = round(sum(r.grounded for r in results) / quotes, 4) if quotes else 1.0
    cited = sum(r.citations for r in results)
    citation_validity = round(sum(r.citations_valid for r in results) / cited, 4) if cited else 1.0
    adversarial = [p for r in results if "adversarial" in r.case.tags for p in r.pairs]
    n = max(1, len(results))
    return {
        "engine": engine,
        "cases": len(results),
        "metrics": {name: summary(pairs) for name, pairs in sorted(groups.items())},
        "quote_grounding_rate": grounding,
        "citation_validity": citation_validity,
        "adversarial": {"labels": len(adversarial), "raised": raised_above_gold(adversarial)},
        "ungrounded_dropped": sum(r.assessment.stats.ungrounded_dropped for r in results),
        "seconds_per_case": round(sum(r.seconds for r in results) / n, 3),
        "tokens_per_case": round(sum(r.assessment.stats.prompt_tokens
                                     + r.assessment.stats.completion_tokens
                                     for r in results) / n, 1),
        "cost_usd": round(sum(r.assessment.stats.cost_usd for r in results), 6),
        **sentence_gold_report(results),
        "results": [r.row() for r in results],
    }


def _parts(results: Sequence[CaseResult]) -> dict[str, list[CaseResult]]:
    """The cases with sentence gold: all, blind (other authors, never tuned on), tuning,
    and per framework."""
    withgold = [r for r in results if r.evidence is not None]
    parts = {"all": withgold, "blind": [r for r in withgold if r.blind],
             "tuning": [r for r in withgold if not r.blind]}
    for r in withgold:
        parts.setdefault(f"framework:{r.case.framework}", []).append(r)
    return {k: v for k, v in parts.items() if v}


def sentence_gold_report(results: Sequence[CaseResult]) -> dict[str, Any]:
    """Evidence precision/recall of the engine, and the oracle reader's level agreement and
    the share of gold evidence each path's checks keep."""
    parts = _parts(results)
    if not parts:
        return {}
    evidence = {name: evidence_summary([r.evidence for r in rs if r.evidence])
                for name, rs in parts.items()}
    oracle: dict[str, dict[str, Any]] = {}
    for path in ("checks", "llm"):
        oracle[path] = {}
        for name, rs in parts.items():
            mine = [o for r in rs for o in r.oracle if o.path == path]
            kept = EvidenceCounts()
            for o in mine:
                kept = kept.add(o.kept)
            oracle[path][name] = {**summary([p for o in mine for p in o.pairs]),
                                  "kept": round(kept.found / kept.gold, 4) if kept.gold else 1.0,
                                  "max_error": max((abs(g - p) for o in mine for g, p in o.pairs
                                                    if g is not None and p is not None),
                                                   default=0)}
    per_case = {r.case.id: vars(r.evidence) for r in parts["all"] if r.evidence}
    return {"evidence": evidence, "oracle": oracle, "evidence_cases": per_case}
