"""Split an utterance into sentences without changing a character of them.

Evidence quotes must occur verbatim in the source, so sentences are slices of the
utterance text (stripped of surrounding whitespace), never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.engines.language import is_injection
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
# ... and where a transcript names no role, the label itself may say it: "Interviewer:",
# "Q:", "Facilitator:", or a bot ("maturity-bot", "Survey Bot"). A role that mentions a
# bot is a person's job ("Voice Bot Product Owner"), so only the label's name counts.
_FACILITATOR_NAME = re.compile(r"^\W*(?:interviewer|facilitator|moderator|assessor|host|q|"
                               r"question|[\w .-]*\bbot|[\w.-]*-bot|maturity)\W*$", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    utterance: Utterance
    index: int  # position of the sentence within the utterance
    start: int = 0  # offset of ``text`` in the utterance text

    @property
    def words(self) -> int:
        return len(self.text.split())


def whole_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of ``text``, split at sentence ends only, never at clauses."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()]
        if candidate.rstrip().endswith(_ABBREVIATIONS):
            continue
        pieces.append((start, candidate))
        start = match.end()
    pieces.append((start, text[start:]))
    return pieces


def split_sentences(utterance: Utterance) -> list[Sentence]:
    out: list[Sentence] = []
    for offset, piece in whole_sentences(utterance.text):
        for at, clause in _clauses(piece):
            if len(clause.split()) >= MIN_WORDS:
                out.append(Sentence(clause, utterance, len(out), offset + at))
    return out


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """Split at clause boundaries, keeping short fragments attached to their neighbour.

    Returns (offset in ``sentence``, stripped clause) pairs.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE.finditer(sentence):
        head = sentence[start : match.start()]
        if len(head.split()) >= MIN_CLAUSE_WORDS and len(sentence[match.end():].split()) >= (
                MIN_CLAUSE_WORDS):
            bounds.append((start, match.start()))
            start = match.end()
    bounds.append((start, len(sentence)))
    out = []
    for a, b in bounds:
        part = sentence[a:b]
        if part.strip():
            out.append((a + len(part) - len(part.lstrip()), part.strip()))
    return out


def is_facilitator(utterance: Utterance) -> bool:
    """Whoever runs the session (or a bot posting in it): never a stakeholder."""
    return bool(utterance.role and _FACILITATOR.search(utterance.role)) or bool(
        utterance.speaker and _FACILITATOR_NAME.match(utterance.speaker))


# Someone reading out the agenda ("Question four, technology.") says nothing about it.
_HEADING = re.compile(r"^\W*(?:question|q)\s*(?:\d+|one|two|three|four|five|six|seven|eight|"
                      r"nine|ten)\b\W*", re.I)


def is_question(sentence: Sentence) -> bool:
    return sentence.text.rstrip("\"')]*_").endswith("?") or bool(_HEADING.match(sentence.text))


def evidence_sentences(transcripts: list[Transcript]) -> list[Sentence]:
    """Sentences that can be evidence: not the facilitator's, not questions."""
    return [
        s
        for t in transcripts
        for u in t.utterances
        if not is_facilitator(u)
        for s in split_sentences(u)
        if not is_question(s)
    ]


def whole_evidence_sentences(transcripts: list[Transcript]) -> list[Sentence]:
    """Whole sentences (never cut at a clause) that can be evidence: the quote a reader
    sees keeps its "but ..." (the trained reader's unit; stance is still read per clause)."""
    out: list[Sentence] = []
    for t in transcripts:
        for u in t.utterances:
            if is_facilitator(u):
                continue
            for offset, piece in whole_sentences(u.text):
                text = piece.strip()
                if len(text.split()) < MIN_WORDS:
                    continue
                sentence = Sentence(text, u, len(out), offset + len(piece) - len(piece.lstrip()))
                if not is_question(sentence):
                    out.append(sentence)
    return out


def questions_answered(transcripts: list[Transcript]) -> dict[tuple[str, int, int], str]:
    """For each sentence (source, line, start), the question it answers, if any.

    That is the last question put before it, by the facilitator or anyone else, or read
    out from a question sheet ("Question two, strategy and funding."). A reply such as
    "Not formally." only makes sense read with the question it answers. An attempt to
    instruct the assessor is no question, so it sets no context (it must change nothing).
    """
    out: dict[tuple[str, int, int], str] = {}
    for t in transcripts:
        asked: str | None = None
        for u in t.utterances:
            for s in split_sentences(u):
                if is_injection(s.text):
                    continue
                if is_question(s):
                    asked = _HEADING.sub("", s.text).strip(" ,.:;-") or s.text
                elif asked:
                    out[(u.source, u.line, s.start)] = asked
    return out
