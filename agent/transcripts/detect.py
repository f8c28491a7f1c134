"""Which reader a transcript needs, judged from its content first and its extension second.

Content wins because files get renamed and mislabelled: a ``.txt`` that starts with
``WEBVTT`` is WebVTT. The extension only decides when the content shows no sign of
any format, so a ``.vtt`` with no cues reports "no cues" rather than being read as
plain text.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from agent.transcripts.cues import TIMING_LINE
from agent.transcripts.decode import numbered_lines
from agent.transcripts.speakers import parse_label

FORMATS = ("text", "vtt", "srt", "slack-json")
_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".vtt": "vtt",
    ".srt": "srt",
    ".json": "slack-json",
}
_WEBVTT = re.compile(r"WEBVTT(?:\s|$)")
# "[{", "[]", "[[" or '["' (a JSON list), or "{" (JSON, though not a Slack export).
# "[Music]" or "[00:01] Ana: ..." is plain text, not broken JSON.
_JSON_START = re.compile(r'\[\s*(?:[{\["\]]|$)|\{')


def detect_format(text: str, source: str) -> str:
    """One of :data:`FORMATS` for ``text`` read from a file named ``source``."""
    head = text.lstrip()
    if _WEBVTT.match(head):
        return "vtt"
    if _JSON_START.match(head):
        return "slack-json"
    extension = _BY_EXTENSION.get(PurePath(source).suffix.lower())
    # The plain "-->" test is fast and spares most texts the slower line-anchored search.
    timing = TIMING_LINE.search(text) if "-->" in text else None
    if timing is not None:
        if extension in ("vtt", "srt"):
            return extension
        # SRT writes milliseconds after a comma, WebVTT after a dot.
        return "srt" if "," in timing[0].split("-->")[0] else "vtt"
    if ":" in text and any(parse_label(line) for _, line in numbered_lines(text)):
        return "text"
    return extension or "text"
