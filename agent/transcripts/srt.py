"""SubRip (.srt): numbered cues, ``00:00:01,000 --> 00:00:04,000``, then text lines.

Speakers, when named at all, are a ``Name (Role):`` prefix on a text line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agent.transcripts.cues import split_cues
from agent.transcripts.decode import numbered_lines
from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript
from agent.transcripts.speakers import Turn, finish, known_names, label_turns

# The formatting SRT players understand: <b>, <i>, <u>, <s>, <font ...> and ASS-style
# position codes such as {\an8}. Anything else in angle brackets is left as written.
_TAGS = re.compile(r"</?(?:b|i|u|s|font)(?:\s[^<>]*)?>|\{\\[^{}]*\}", re.IGNORECASE)


def strip_tags(line: str) -> str:
    return _TAGS.sub("", line)


def parse_srt(text: str, source: str, roster: Mapping[str, str] | None = None) -> Transcript:
    cues = split_cues(numbered_lines(text), skip_block=lambda first: False)
    if not cues:
        raise TranscriptError(
            source,
            "SRT file has no cues; expected numbered cues with timing lines like "
            "'00:00:01,000 --> 00:00:04,000'",
        )
    known = known_names(roster)
    turns: list[Turn] = []
    for cue in cues:
        turns.extend(label_turns(cue.payload, known, strip_tags))
    utterances = finish(turns, source, roster)
    if not utterances:
        raise TranscriptError(source, "no utterances found; every SRT cue is empty")
    return Transcript(source=source, format="srt", utterances=utterances)
