"""Slack's message markup in and out: read replies as plain text, escape what we post."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>|<([^<>@#!][^<>]*)>")
_SPECIAL = re.compile(r"<!(\w+)(?:\|[^>]*)?>")


def plain_text(text: str, bot_user: str | None = None) -> str:
    """A reply as the person typed it: no bot mention, links as their label, no entities.

    Quotes in the evidence are checked against this text, so it is exactly what we
    store as the answer.
    """
    if bot_user:
        text = re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", text)
    text = _MENTION.sub(lambda m: f"@{m.group(1)}", text)
    text = _SPECIAL.sub(lambda m: f"@{m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def escape(text: str) -> str:
    """Escape the three characters Slack reads as markup, so nothing we echo becomes a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def split_text(text: str, limit: int = 3500) -> list[str]:
    """Cut ``text`` into parts of at most ``limit`` characters, at line ends where possible."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # a single over-long line: cut it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current.strip():
        parts.append(current)
    return [p.rstrip("\n") for p in parts if p.strip()]
