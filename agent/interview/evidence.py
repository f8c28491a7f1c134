"""Evidence for a session's answers: the session read as a transcript, every dimension.

An interview is a question-and-answer exchange, so the session's answers are read by the
engine exactly as a meeting transcript is: one transcript in which each answer follows
the question it replies to ("interviewer asks, stakeholder answers"), in one
``propose`` call. So an answer is read against every dimension, not only the one its
question was about: the dbt tests mentioned in a reply about strategy move the data
dimension, as they would in a transcript. (Reading each answer alone would also change
what the engine may conclude from the rest of the conversation, which a transcript
never hides from it.) The reading is cached per session content, so a turn reads the
session once however many times the planner and the scorecard ask for it. The LLM
turn's proposals are stored with their answer in the session and used instead.

The offline engine underneath also keeps the indicator vectors it reads from the index
and every sentence embedding, which do not change while the index stands, so a turn
embeds only the new answer. MiniLM's output for a text does not depend on the rest of
its batch, so cached vectors are exactly the ones a fresh run would compute.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from agent.assessment.model import Evidence
from agent.engines.base import EvidenceEngine, Proposal, injection_evidence
from agent.engines.language import is_injection
from agent.engines.offline import OfflineEngine
from agent.engines.sentences import Sentence, evidence_sentences
from agent.knowledge.schema import FrameworkPack
from agent.retrieval.embedder import Embedder, Vectors
from agent.retrieval.index import KnowledgeIndex
from agent.transcripts.model import Transcript, Utterance

INTERVIEWER = "Interviewer"  # a facilitator role: its words are never evidence

AnswerKey = tuple[str, str, int, str | None, str | None, str, str | None]
Exchange = tuple[Utterance, str | None]  # an answer and the question it replies to


@dataclass
class AnswerReading:
    evidence: list[Evidence] = field(default_factory=list)
    injections: list[Evidence] = field(default_factory=list)
    sentences: int = 0


class AnswerReader:
    """Reads a session's answers (each with the question it answers) through an engine,
    as one transcript, once per distinct session content."""

    def __init__(self, engine: EvidenceEngine, max_entries: int = 256) -> None:
        self.engine = engine
        self.max_entries = max_entries
        self._cache: OrderedDict[tuple[str, tuple[AnswerKey, ...]], AnswerReading] = (
            OrderedDict())
        self._lock = threading.Lock()
        self.reads = 0  # times the engine has read a session (tests, benchmarks)

    @property
    def name(self) -> str:
        return self.engine.name

    def read(self, pack: FrameworkPack, answer: Utterance, question: str | None) -> AnswerReading:
        """One answer on its own (a session of one exchange)."""
        return self.read_session(pack, [(answer, question)])

    def read_session(self, pack: FrameworkPack, exchanges: Sequence[Exchange]) -> AnswerReading:
        key = (pack.id, tuple((u.source, u.text, u.line, u.speaker, u.role, u.role_category
                               or "", q) for u, q in exchanges))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        reading = self._read(pack, exchanges)
        with self._lock:
            self.reads += 1
            self._cache[key] = reading
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return reading

    def _read(self, pack: FrameworkPack, exchanges: Sequence[Exchange]) -> AnswerReading:
        if not exchanges:
            return AnswerReading()
        source = exchanges[0][0].source
        utterances: list[Utterance] = []
        for answer, question in exchanges:
            if question:
                utterances.append(Utterance(speaker=INTERVIEWER, role=INTERVIEWER, text=question,
                                            source=f"{answer.source}#question",
                                            line=answer.line))
            utterances.append(answer)
        proposal = self.engine.propose(
            [Transcript(source=source, format="interview", utterances=utterances)], pack)
        mine = {(u.source, u.line) for u, _ in exchanges}
        answers_only = Transcript(source=source, format="interview",
                                  utterances=[u for u, _ in exchanges])
        return AnswerReading(
            evidence=[e for e in proposal.evidence if (e.source, e.line) in mine],
            injections=[e for e in proposal.injections if (e.source, e.line) in mine],
            sentences=len(evidence_sentences([answers_only])))


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    irrelevant_dropped: int = 0


class SessionEngine:
    """The evidence engine ``assess`` sees for a session: recorded proposals (the LLM
    turn's) where an answer has them, the answer reader's elsewhere."""

    def __init__(self, name: str, recorded: Mapping[tuple[str, int], list[Evidence]],
                 reader: AnswerReader | None, question_of: Callable[[Utterance], str | None],
                 usage: Usage = Usage(), warnings: Sequence[tuple[str, str]] = (),
                 flagged: Collection[tuple[str, int]] = ()) -> None:
        self._name = name
        self.recorded = recorded
        self.flagged = flagged  # answers the model reported as trying to instruct it
        self.reader = reader
        self.question_of = question_of
        self.usage = usage
        self.warnings = list(warnings)

    @property
    def name(self) -> str:
        return self._name

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        proposal = Proposal(evidence=[], prompt_tokens=self.usage.prompt_tokens,
                            completion_tokens=self.usage.completion_tokens,
                            cost_usd=self.usage.cost_usd, warnings=list(self.warnings),
                            irrelevant_dropped=self.usage.irrelevant_dropped)
        unread: list[Exchange] = []
        for t in transcripts:
            for u in t.utterances:
                items = self.recorded.get((u.source, u.line))
                if items is not None:
                    proposal.evidence += items
                    sentences = evidence_sentences(
                        [Transcript(source=u.source, format=t.format, utterances=[u])])
                    proposal.sentences += len(sentences)
                    proposal.injections += _injections(u, sentences, (u.source, u.line)
                                                       in self.flagged)
                else:
                    unread.append((u, self.question_of(u)))
        if unread and self.reader is not None:
            reading = self.reader.read_session(pack, unread)
            proposal.evidence += reading.evidence
            proposal.injections += reading.injections
            proposal.sentences += reading.sentences
        return proposal


def _injections(u: Utterance, sentences: Sequence[Sentence], flagged: bool) -> list[Evidence]:
    """The same injection rule the offline engine applies, plus the model's own report."""
    hits = [s.text for s in sentences if is_injection(s.text)]
    if flagged and not hits:
        hits = [sentences[0].text if sentences else u.text]
    return [injection_evidence(u, text) for text in hits]


class CachingEmbedder:
    """Embeds each distinct text once; later calls take the stored vector."""

    def __init__(self, inner: Embedder, max_entries: int = 100_000) -> None:
        self.inner = inner
        self.max_entries = max_entries
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self.embedded = 0  # texts the inner embedder has seen (tests, benchmarks)

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> Vectors:
        texts = list(texts)
        if not texts:
            return self.inner.embed([])
        with self._lock:
            found = {t: v for t in texts if (v := self._vectors.get(t)) is not None}
        fresh = [t for t in dict.fromkeys(texts) if t not in found]
        if fresh:
            found.update(zip(fresh, self.inner.embed(fresh), strict=True))
            with self._lock:
                self.embedded += len(fresh)
                self._vectors.update((t, found[t]) for t in fresh)
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32)


class _StoredVectors:
    """A knowledge index whose stored vectors are read once per id list and whose
    embedder caches by text."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self._index = index
        self.embedder = CachingEmbedder(index.embedder)
        self._vectors: dict[tuple[str, ...], Vectors] = {}
        self._lock = threading.Lock()

    def vectors(self, ids: Sequence[str]) -> Vectors:
        key = tuple(ids)
        with self._lock:
            cached = self._vectors.get(key)
        if cached is None:
            cached = self._index.vectors(ids)
            with self._lock:
                self._vectors[key] = cached
        return cached.copy()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


class InterviewOfflineEngine(OfflineEngine):
    """The offline engine with what does not change between answers kept: the stored
    indicator vectors and every sentence embedding. Readings are unchanged."""

    def __init__(self, base: OfflineEngine) -> None:
        stored = _StoredVectors(base.index)
        super().__init__(cast(KnowledgeIndex, stored), base.settings, base.reader_settings,
                         base.trained)
        self.embedder = stored.embedder


def interview_engine(engine: EvidenceEngine) -> EvidenceEngine:
    return InterviewOfflineEngine(engine) if isinstance(engine, OfflineEngine) else engine
