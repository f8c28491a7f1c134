"""The llm engine: a chat model reads the transcript, code checks what it proposes.

One structured call per framework dimension (per part, when the transcript does not
fit the context window). The model sees the dimension's level descriptions and
indicators from the pack, and the transcript as fenced, numbered data; it proposes
evidence items and reports injection attempts. Then code disposes:

1. line numbers map back to source and line (a quote on the wrong line is moved to the
   only line that holds it; anything else stays as proposed, so ``check_evidence``
   drops and counts hallucinated quotes and unknown indicator ids);
2. items credited to another dimension's indicator, quoted from the facilitator, or
   quoting an instruction to the assessor are dropped and counted as irrelevant;
3. the model's reading may lower what an item counts for, never raise it above the
   language rules' reading (``checked_strength``): support the rules read as absence,
   intent or a hedge counts as a claim, ``specific`` needs a checkable detail;
4. the relevance check (agent.assessment.relevance) drops real quotes pinned on
   indicators they are not about, counts one utterance once per indicator, and caps
   how many indicators one quote may carry;
5. the rubric decides the level.

Injection attempts come from the language rules and from the model; a model report is
kept only if its quote is verbatim and talks about the assessment (a weak model's
stray reports of ordinary sentences would otherwise raise false warnings).

When the model gives no usable answer for a dimension (retries exhausted, invalid after
one repair), the offline engine reads that dimension instead and a ``llm_fallback``
warning says so. After a transport failure the endpoint is treated as down for the
rest of the run. A cost cap (``Budget``) is a hard stop: ``UserError``, nothing written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.assessment.checks import fold, quote_in
from agent.assessment.model import Evidence, Strength
from agent.assessment.relevance import RelevanceCheck
from agent.engines.base import EvidenceEngine, Proposal, injection_evidence
from agent.engines.language import (
    SHOUTED,
    capitals_share,
    is_injection,
    is_shouted,
    read_statement,
)
from agent.engines.sentences import evidence_sentences
from agent.errors import UserError
from agent.knowledge.schema import Dimension, FrameworkPack
from agent.llm.extraction import (
    Extraction,
    Line,
    ProposedItem,
    locate,
    number_lines,
    prompt_values,
    split_parts,
)
from agent.llm.prompts import Prompt, load_prompt
from agent.llm.provider import CallUsage, ChatProvider, LLMError, estimate_tokens
from agent.progress import Progress
from agent.transcripts.model import Transcript

#: A model-reported injection is kept only if it is verbatim and talks about the
#: assessment; a weak model's stray reports of ordinary sentences are ignored.
_ASSESSOR_WORDS = ("assessor", "assistant", "model", " ai ", "system", "score", "level", "rate",
                   "rating", "grade", "marks", "instruction", "ignore", "prompt", "evaluator",
                   "reviewer", "rubric")


@dataclass
class _Run:
    """What one propose() call accumulates."""

    lines: list[Line]
    pack: FrameworkPack
    proposal: Proposal
    calls: list[CallUsage] = field(default_factory=list)
    endpoint_down: str | None = None
    #: Capitals read as shouting only where the transcript is otherwise in ordinary case.
    caps_are_shouting: bool = True


class LLMEngine:
    def __init__(self, provider: ChatProvider, relevance: RelevanceCheck,
                 fallback: EvidenceEngine, context_tokens: int = 128_000,
                 max_completion_tokens: int = 4096, prompt: Prompt | None = None) -> None:
        self.provider = provider
        self.relevance = relevance
        self.fallback = fallback
        self.context_tokens = context_tokens
        self.max_completion_tokens = max_completion_tokens
        self.prompt = prompt or load_prompt("extract_evidence")
        self.progress: Progress | None = None

    @property
    def name(self) -> str:
        return f"llm:{self.provider.model}"

    @property
    def prompt_version(self) -> str:
        return self.prompt.tag

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        sentences = evidence_sentences(list(transcripts))
        run = _Run(number_lines(transcripts), pack, Proposal(evidence=[], sentences=len(sentences)),
                   caps_are_shouting=capitals_share(" ".join(s.text for s in sentences)) < 0.5)
        run.proposal.injections = [injection_evidence(s.utterance, s.text)
                                   for s in sentences if is_injection(s.text)]
        plan = [(dim, part) for dim in pack.dimensions
                for part in split_parts(run.lines, self._budget(pack, dim))]
        proposed: list[Evidence] = []
        failed: dict[str, str] = {}
        for done, (dim, part) in enumerate(plan, start=1):
            if dim.id not in failed:
                try:
                    proposed += self._extract(run, dim, part)
                except LLMError as exc:
                    failed[dim.id] = self._failure(run, exc)
            if self.progress:
                self.progress(done, len(plan))
        run.proposal.evidence = self._dispose(run, proposed, set(failed))
        if failed:
            self._fall_back(run, transcripts, failed)
        self._account(run)
        return run.proposal

    def _budget(self, pack: FrameworkPack, dim: Dimension) -> int:
        """Tokens left for transcript lines once the prompt and the reply are paid for."""
        frame = sum(estimate_tokens(c) for _, c in
                    self.prompt.render(**prompt_values(pack, dim, [])))
        return max(256, int(0.9 * (self.context_tokens - self.max_completion_tokens)) - frame)

    def _extract(self, run: _Run, dim: Dimension, part: list[Line]) -> list[Evidence]:
        if run.endpoint_down:
            raise LLMError(run.endpoint_down, "skipped")
        messages = self.prompt.render(**prompt_values(run.pack, dim, part))
        reply = self.provider.structured(messages, Extraction)
        run.calls += reply.calls or (reply.usage,)
        self._injections(run, reply.value)
        return [e for item in reply.value.evidence if (e := self._evidence(run, dim, item))]

    def _failure(self, run: _Run, exc: LLMError) -> str:
        run.calls += exc.calls
        if exc.kind == "budget":
            self._account(run)
            spent = run.proposal.cost_usd
            raise UserError(f"{exc} after ${spent:.4f} spent; raise --max-cost or use "
                            "--engine offline") from None
        if exc.kind in ("transport", "rejected"):
            # The endpoint is down or refuses us: the other dimensions skip straight to the
            # offline engine and share this reason (one warning, not one per dimension).
            run.endpoint_down = str(exc)
        return str(exc)

    def _evidence(self, run: _Run, dim: Dimension, item: ProposedItem) -> Evidence | None:
        line, quote = locate(item.quote, item.line, run.lines)
        indicators = run.pack.indicators()
        known = indicators.get(item.indicator_id)
        if line is not None and (
                line.facilitator or is_injection(quote)
                or (known is not None and known[0].id != dim.id)):
            run.proposal.irrelevant_dropped += 1
            return None
        strength, note = checked_strength(item.stance, item.strength, quote,
                                          run.caps_are_shouting)
        # Not found or unknown id: kept as proposed, so check_evidence drops and counts it.
        where = line or (run.lines[item.line - 1] if 1 <= item.line <= len(run.lines) else None)
        return Evidence(
            quote=quote, source=where.utterance.source if where else "(no such line)",
            line=where.utterance.line if where else max(1, item.line),
            speaker=where.utterance.speaker if where else None, stance=item.stance,
            indicator_id=item.indicator_id, strength=strength,
            dimension=known[0].id if known else dim.id, reason=item.reason.strip()[:200] + note,
        )

    def _injections(self, run: _Run, reply: Extraction) -> None:
        seen = {(e.source, e.line) for e in run.proposal.injections}
        for report in reply.injections:
            line, quote = locate(report.quote, report.line, run.lines)
            lowered = f" {quote.lower()} "
            if line is None or line.facilitator or not any(w in lowered for w in _ASSESSOR_WORDS):
                continue
            key = (line.utterance.source, line.utterance.line)
            if key not in seen:
                seen.add(key)
                run.proposal.injections.append(injection_evidence(line.utterance, quote))

    def _dispose(self, run: _Run, proposed: list[Evidence], failed: set[str]) -> list[Evidence]:
        """Relevance-check the grounded, known items; the rest go on to check_evidence."""
        where = {(ln.utterance.source, ln.utterance.line): ln.utterance for ln in run.lines}
        table = run.pack.indicators()
        unique: dict[tuple[str, int, str, str | None, str], Evidence] = {}
        for e in proposed:
            if e.dimension not in failed:
                unique.setdefault((e.source, e.line, fold(e.quote), e.indicator_id, e.stance), e)
        checkable: list[Evidence] = []
        passthrough: list[Evidence] = []
        for e in unique.values():
            u = where.get((e.source, e.line))
            grounded = u is not None and quote_in(e.quote, u.text)
            (checkable if grounded and e.indicator_id in table else passthrough).append(e)
        result = self.relevance.check(checkable, run.pack)
        run.proposal.irrelevant_dropped += len(result.dropped)
        return passthrough + result.kept

    def _fall_back(self, run: _Run, transcripts: Sequence[Transcript],
                   failed: dict[str, str]) -> None:
        offline = self.fallback.propose(transcripts, run.pack)
        run.proposal.evidence += [e for e in offline.evidence if e.dimension in failed]
        by_reason: dict[str, list[str]] = {}
        for dim_id, reason in failed.items():
            by_reason.setdefault(reason, []).append(dim_id)
        for reason, dims in by_reason.items():
            run.proposal.warnings.append(("llm_fallback", (
                f"the LLM gave no usable answer for {', '.join(dims)} ({reason}); the offline "
                "engine read " + ("that dimension" if len(dims) == 1 else "those dimensions"))))

    def _account(self, run: _Run) -> None:
        p = run.proposal
        p.prompt_tokens = sum(c.prompt_tokens for c in run.calls)
        p.completion_tokens = sum(c.completion_tokens for c in run.calls)
        p.cost_usd = round(sum(c.cost_usd for c in run.calls), 6)
        p.llm_calls = len(run.calls)
        p.llm_seconds = round(sum(c.latency_s for c in run.calls), 3)


def checked_strength(stance: str, strength: Strength, quote: str,
                     caps_are_shouting: bool = True) -> tuple[Strength, str]:
    """The strength code lets a proposed item count with, and a note when it was lowered.

    The model's reading may only ever make an item count for less than it says, never
    for more than the deterministic language rules (agent.engines.language) allow:
    support the rules read as intent, a hedge, a self-assessment or a sweeping statement
    with nothing checkable counts as a claim, and support worded as a negation counts as
    general at most.
    Contradictions are left as proposed: the model may see an absence the rules miss.
    """
    if stance != "supports" or strength == "claim":
        return strength, ""
    if caps_are_shouting and is_shouted(quote):
        return "claim", f" [counted as a claim: {SHOUTED}]"
    rules = read_statement(quote)
    if rules.reason.startswith("negation"):
        # "Nothing goes live without the checklist" supports the checklist: a negated
        # sentence can state a practice, so the model's reading stands, but never as more
        # than general.
        if strength == "specific":
            return "general", f" [counted as general: the words read as {rules.reason}]"
        return strength, ""
    if rules.stance == "contradicts" or rules.strength == "claim":
        return "claim", f" [counted as a claim: the words read as {rules.reason}]"
    # A concrete practice need not name a tool or a number ("every release is signed off by
    # the model owner"): the model's "specific" stands once the claim rules have passed it.
    return strength, ""
