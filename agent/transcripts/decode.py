"""From a path or bytes to checked text: every "this is not a transcript" error lives here."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from agent.transcripts.errors import TranscriptError

MAX_BYTES = 10 * 1024 * 1024

_EXPORT_HINT = "export the transcript as text (.txt, .vtt, .srt or a Slack .json file)"
# Control characters other than tab, newlines and form feeds never occur in real
# transcripts; more than a few per hundred characters means the file is not text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_C0_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.05
_BOMS = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(path: str, size: int) -> TranscriptError:
    return TranscriptError(
        path,
        f"file is {size:,} bytes ({_megabytes(size)}), over the limit of {MAX_BYTES:,} bytes "
        f"({_megabytes(MAX_BYTES)}); split the transcript into smaller files",
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after checking it exists, is a file and is not too large."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TranscriptError(name, "file not found; check the path") from None
    except (OSError, ValueError) as exc:
        # ValueError: a path with a NUL character in it.
        raise TranscriptError(name, f"cannot be opened ({_reason(exc)}); check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise TranscriptError(name, "is a directory; pass the transcript files inside it")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device such as /dev/zero could block or never end.
        raise TranscriptError(name, "is not a regular file; pass a transcript file")
    # Check the size before reading, so a huge file is never loaded into memory.
    if info.st_size > MAX_BYTES:
        raise _too_large(name, info.st_size)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        problem = f"cannot be read ({_reason(exc)}); check its permissions"
        raise TranscriptError(name, problem) from None
    if len(data) > MAX_BYTES:  # it grew after the size check
        raise _too_large(name, len(data))
    return data


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (BOM optional), or UTF-16/UTF-32 when a BOM says so, then check it."""
    if not data:
        raise TranscriptError(source, "file is empty; export the transcript again")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise TranscriptError(
                    source,
                    f"starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}; re-save the transcript as UTF-8",
                ) from None
            return check_text(text.removeprefix("\ufeff"), source)
    if b"\x00" in data:
        # UTF-16 without a byte-order mark also lands here; say so, it is a common export.
        raise TranscriptError(
            source,
            "contains NUL bytes, so it is binary (or UTF-16 without a byte-order mark); "
            "re-save the transcript as UTF-8 text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, exc, source) from None
    return check_text(text.removeprefix("\ufeff"), source)


def _not_utf8(data: bytes, exc: UnicodeDecodeError, source: str) -> TranscriptError:
    # Judge "binary" on a single-byte reading: text saved as Windows-1252 or Latin-1 reads
    # cleanly that way (a short French line would otherwise be mostly "junk" in a UTF-8
    # reading), while binary data is full of control bytes whatever the encoding.
    legacy = data.decode("cp1252", errors="replace")
    junk = legacy.count("\ufffd") + len(_C0_CONTROL.findall(legacy))
    if junk > _MAX_CONTROL_SHARE * len(legacy):
        return TranscriptError(source, f"looks like a binary file, not text; {_EXPORT_HINT}")
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return TranscriptError(
        source,
        f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, column {column}; "
        "probably Windows-1252 or Latin-1); re-save the transcript as UTF-8",
    )


def check_text(text: str, source: str) -> str:
    """Reject text that is empty, binary-looking or holds unencodable characters."""
    if not text:
        raise TranscriptError(source, "file is empty; export the transcript again")
    if not text.strip():
        raise TranscriptError(source, "contains only whitespace; export the transcript again")
    if "\x00" in text or len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise TranscriptError(source, f"looks like a binary file, not text; {_EXPORT_HINT}")
    try:
        # Lone surrogates (possible from UTF-16 or JSON escapes) would break any later
        # attempt to print, store or send the text.
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TranscriptError(
            source, "contains invalid Unicode (a lone surrogate); re-save the transcript as UTF-8"
        ) from None
    return text


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """The text's lines with 1-based numbers, splitting on \\r\\n, \\r and \\n only.

    ``str.splitlines`` also splits on form feeds, U+2028 and other separators that
    editors do not count as new lines, which would throw the line numbers off.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return list(enumerate(lines, start=1))
