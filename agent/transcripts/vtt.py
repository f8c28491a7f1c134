"""WebVTT (.vtt): cues with timing lines; speakers from ``<v Name (Role)>`` voice spans.

A cue without a voice span may name its speaker with a ``Name (Role):`` prefix, as
some meeting tools export; otherwise its speaker is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agent.transcripts.cues import Line, split_cues
from agent.transcripts.decode import numbered_lines
from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript
from agent.transcripts.speakers import Turn, finish, known_names, label_turns, split_name_role

# Blocks that carry no speech: the file header, comments, styles and regions.
_SKIPPED = re.compile(r"\s*(?:WEBVTT|(?:NOTE|STYLE|REGION)(?:\s|$))")
# <v Name>, <v.class Name> or bare <v>; the closing </v> is optional.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s(?P<who>[^<>]*))?>")
# Cue text tags (class, italics, bold, underline, voice, language, ruby) and the
# karaoke timestamps <00:00:01.000>. Other angle-bracket text is left as written.
_TAGS = re.compile(r"</?(?:c|i|b|u|v|lang|ruby|rt)(?:[.\s][^<>]*)?>|<\d+:\d{2}(?::\d{2})?\.\d{3}>")


def strip_tags(line: str) -> str:
    return _TAGS.sub("", line)


def _voice_turns(payload: list[Line], known: frozenset[str]) -> list[Turn]:
    """Split a payload at each voice tag; a line may hold more than one voice."""
    before_voice: list[Line] = []
    turns: list[Turn] = []
    for number, raw in payload:
        fragments: list[tuple[str, Turn | None]] = []
        position = 0
        for match in _VOICE.finditer(raw):
            fragments.append((raw[position : match.start()], turns[-1] if turns else None))
            speaker, role = split_name_role(match["who"] or "")
            turns.append(Turn(speaker, role, number))
            position = match.end()
        fragments.append((raw[position:], turns[-1] if turns else None))
        for fragment, turn in fragments:
            if turn is None:
                before_voice.append((number, fragment))
            else:
                turn.add(strip_tags(fragment).strip())
    # Text ahead of the first voice tag is read like an untagged cue.
    return label_turns(before_voice, known, strip_tags) + turns


def parse_vtt(text: str, source: str, roster: Mapping[str, str] | None = None) -> Transcript:
    cues = split_cues(numbered_lines(text), skip_block=lambda first: bool(_SKIPPED.match(first)))
    if not cues:
        raise TranscriptError(
            source,
            "WebVTT file has no cues; expected timing lines like "
            "'00:00:01.000 --> 00:00:04.000' followed by the spoken text",
        )
    known = known_names(roster)
    turns: list[Turn] = []
    for cue in cues:
        if any(_VOICE.search(line) for _, line in cue.payload):
            turns.extend(_voice_turns(cue.payload, known))
        else:
            turns.extend(label_turns(cue.payload, known, strip_tags))
    utterances = finish(turns, source, roster)
    if not utterances:
        raise TranscriptError(source, "no utterances found; every WebVTT cue is empty")
    return Transcript(source=source, format="vtt", utterances=utterances)
