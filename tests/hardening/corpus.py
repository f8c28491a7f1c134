"""The bad-input corpus: every kind of transcript file a user can get wrong.

Each case is generated (binary noise, a 50 MB file and 100,000 levels of JSON do not
belong in git) and says what the CLI must do with it: fail with exit 2 and one line
that matches ``message``, or recover and score (``message`` None).

Write the corpus out to look at it:  python tests/hardening/corpus.py DIR
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SPEECH = "Ana Souza (Head of Data): Every dataset in the catalog has a named owner.\n"


@dataclass(frozen=True)
class BadInput:
    name: str        # file name, extension included (detection looks at it)
    make: Callable[[], bytes]
    message: str | None  # regex the one stderr line must match; None: the run recovers

    @property
    def data(self) -> bytes:
        return self.make()


def _noise(size: int, seed: int, allow_nul: bool) -> bytes:
    rng = random.Random(seed)
    low = 0 if allow_nul else 1
    return bytes(rng.randrange(low, 256) for _ in range(size))


def _fifty_megabytes() -> bytes:
    line = SPEECH.encode()
    return line * (50 * 1024 * 1024 // len(line) + 1)


def _truncated_slack() -> bytes:
    messages = [{"user": "U1", "user_name": "Ana (CTO)", "text": "We ship weekly.", "ts": str(i)}
                for i in range(5)]
    return json.dumps(messages).encode()[:-17]


CASES: tuple[BadInput, ...] = (
    BadInput("empty.txt", lambda: b"", r"file is empty"),
    BadInput("whitespace.txt", lambda: b"  \n\t\r\n   \n", r"contains only whitespace"),
    BadInput("binary.bin", lambda: _noise(4096, 1, allow_nul=True), r"binary"),
    BadInput("binary-no-nul.txt", lambda: _noise(4096, 2, allow_nul=False), r"binary|not UTF-8"),
    BadInput("utf16-no-bom.txt", lambda: SPEECH.encode("utf-16-le"), r"UTF-16 without a byte-order mark"),
    BadInput("latin1.txt", lambda: "Ana (CTO): Le café ship weekly.\n".encode("latin-1"),
             r"not UTF-8 text \(byte 0xe9 at line 1"),
    BadInput("cp1252.txt", lambda: ("Ana (CTO): we said “ship it” and we did, every week since spring.\n" * 3).encode("cp1252"),
             r"not UTF-8 text"),
    BadInput("bad-utf16-bom.txt", lambda: b"\xff\xfe" + b"A\x00B", r"not valid UTF-16"),
    BadInput("huge.txt", _fifty_megabytes, r"over the limit .* split the transcript"),
    BadInput("deep.json", lambda: b"[" * 100_000 + b"]" * 100_000, r"nested too deeply"),
    BadInput("deep-objects.json", lambda: b'{"a":' * 50_000 + b"1" + b"}" * 50_000, r"."),
    BadInput("truncated.json", _truncated_slack, r"truncated"),
    BadInput("not-a-list.json", lambda: b'{"messages": "none"}', r"."),
    BadInput("no-cues.vtt", lambda: b"WEBVTT\n\nNOTE only a comment, no cues\n", r"no cues"),
    BadInput("srt-no-text.srt", lambda: b"1\n00:00:01,000 --> 00:00:02,000\n\n", r"."),
    # Readable, but there is nothing to assess: the run recovers with every level null.
    BadInput("one-word.txt", lambda: b"hello\n", None),
    BadInput("utf16-with-bom.txt", lambda: SPEECH.encode("utf-16"), None),
    BadInput("utf8-bom.txt", lambda: b"\xef\xbb\xbf" + SPEECH.encode(), None),
)


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.data)
        paths[case.name] = path
    return paths


if __name__ == "__main__":
    for name, path in write_corpus(Path(sys.argv[1])).items():
        print(f"{name}\t{path.stat().st_size:,} bytes")
