"""The oracle reader: an evidence proposer that cites exactly the sentence gold.

With the reader taken out of the question, what is left to measure is everything after
it: the checks (how much correct evidence they keep) and the level rule (how close the
levels come to the raters' when the evidence is perfect). Two paths:

- ``OracleEngine`` proposes the gold straight into the pipeline's checks, as the offline
  engine's proposals go;
- ``oracle_responder`` answers the llm engine's real requests from a local
  OpenAI-compatible server (agent.llm.local_server) with the gold for the lines and the
  dimension each request asks about, so the provider, the parsing, the strength rules and
  the relevance check all run as they do against a real model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.assessment.checks import fold
from agent.assessment.model import Evidence, Stance
from agent.engines.base import Proposal, injection_evidence
from agent.evals.dataset import EvalCase
from agent.evals.sentence_gold import GoldSentence, SentenceGold
from agent.knowledge.schema import FrameworkPack
from agent.llm.extraction import MAX_ITEMS, number_lines
from agent.llm.local_server import Reply, Responder, tool_reply
from agent.transcripts.model import Transcript, Utterance


@dataclass(frozen=True)
class GoldItem:
    """One (sentence, indicator, stance) a rater credited."""

    sentence: GoldSentence
    source: str  # the transcript path as the readers report it
    indicator_id: str
    stance: Stance


def gold_items(gold: SentenceGold, case: EvalCase) -> list[GoldItem]:
    absolute = case.sources()
    out = []
    for s in gold.sentences:
        for stance, ids in (("supports", s.supports), ("contradicts", s.contradicts)):
            out += [GoldItem(s, absolute[s.source], i, stance)  # type: ignore[arg-type]
                    for i in ids]
    return out


def _where(transcripts: Sequence[Transcript]) -> dict[tuple[str, int], Utterance]:
    return {(u.source, u.line): u for t in transcripts for u in t.utterances}


class OracleEngine:
    """Proposes the gold of one case (``propose`` ignores sentences it has no gold for)."""

    def __init__(self, gold: SentenceGold, case: EvalCase) -> None:
        self.gold = gold
        self.items = gold_items(gold, case)
        absolute = case.sources()
        self.injections = [(absolute[s.source], s) for s in gold.sentences if s.injection]

    @property
    def name(self) -> str:
        return "oracle"

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        table = pack.indicators()
        where = _where(transcripts)
        evidence = [Evidence(quote=i.sentence.text, source=i.source, line=i.sentence.line,
                             speaker=None, stance=i.stance, indicator_id=i.indicator_id,
                             strength="specific", reason="sentence gold",
                             dimension=table[i.indicator_id][0].id if i.indicator_id in table
                             else None)
                    for i in self.items]
        injections = [injection_evidence(u, s.text) for source, s in self.injections
                      if (u := where.get((source, s.line)))]
        return Proposal(evidence=evidence, sentences=len(self.gold.sentences),
                        injections=injections)


_LINE = re.compile(r"^\[(\d+)\] ", re.M)
_INDICATOR = re.compile(r"^- ([a-z0-9-]+)\.l\d+\.[a-z0-9-]+ \(level \d+\)", re.M)


def oracle_responder(gold: SentenceGold, case: EvalCase,
                     transcripts: Sequence[Transcript]) -> Responder:
    """A responder for ``FakeOpenAI``: the gold for the lines and dimension asked about."""
    lines = number_lines(transcripts)
    items = gold_items(gold, case)
    by_utterance: dict[tuple[str, int], list[GoldItem]] = {}
    for item in items:
        by_utterance.setdefault((item.source, item.sentence.line), []).append(item)
    injected = {(s.source, s.line, fold(s.text)) for s in gold.sentences if s.injection}
    relative = {path: rel for rel, path in case.sources().items()}

    def respond(body: dict[str, Any]) -> Reply:
        text = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
        dims = _INDICATOR.findall(text)
        dimension = dims[0] if dims else ""
        numbers = sorted({int(n) for n in _LINE.findall(text)})
        evidence: list[dict[str, Any]] = []
        injections: list[dict[str, Any]] = []
        for n in numbers:
            if not 1 <= n <= len(lines):
                continue
            u = lines[n - 1].utterance
            for item in by_utterance.get((u.source, u.line), []):
                if item.indicator_id.split(".")[0] == dimension:
                    evidence.append({"indicator_id": item.indicator_id, "stance": item.stance,
                                     "strength": "specific", "quote": item.sentence.text,
                                     "line": n, "reason": "sentence gold"})
            rel = relative.get(u.source, u.source)
            injections += [{"line": n, "quote": s} for (src, ln, s) in injected
                           if src == rel and ln == u.line]
        return tool_reply({"evidence": evidence[:MAX_ITEMS], "injections": injections[:5]})

    return respond
