"""Plain-text transcripts: ``Name (Role): text`` or ``Name: text``, one turn per line.

Lines without a speaker label continue the turn above them (see
:func:`~agent.transcripts.speakers.label_turns`).
"""

from __future__ import annotations

from collections.abc import Mapping

from agent.transcripts.decode import numbered_lines
from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript
from agent.transcripts.speakers import finish, known_names, label_turns


def parse_plain(text: str, source: str, roster: Mapping[str, str] | None = None) -> Transcript:
    turns = label_turns(numbered_lines(text), known_names(roster))
    utterances = finish(turns, source, roster)
    if not utterances:
        raise TranscriptError(
            source, "no utterances found; expected lines like 'Name (Role): what they said'"
        )
    return Transcript(source=source, format="text", utterances=utterances)
