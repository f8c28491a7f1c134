"""Sentence-level gold: every stakeholder sentence of a case, labelled by a rater.

The case gold (``evals/cases``) says what level a rater gives each dimension. The
sentence gold (``evals/sentences/<case>.yaml``) says *why*, sentence by sentence: which
indicators each stakeholder sentence is direct evidence for (``supports``), which it
denies first-hand (``contradicts``), which it could defensibly be credited to
(``also_ok``), and whether it is a bare claim or an attempt to instruct the assessor.

Two uses: the precision and recall of an engine's cited evidence, and the oracle reader
(a proposer that cites exactly this gold), which measures the level rule and the checks
on their own, with the reader taken out of the question.

Sentences are whole sentences of each non-facilitator utterance (``whole_sentences``),
so an engine quote (a clause or a sentence) is matched to the gold sentence it lies in.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.engines.sentences import is_facilitator, whole_sentences
from agent.knowledge.schema import FrameworkPack
from agent.paths import evals_dir
from agent.transcripts.model import Transcript


class GoldSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    source: str  # relative to evals/, as in the case's ``transcripts``
    line: int = Field(ge=1)
    speaker: str | None
    text: str
    supports: list[str] = []
    contradicts: list[str] = []
    also_ok: list[str] = []
    #: A self-assessment, hedge, plan or bare claim: never evidence, whatever it names.
    claim: bool = False
    #: Addresses the assessor or fakes a system message: never evidence.
    injection: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _no_evidence_from_claims(self) -> GoldSentence:
        if (self.claim or self.injection) and (self.supports or self.contradicts):
            raise ValueError(f"{self.id}: a claim or injection supports or contradicts nothing")
        both = set(self.supports) & set(self.contradicts)
        if both:
            raise ValueError(f"{self.id}: {sorted(both)} both supported and contradicted")
        return self

    @property
    def labelled(self) -> set[str]:
        return set(self.supports) | set(self.contradicts)


class SentenceGold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str
    framework: str
    #: Who labelled it (a rater's handle), and that no engine output was seen while labelling.
    rater: str
    blind: bool = False  # written and labelled by another author; never used for tuning
    #: The voice of the transcript's author, for reporting by voice.
    voice: str = ""
    sentences: list[GoldSentence]

    def check_ids(self, pack: FrameworkPack) -> list[str]:
        """Indicator ids the pack does not know (each one a labelling typo)."""
        known = pack.indicators()
        return sorted({i for s in self.sentences for i in (*s.labelled, *s.also_ok)
                       if i not in known})


def sentences_dir() -> Path:
    return evals_dir() / "sentences"


def load_sentence_gold(folder: Path | None = None) -> dict[str, SentenceGold]:
    folder = folder or sentences_dir()
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        gold = SentenceGold.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        out[gold.case] = gold
    return out


def skeleton(case_id: str, framework: str, transcripts: list[Transcript],
             relative: dict[str, str]) -> SentenceGold:
    """Every stakeholder sentence of the transcripts, unlabelled, for a rater to fill in."""
    sentences: list[GoldSentence] = []
    for t in transcripts:
        for u in t.utterances:
            if is_facilitator(u):
                continue
            speaker = f"{u.speaker} ({u.role})" if u.role else u.speaker
            for _, text in whole_sentences(u.text):
                text = text.strip()
                if text:
                    sentences.append(GoldSentence(
                        id=f"s{len(sentences) + 1:03d}", source=relative[u.source],
                        line=u.line, speaker=speaker, text=text))
    return SentenceGold(case=case_id, framework=framework, rater="", sentences=sentences)
