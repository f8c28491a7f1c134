"""The offline engine: local embeddings plus explainable rules, no LLM, no network.

For every sentence of every utterance:
1. injection attempts are set aside (reported, never evidence);
2. the sentence is matched to the framework's indicators by relevance = cosine
   similarity of the sentence and the indicator (vectors from the knowledge index)
   plus a small bonus per indicator keyword the sentence contains;
3. below ``threshold`` the sentence is about no indicator; otherwise it is credited to
   the best indicators within ``margin`` of the top one (at most ``max_credits``), and
   support flows down to the lower-level indicator each one implies (a statement that
   "every team logs runs to MLflow" is also evidence of "some team tracks
   experiments");
4. the language rules decide stance and strength (agent.engines.language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.assessment.model import Evidence
from agent.engines.base import Proposal
from agent.engines.language import is_injection, read_statement
from agent.engines.sentences import Sentence, evidence_sentences
from agent.knowledge.schema import Cell, Dimension, FrameworkPack, Indicator
from agent.retrieval.index import KnowledgeIndex
from agent.transcripts.model import Transcript

IndicatorTable = dict[str, tuple[Dimension, Cell, Indicator]]


@dataclass(frozen=True)
class OfflineSettings:
    threshold: float = 0.34
    margin: float = 0.15
    keyword_bonus: float = 0.08
    keyword_cap: float = 0.16
    #: A higher-level indicator implies its closest counterpart one level down when the
    #: two indicator texts are at least this similar ("every team uses one tracker"
    #: implies "some team tracks experiments").
    implies: float = 0.35
    #: At most this many indicators take one statement directly (before implication).
    max_credits: int = 4


class OfflineEngine:
    name = "offline"

    def __init__(self, index: KnowledgeIndex, settings: OfflineSettings | None = None) -> None:
        self.index = index
        self.settings = settings or OfflineSettings()

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        sentences = evidence_sentences(list(transcripts))
        proposal = Proposal(evidence=[], sentences=len(sentences))
        usable: list[Sentence] = []
        for sentence in sentences:
            if is_injection(sentence.text):
                proposal.injections.append(_evidence(sentence, None, None, "supports", "claim",
                                                     "tries to instruct the assessor", None))
            else:
                usable.append(sentence)
        if not usable:
            return proposal
        table = pack.indicators()
        ids = list(table)
        # The indicator vectors are read from the index once and serve both steps.
        vectors = self.index.vectors([f"{pack.id}:{i}" for i in ids])
        scores = self.relevance([s.text for s in usable], table, ids, vectors)
        implied = self.implications(table, ids, vectors)
        levels = [table[i][1].level for i in ids]
        for row, sentence in enumerate(usable):
            self._credit(sentence, scores[row], ids, levels, implied, proposal)
        return proposal

    def implications(self, table: IndicatorTable, ids: Sequence[str],
                     vectors: np.ndarray) -> dict[str, str]:
        """For each indicator above level 2, the lower-level indicator it implies, if any."""
        sims = vectors @ vectors.T
        out: dict[str, str] = {}
        for col, ind_id in enumerate(ids):
            dim, cell, _ = table[ind_id]
            if cell.level <= 2:
                continue
            below = [j for j, other in enumerate(ids)
                     if table[other][0].id == dim.id and table[other][1].level == cell.level - 1]
            if not below:
                continue
            best = max(below, key=lambda j: sims[col, j])
            if sims[col, best] >= self.settings.implies:
                out[ind_id] = ids[best]
        return out

    def relevance(self, texts: Sequence[str], table: IndicatorTable, ids: Sequence[str],
                  indicator_vectors: np.ndarray) -> np.ndarray:
        """Relevance of each text to each indicator: cosine plus keyword bonus."""
        scores: np.ndarray = self.index.embedder.embed(list(texts)) @ indicator_vectors.T
        lowered = [text.lower() for text in texts]
        s = self.settings
        for col, ind_id in enumerate(ids):
            keywords = table[ind_id][2].keywords
            if not keywords:
                continue
            for row, text in enumerate(lowered):
                hits = sum(1 for k in keywords if k in text)
                if hits:
                    scores[row, col] += min(s.keyword_cap, s.keyword_bonus * hits)
        return scores

    def _credit(self, sentence: Sentence, row: np.ndarray, ids: list[str],
                levels: list[int], implied: dict[str, str], proposal: Proposal) -> None:
        s = self.settings
        order = [int(c) for c in np.argsort(-row)]
        if row[order[0]] < s.threshold:
            return
        reading = read_statement(sentence.text)
        # Level-1 indicators describe the starting state; they only take a statement
        # that matches nothing above level 1 (it still shows the dimension's floor).
        above = [c for c in order if levels[c] > 1 and row[c] >= s.threshold]
        pool = above or order[:1]
        top = row[pool[0]]
        credited: dict[str, tuple[float, str]] = {}
        for col in pool[: s.max_credits]:
            score = float(row[col])
            if score < top - s.margin:
                break
            ind_id = ids[col]
            credited.setdefault(ind_id, (score, reading.reason))
            # Support flows down to what the indicator implies; absence does not.
            below = implied.get(ind_id) if reading.stance == "supports" else None
            while below:
                credited.setdefault(below, (score, f"{reading.reason}; implied by {ind_id}"))
                below = implied.get(below)
        for ind_id, (score, reason) in credited.items():
            proposal.evidence.append(_evidence(sentence, ind_id, ind_id.split(".", 1)[0],
                                               reading.stance, reading.strength, reason, score))


def _evidence(sentence: Sentence, indicator_id: str | None, dimension: str | None,
              stance: str, strength: str, reason: str, relevance: float | None) -> Evidence:
    u = sentence.utterance
    return Evidence.model_validate({
        "quote": sentence.text, "source": u.source, "line": u.line, "speaker": u.speaker,
        "role": u.role, "stance": stance, "indicator_id": indicator_id, "strength": strength,
        "dimension": dimension, "reason": reason,
        "relevance": None if relevance is None else round(relevance, 3),
    })
