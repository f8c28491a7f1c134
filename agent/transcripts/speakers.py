"""Speaker labels shared by all formats: ``Name (Role): text`` prefixes and role filling.

Every reader collects :class:`Turn` objects and hands them to :func:`finish`, which
decides each turn's role and role category the same way for every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from agent.transcripts.model import Utterance
from agent.transcripts.roles import categorise_role

# A speaker label is short; looking at a bounded head of the line keeps the regex
# linear however long (or hostile) the line is.
_MAX_LABEL = 200
_LABEL = re.compile(
    r"(?P<name>[^():\s][^():]{0,79}?)[ \t]{0,8}(?:\((?P<role>[^()]{0,80})\))?[ \t]{0,8}:(?=\s|$)"
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Lowercase name particles ("Ludwig van Beethoven") that may follow a capitalised word.
_PARTICLES = _wordset("al bin da de del della der di du la le ten ter van von y")
_NAME_CHARS = frozenset(".'’-_")
# Capitalised words that introduce prose or meeting-notes headings, not people:
# "Note: ...", "Action Items: ...", "Next Steps: ...". Any of them rules out a label.
_NOT_NAMES = _wordset(
    """
    note notes nb fyi ps reminder important warning caution tip example edit update updates
    summary recap agenda minutes attendees participants date time location topic topics
    action actions item items decision decisions question questions answer answers next
    steps step todo takeaway takeaways key open follow follow-up outcome outcomes result
    results goal goals objective objectives issue issues problem problems risks blockers
    blocker context background status owner owners deadline priority conclusion meeting
    transcript subject re also so and but then well now okay ok yes no because however
    """
)


def looks_like_name(name: str) -> bool:
    """True for 1-4 capitalised words ("Priya", "Dr. Ana de Souza", "Speaker 2").

    This is what keeps prose such as "so the plan: ship it" from becoming a speaker.
    """
    words = name.split()
    if not 1 <= len(words) <= 4:
        return False
    for index, word in enumerate(words):
        if word.casefold() in _NOT_NAMES:
            return False
        if not all(c.isalnum() or c in _NAME_CHARS for c in word):
            return False
        # "not lowercase" rather than "uppercase" so names in scripts without case count.
        if word.isdigit() or (word[0].isalpha() and not word[0].islower()):
            continue
        if index > 0 and word in _PARTICLES:
            continue
        return False
    return True


@dataclass(frozen=True)
class Label:
    """A ``Name (Role):`` prefix found at the start of a line."""

    name: str
    role: str | None
    rest: str  # the text after the colon, stripped


def known_names(roster: Mapping[str, str] | None) -> frozenset[str]:
    """Roster names, casefolded, for :func:`parse_label`."""
    return frozenset(name.casefold() for name in roster or {})


def parse_label(line: str, known: frozenset[str] = frozenset()) -> Label | None:
    """The speaker label that starts ``line``, or None if the line is ordinary text.

    A name in ``known`` (casefolded roster names) counts as a speaker even if it does
    not look like one, so "dev-bot: ..." can be labelled through the roster.
    """
    stripped = line.lstrip()
    head = stripped[:_MAX_LABEL]
    if ":" not in head:  # the common case for continuation lines; skip the regex
        return None
    match = _LABEL.match(head)
    if match is None:
        return None
    name = match["name"].strip()
    if not (looks_like_name(name) or name.casefold() in known):
        return None
    role = (match["role"] or "").strip() or None
    return Label(name, role, stripped[match.end() :].strip())


def split_name_role(label: str) -> tuple[str | None, str | None]:
    """``"Ana Lopez (CTO)"`` -> ``("Ana Lopez", "CTO")``; blank parts become None."""
    label = label.strip()
    start = label.rfind("(")
    if not label.endswith(")") or start < 0 or ")" in label[start:-1]:
        return label or None, None
    return label[:start].strip() or None, label[start + 1 : -1].strip() or None


@dataclass
class Turn:
    """An utterance being collected: who, where it starts, and its lines so far."""

    speaker: str | None
    role: str | None
    line: int
    parts: list[str] = field(default_factory=list)
    # Extra names the roster may know this speaker by (a Slack user id).
    aliases: tuple[str, ...] = ()

    def add(self, text: str) -> None:
        # Blank lines are ignored, so an utterance never gains an empty line.
        if text.strip():
            self.parts.append(text)


def label_turns(
    lines: Iterable[tuple[int, str]],
    known: frozenset[str] = frozenset(),
    clean: Callable[[str], str] = str,
) -> list[Turn]:
    """Turns from numbered lines where ``Name (Role): text`` starts a new turn.

    A line without a label continues the turn above it; text before the first label
    becomes a turn with no speaker, so no words are dropped. ``clean`` removes a
    format's inline tags before the line is read.
    """
    turns: list[Turn] = []
    for number, raw in lines:
        text = clean(raw).strip()
        if not text:
            continue
        label = parse_label(text, known)
        if label is not None:
            turns.append(Turn(label.name, label.role, number))
            turns[-1].add(label.rest)
        elif turns:
            turns[-1].add(text)
        else:
            turns.append(Turn(None, None, number, [text]))
    return turns


def _roster_lookup(roster: Mapping[str, str]) -> dict[str, str]:
    # Names are matched case-insensitively: "priya" in a roster is "Priya" in a transcript.
    return {
        name.casefold(): role.strip()
        for name, role in roster.items()
        if isinstance(role, str) and role.strip()
    }


def finish(
    turns: Iterable[Turn], source: str, roster: Mapping[str, str] | None = None
) -> list[Utterance]:
    """Turn collected turns into utterances, dropping empty ones and filling roles.

    A role stated once ("Ana (CTO): ...") applies to that speaker's other turns; the
    roster only fills roles the transcript never states.
    """
    kept = [turn for turn in turns if turn.parts]
    stated: dict[str, str] = {}
    for turn in kept:
        if turn.speaker is not None and turn.role is not None:
            stated.setdefault(turn.speaker, turn.role)
    lookup = _roster_lookup(roster or {})
    utterances = []
    for turn in kept:
        role = turn.role
        if role is None and turn.speaker is not None:
            role = stated.get(turn.speaker)
            for name in (turn.speaker, *turn.aliases):
                role = role or lookup.get(name.casefold())
        utterances.append(
            Utterance(
                speaker=turn.speaker,
                role=role,
                role_category=categorise_role(role),
                text="\n".join(turn.parts),
                source=source,
                line=turn.line,
            )
        )
    return utterances
