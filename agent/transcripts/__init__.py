"""Transcript readers: plain text, WebVTT, SRT and Slack export JSON.

Every reader returns a :class:`Transcript` of :class:`Utterance` objects whose text is
the source text verbatim (minus caption tags and speaker labels), so quotes can be
checked against it. Bad input of any kind raises :class:`TranscriptError`, a
``UserError`` with a one-line message naming the file.
"""

from __future__ import annotations

from agent.transcripts.decode import MAX_BYTES
from agent.transcripts.detect import FORMATS, detect_format
from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript, Utterance
from agent.transcripts.reader import parse_bytes, parse_text, read_transcript, read_transcripts
from agent.transcripts.roles import CATEGORIES, categorise_role

__all__ = [
    "CATEGORIES",
    "FORMATS",
    "MAX_BYTES",
    "Transcript",
    "TranscriptError",
    "Utterance",
    "categorise_role",
    "detect_format",
    "parse_bytes",
    "parse_text",
    "read_transcript",
    "read_transcripts",
]
