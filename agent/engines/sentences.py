"""Split an utterance into sentences without changing a character of them.

Evidence quotes must occur verbatim in the source, so sentences are slices of the
utterance text (stripped of surrounding whitespace), never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.transcripts.model import Transcript, Utterance

# A sentence ends at . ! ? (optionally followed by quotes/brackets) before whitespace,
# or at a line break. Abbreviations like "e.g." and version numbers ("v2.1") do not
# end a sentence because the next character is not whitespace + capital or because
# of the explicit exceptions below.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Mr.", "Ms.", "Dr.", "St.", "No.")
MIN_WORDS = 3
# Clauses: a sentence often carries several facts ("Ingestion is scheduled; nobody
# hand-exports anything"), and a negation in one clause must not flip the other.
_CLAUSE = re.compile(r"\s*;\s+|\s+[—–]\s+|,\s+(?=(?:but|so|while|whereas|although|though|"
                     r"except|yet)\b)|\s+(?=but\b)")
MIN_CLAUSE_WORDS = 4
# Whoever runs the meeting asks; their words are not evidence about the organisation.
_FACILITATOR = re.compile(r"facilitat|interview|assessor|moderat|consultant|host\b", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    utterance: Utterance
    index: int  # position of the sentence within the utterance

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_sentences(utterance: Utterance) -> list[Sentence]:
    text = utterance.text
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()]
        if candidate.rstrip().endswith(_ABBREVIATIONS):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(text[start:])
    out: list[Sentence] = []
    for piece in pieces:
        for clause in _clauses(piece.strip()):
            if len(clause.split()) >= MIN_WORDS:
                out.append(Sentence(clause, utterance, len(out)))
    return out


def _clauses(sentence: str) -> list[str]:
    """Split at clause boundaries, keeping short fragments attached to their neighbour."""
    parts: list[str] = []
    start = 0
    for match in _CLAUSE.finditer(sentence):
        head = sentence[start : match.start()]
        if len(head.split()) >= MIN_CLAUSE_WORDS and len(sentence[match.end():].split()) >= (
                MIN_CLAUSE_WORDS):
            parts.append(head)
            start = match.end()
    parts.append(sentence[start:])
    return [p.strip() for p in parts if p.strip()]


def is_facilitator(utterance: Utterance) -> bool:
    return bool(utterance.role and _FACILITATOR.search(utterance.role))


def evidence_sentences(transcripts: list[Transcript]) -> list[Sentence]:
    """Sentences that can be evidence: not the facilitator's, not questions."""
    return [
        s
        for t in transcripts
        for u in t.utterances
        if not is_facilitator(u)
        for s in split_sentences(u)
        if not s.text.rstrip("\"')]").endswith("?")
    ]
