"""What every transcript reader produces: utterances with who said them and where."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Utterance(BaseModel):
    """One turn of speech (or one chat message), as it stands in its source.

    ``line`` is 1-based: the line of the file where the utterance starts for plain
    text, WebVTT and SRT, and the message index for Slack export JSON. ``text`` is the
    utterance exactly as written (continuation lines joined with a newline), so a quote
    can always be checked against it.
    """

    model_config = ConfigDict(frozen=True)

    speaker: str | None
    role: str | None = None
    role_category: str | None = None
    text: str
    source: str
    line: int = Field(ge=1)


class Transcript(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    format: str
    utterances: list[Utterance]
