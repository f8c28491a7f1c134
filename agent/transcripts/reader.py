"""Entry points: read transcript files (or in-memory text) into :class:`Transcript`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from agent.transcripts.decode import check_text, decode, read_bytes
from agent.transcripts.detect import FORMATS, detect_format
from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript
from agent.transcripts.plain import parse_plain
from agent.transcripts.slack import parse_slack
from agent.transcripts.srt import parse_srt
from agent.transcripts.vtt import parse_vtt

Parser = Callable[[str, str, Mapping[str, str] | None], Transcript]
_PARSERS: dict[str, Parser] = {
    "text": parse_plain,
    "vtt": parse_vtt,
    "srt": parse_srt,
    "slack-json": parse_slack,
}


def parse_text(
    text: str,
    source: str,
    fmt: str | None = None,
    roster: Mapping[str, str] | None = None,
) -> Transcript:
    """Parse transcript text; ``fmt`` is one of ``FORMATS`` or None to detect it.

    ``source`` names the transcript in utterances and error messages; its extension,
    if any, helps detection.
    """
    if fmt is not None and fmt not in _PARSERS:
        raise TranscriptError(
            source, f"unknown transcript format {fmt!r}; use one of {', '.join(FORMATS)}"
        )
    text = check_text(text.removeprefix("\ufeff"), source)
    chosen = fmt or detect_format(text, source)
    try:
        return _PARSERS[chosen](text, source, roster)
    except RecursionError:
        # Defensive: no reader recurses on input, but a UserError is the promise.
        raise TranscriptError(source, "is nested too deeply to read") from None


def parse_bytes(
    data: bytes,
    source: str,
    fmt: str | None = None,
    roster: Mapping[str, str] | None = None,
) -> Transcript:
    """Decode ``data`` (UTF-8, or UTF-16/32 with a BOM) and parse it like :func:`parse_text`."""
    return parse_text(decode(data, source), source, fmt, roster)


def read_transcript(path: Path, roster: Mapping[str, str] | None = None) -> Transcript:
    """Read one transcript file, detecting its format from content and extension."""
    path = Path(path)
    return parse_bytes(read_bytes(path), str(path), roster=roster)


def read_transcripts(
    paths: Sequence[Path], roster: Mapping[str, str] | None = None
) -> list[Transcript]:
    """Read several transcript files; the first bad one stops with its error."""
    return [read_transcript(path, roster) for path in paths]
