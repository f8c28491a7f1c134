"""What WebVTT and SRT share: blank-line separated blocks and timing lines.

In both formats a timing line ``start --> end`` opens a cue; lines before it in its
block are its identifier (an SRT index) and lines after it are the payload. The
readers differ in header blocks, tags and voice spans, which they handle themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

Line = tuple[int, str]

# Anchored, with no overlapping repeats, so a long hostile line costs linear time.
_TIME = r"\d+:\d{2}(?::\d{2})?[.,]\d{1,3}"
TIMING = re.compile(rf"[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}(?:\s|$)")
# The same, found anywhere in a text at the start of a line (after \n, \r or \r\n).
TIMING_LINE = re.compile(rf"(?:\A|(?<=[\r\n])){TIMING.pattern}", re.MULTILINE)


def is_timing(line: str) -> bool:
    return TIMING.match(line) is not None


@dataclass
class Cue:
    payload: list[Line] = field(default_factory=list)


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = [[]]
    for number, line in lines:
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def split_cues(lines: list[Line], skip_block: Callable[[str], bool]) -> list[Cue]:
    """The cues in a file, each with its payload lines and their line numbers.

    ``skip_block`` gets a block's first line and says whether to drop a block without
    cues (a WebVTT header, NOTE, STYLE or REGION block).
    """
    cues: list[Cue] = []
    for block in _blocks(lines):
        # Lines before a block's first timing line are never payload, so a header
        # directly followed by a cue (no blank line between) still yields the cue.
        starts = [i for i, (_, line) in enumerate(block) if is_timing(line)]
        if not starts and skip_block(block[0][1]):
            continue
        if not starts:
            # Text after a blank line inside a payload: captioning tools do write this,
            # and the words are evidence, so it continues the previous cue.
            if cues:
                cues[-1].payload.extend(block)
            continue
        # Usually one cue per block; more when the blank line between cues is missing.
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(block)
            payload = block[start + 1 : end]
            if k + 1 < len(starts) and payload and payload[-1][1].strip().isdigit():
                payload = payload[:-1]  # the next cue's SRT index, not this cue's words
            cues.append(Cue(payload))
    return cues
