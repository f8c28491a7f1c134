"""The offline engine: local embeddings plus explainable rules, no LLM, no network.

For every sentence (clause) of every stakeholder utterance:

1. injection attempts are set aside (reported, never evidence);
2. the sentence is matched to the framework's indicators by relevance = cosine
   similarity of the sentence and the indicator (vectors from the knowledge index)
   plus a small bonus per indicator keyword it contains (as words, not substrings);
3. below ``threshold`` the sentence is about no indicator; otherwise it is credited to
   the best indicators within ``margin`` of the top one (at most ``max_credits``), except
   that a denial contradicts only the indicator it is most about;
4. support flows down: a statement that evidences a level-L indicator also evidences
   the level L-1 indicator of the same dimension it is most about, if its relevance to
   that one reaches ``implies`` ("every team logs runs to one MLflow server" is also
   evidence that "some team tracks experiments"), and so on down to level 2;
5. the language rules decide stance and strength per credited indicator, reading the
   clause that is about it (agent.engines.language); a quoted level description pasted
   in from a framework is a claim.

Then the floor: a dimension keeps its evidence only if at least one factual statement
is squarely about it: about this dimension more than any other, and either an answer
to a question about that dimension (relevance ``asked_floor``) or any statement with
relevance ``floor``. Otherwise its matches are
tangential (sentences about something else that resemble one of its indicators), and
it gets none, so the rubric reports it as not evidenced rather than at level 1.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.assessment.model import Evidence
from agent.engines.base import Proposal, injection_evidence
from agent.engines.classifier import ReaderModel, load_model
from agent.engines.language import (
    Reading,
    capitals_share,
    is_injection,
    read_about,
    topic_words,
)
from agent.engines.reader import ReaderSettings, TrainedReader, evidence_item, read_sentence
from agent.engines.sentences import (
    Sentence,
    evidence_sentences,
    questions_answered,
    whole_evidence_sentences,
)
from agent.knowledge.chunks import pack_chunks
from agent.knowledge.schema import Cell, Dimension, FrameworkPack, Indicator
from agent.retrieval.index import KnowledgeIndex
from agent.transcripts.model import Transcript

IndicatorTable = dict[str, tuple[Dimension, Cell, Indicator]]
#: Pack texts that say what a dimension is about, for telling which one a question asks.
_TOPIC_KINDS = ("question", "indicator", "dimension", "level")


@dataclass(frozen=True)
class OfflineSettings:
    """Relevance bars, from the most context to the least: a statement that evidences a
    higher indicator implies a lower one at ``implies``; an answer is about the dimension
    asked at ``asked_floor``; a statement is about an indicator at ``threshold``; and about
    a dimension nobody asked about at ``floor``. Chosen with scripts/tune_offline.py on
    the gold cases not tagged holdout."""

    threshold: float = 0.34
    margin: float = 0.15
    keyword_bonus: float = 0.08
    keyword_cap: float = 0.16
    max_credits: int = 4
    #: A denial is about one thing: "we have no registry" contradicts the indicator it is
    #: most about, not every neighbour within the margin (which support may reach).
    denial_credits: int = 1
    implies: float = 0.20
    asked_floor: float = 0.30
    #: A statement grounds only the dimensions it is (nearly) most about: a data
    #: specification mentioned while governance is discussed is still about data.
    ground_margin: float = 0.0
    floor: float = 0.55


@dataclass(frozen=True)
class PackInfo:
    """What the engine needs from a pack, per indicator column, computed once per run."""

    ids: list[str]
    levels: list[int]
    dims: list[str]
    words: list[frozenset[str]]  # content words of each indicator
    below: list[list[int]]  # columns one level down in the same dimension (level >= 2)


class OfflineEngine:
    name = "offline"

    def __init__(self, index: KnowledgeIndex, settings: OfflineSettings | None = None,
                 reader: ReaderSettings | None = None, trained: bool = True) -> None:
        self.index = index
        self.settings = settings or OfflineSettings()
        self.reader_settings = reader or ReaderSettings()
        #: Use the pack's trained reader when one ships for this embedder (False: the
        #: similarity rules below, which every pack, including a user's own, can use).
        self.trained = trained

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        model = _model(pack.id, self.index.embedder.name) if self.trained else None
        if model is not None:
            return self.propose_trained(transcripts, pack, model)
        return self.propose_similar(transcripts, pack)

    def propose_trained(self, transcripts: Sequence[Transcript], pack: FrameworkPack,
                        model: ReaderModel) -> Proposal:
        """Whole sentences read by the pack's trained classifier and the language rules."""
        proposal, usable = _set_aside_injections(whole_evidence_sentences(list(transcripts)))
        caps = capitals_share(" ".join(s.text for s in usable)) < 0.5
        reader = TrainedReader(model, self.index.embedder, pack, self.reader_settings)
        proposal.evidence = reader.read(usable, caps_are_shouting=caps)
        return proposal

    def propose_similar(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        """Clauses matched to indicators by embedding similarity and keywords (no training)."""
        proposal, usable = _set_aside_injections(evidence_sentences(list(transcripts)))
        if not usable:
            return proposal
        table = pack.indicators()
        info = pack_info(table)
        vectors = self.index.vectors([f"{pack.id}:{i}" for i in info.ids])
        scores = self.relevance([s.text for s in usable], table, info.ids, vectors)
        # Capitals are shouting only where the transcript is otherwise in ordinary case.
        caps = capitals_share(" ".join(s.text for s in usable)) < 0.5
        readings = [read_sentence(s, caps_are_shouting=caps) for s in usable]
        asked = self.topics(transcripts, usable, pack)
        grounded = self.grounded(scores, info.dims, readings, asked)
        for row, sentence in enumerate(usable):
            found = self.credit(sentence, readings[row], scores[row], info)
            proposal.evidence += [e for e in found if e.dimension in grounded]
        return proposal

    def relevance(self, texts: Sequence[str], table: IndicatorTable, ids: Sequence[str],
                  indicator_vectors: np.ndarray) -> np.ndarray:
        """Relevance of each text to each indicator: cosine plus keyword bonus."""
        scores: np.ndarray = self.index.embedder.embed(list(texts)) @ indicator_vectors.T
        s = self.settings
        lowered = [text.lower() for text in texts]
        hits = np.zeros_like(scores)
        for col, ind_id in enumerate(ids):
            for first, pattern in keyword_patterns(tuple(table[ind_id][2].keywords)):
                for row, text in enumerate(lowered):
                    # The substring test is exact as a filter and far cheaper than a search.
                    if first in text and pattern.search(text):
                        hits[row, col] += 1
        scores += np.minimum(s.keyword_cap, s.keyword_bonus * hits)
        return scores

    def topics(self, transcripts: Sequence[Transcript], sentences: Sequence[Sentence],
               pack: FrameworkPack) -> list[str | None]:
        """For each sentence, the dimension of the question it answers (None if none).

        A question is about the dimension whose three closest pack texts (its questions,
        indicators, summary and level descriptions) are on average the closest: one
        lucky match is not a topic.
        """
        answered = questions_answered(list(transcripts))
        questions = [answered.get((s.utterance.source, s.utterance.line, s.start))
                     for s in sentences]
        distinct = list(dict.fromkeys(q for q in questions if q))
        if not distinct:
            return [None] * len(sentences)
        chunks = [c for c in pack_chunks(pack) if c.kind in _TOPIC_KINDS and c.dimension]
        sims = self.index.embedder.embed(distinct) @ self.index.vectors([c.id for c in chunks]).T
        dims = sorted({str(c.dimension) for c in chunks})
        columns = [[j for j, c in enumerate(chunks) if c.dimension == d] for d in dims]
        topic = {}
        for row, question in enumerate(distinct):
            fit = [float(np.sort(sims[row, cols])[-3:].mean()) for cols in columns]
            topic[question] = dims[int(np.argmax(fit))]
        return [topic[q] if q else None for q in questions]

    def grounded(self, scores: np.ndarray, dims: Sequence[str], readings: Sequence[Reading],
                 asked: Sequence[str | None]) -> set[str]:
        """Dimensions that at least one factual statement is squarely about (the floor)."""
        s = self.settings
        columns: dict[str, list[int]] = {}
        for col, dim in enumerate(dims):
            columns.setdefault(dim, []).append(col)
        out: set[str] = set()
        for row, reading in enumerate(readings):
            if reading.strength == "claim":
                continue
            top = float(scores[row].max())
            for dim, cols in columns.items():
                best = float(scores[row, cols].max())
                if best < top - s.ground_margin:
                    continue  # about another dimension more than this one
                if best >= s.floor or (best >= s.asked_floor and asked[row] in (dim, None)):
                    out.add(dim)
        return out

    def credit(self, sentence: Sentence, reading: Reading, row: np.ndarray,
               info: PackInfo) -> list[Evidence]:
        """Evidence items for one sentence, given its whole-sentence ``reading`` and its
        relevance ``row`` to every indicator."""
        s = self.settings
        order = [int(c) for c in np.argsort(-row)]
        pool = _candidates(order, row, info.levels, s.threshold)
        if not pool:
            return []
        top = row[pool[0]]
        direct = [c for c in pool[: s.max_credits] if row[c] >= top - s.margin]
        # A claim stays a claim for every indicator; a factual sentence is read per
        # indicator, from the clause about it.
        credited = {c: reading if reading.strength == "claim"
                    else read_about(sentence.text, info.words[c]) for c in direct}
        denials = [c for c in direct if credited[c].stance == "contradicts"]
        for col in denials[s.denial_credits:]:  # ``direct`` is ordered best first
            del credited[col]
        direct = [c for c in direct if c in credited]
        for col in direct:
            # Support flows down to the lower indicator this statement is most about.
            this, lower = credited[col], col
            while this.stance == "supports" and info.below[lower]:
                lower = max(info.below[lower], key=lambda j: float(row[j]))
                if row[lower] < s.implies:
                    break
                credited.setdefault(lower, Reading(this.stance, this.strength,
                                                   f"{this.reason}; implied by {info.ids[col]}"))
        return [evidence_item(sentence, info.ids[col], r, float(row[col]))
                for col, r in credited.items()]


def _set_aside_injections(sentences: list[Sentence]) -> tuple[Proposal, list[Sentence]]:
    """A proposal holding the injection attempts (reported, never evidence), and the
    sentences left to read."""
    proposal = Proposal(evidence=[], sentences=len(sentences))
    usable: list[Sentence] = []
    for sentence in sentences:
        if is_injection(sentence.text):
            proposal.injections.append(injection_evidence(sentence.utterance, sentence.text))
        else:
            usable.append(sentence)
    return proposal, usable


@functools.lru_cache(maxsize=16)
def _model(pack_id: str, embedder: str) -> ReaderModel | None:
    return load_model(pack_id, embedder)


def pack_info(table: IndicatorTable) -> PackInfo:
    ids = list(table)
    levels = [table[i][1].level for i in ids]
    dims = [table[i][0].id for i in ids]
    words = [topic_words(" ".join([ind.text, *ind.keywords])) for _, _, ind in table.values()]
    # Implication stops at level 2: level-1 indicators describe absence, not a floor.
    below = [[j for j in range(len(ids))
              if dims[j] == dims[i] and levels[j] == levels[i] - 1 and levels[j] >= 2]
             for i in range(len(ids))]
    return PackInfo(ids, levels, dims, words, below)


def _candidates(order: list[int], row: np.ndarray, levels: list[int],
                threshold: float) -> list[int]:
    """Indicators a statement is about, best first. Level-1 indicators describe the
    starting state; they only take a statement that matches nothing above level 1 (it
    still shows the dimension's floor)."""
    above = [c for c in order if levels[c] > 1 and row[c] >= threshold]
    return above or [c for c in order[:1] if row[c] >= threshold]


@functools.lru_cache(maxsize=4096)
def keyword_patterns(keywords: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """An indicator's keywords as (first word, pattern), matched as words, not substrings.

    Each keyword matches whole words ("etl" is not in "kettle"), longer words also with
    an ending ("retro" meets "retros", "scheduled" meets "schedules"), and a phrase also
    with one word between its words ("scheduled SQL job" for "scheduled job").
    """
    return [(k.split()[0], re.compile(_phrase(k))) for k in keywords if k.split()]


def _phrase(keyword: str) -> str:
    words = [re.escape(w) + (r"\w*" if len(w) >= 4 and w[-1].isalpha() else r"(?:s|es)?")
             for w in keyword.split()]
    return r"(?<!\w)" + r"\W+(?:\w+\W+)?".join(words) + r"(?!\w)"
