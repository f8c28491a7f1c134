"""Slack export JSON: one channel-day file, a list of message objects.

``line`` is the message's 1-based position in the list, counting skipped messages
too, so it always points at the same object in the file. ``text`` is kept exactly
as exported (Slack markup included) so quotes can be checked against it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from agent.transcripts.errors import TranscriptError
from agent.transcripts.model import Transcript
from agent.transcripts.speakers import Turn, finish, split_name_role

_HINT = "pass a Slack channel export file (a JSON list of messages)"
# Keys every Slack message has at least one of; a list of objects with none of them
# is some other JSON file.
_MESSAGE_KEYS = frozenset({"type", "user", "text", "ts"})


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # An unterminated string is reported where it starts, but it too means the
        # text stopped mid-value.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise TranscriptError(
                source,
                f"JSON ends too early ({exc.msg.lower().removesuffix(' at')} at line "
                f"{exc.lineno}, column {exc.colno}), so the file looks truncated; "
                "export the Slack channel again",
            ) from None
        raise TranscriptError(
            source,
            f"not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); {_HINT}",
        ) from None
    except RecursionError:
        raise TranscriptError(source, f"JSON is nested too deeply to read; {_HINT}") from None
    except ValueError:
        # e.g. an integer with more digits than Python will convert.
        raise TranscriptError(source, f"JSON holds a value that cannot be read; {_HINT}") from None


def _string(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _speaker(message: Mapping[str, Any]) -> tuple[str | None, str | None]:
    profile = message.get("user_profile")
    profile = profile if isinstance(profile, Mapping) else {}
    for name in (message.get("user_name"), profile.get("real_name"), profile.get("display_name")):
        if (label := _string(name)) is not None:
            speaker, role = split_name_role(label)
            if speaker is not None:
                return speaker, role
    return _string(message.get("user")), None


def _encodable(*values: str | None) -> bool:
    # JSON escapes can spell lone surrogates ("\\ud800") that no later step could print.
    try:
        for value in values:
            if value is not None:
                value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "null")


def parse_slack(text: str, source: str, roster: Mapping[str, str] | None = None) -> Transcript:
    messages = _load(text, source)
    if not isinstance(messages, list):
        raise TranscriptError(source, f"JSON is {_kind(messages)}, not a list of messages; {_HINT}")
    for index, message in enumerate(messages, start=1):
        if not isinstance(message, dict):
            raise TranscriptError(
                source, f"JSON item {index} is {_kind(message)}, not a message object; {_HINT}"
            )
    if messages and not any(_MESSAGE_KEYS & message.keys() for message in messages):
        raise TranscriptError(source, f"JSON objects have no user, text or ts; {_HINT}")
    turns: list[Turn] = []
    for index, message in enumerate(messages, start=1):
        # Joins, topic changes, bot posts and other non-human events carry a subtype
        # or a bot_id; they are not stakeholder evidence.
        if message.get("subtype") or message.get("bot_id"):
            continue
        body = message.get("text")
        if not isinstance(body, str) or not body.strip():
            continue
        speaker, role = _speaker(message)
        user = _string(message.get("user"))
        if not _encodable(body, speaker, role, user):
            raise TranscriptError(
                source, f"message {index} holds invalid Unicode (a lone surrogate); {_HINT}"
            )
        turn = Turn(speaker, role, index, aliases=(user,) if user else ())
        turn.parts.append(body)  # verbatim: no stripping, Slack markup kept
        turns.append(turn)
    utterances = finish(turns, source, roster)
    if not utterances:
        raise TranscriptError(source, "no utterances found; the export has no messages from people")
    return Transcript(source=source, format="slack-json", utterances=utterances)
