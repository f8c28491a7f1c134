"""Redaction of e-mail addresses and phone numbers (``--redact``).

Applied to utterances as soon as they are read, before any engine sees them, so the
redacted text is what is sent to an LLM, quoted as evidence and stored in reports,
sessions and history. Quotes stay checkable: they are verified against the redacted
text, which is the only text the rest of the pipeline ever holds.

Phone numbers are matched conservatively. Transcripts are full of numbers that are not
phone numbers (timestamps, dates, versions, amounts, IP addresses), and redacting
those would destroy evidence, so a digit run counts as a phone number only when it has
a phone's shape: a ``+`` country code or an area code in parentheses with 7-15 digits,
or 9-15 digits in two to five groups, or the short ``555-0143`` form.
"""

from __future__ import annotations

import re

from agent.transcripts.model import Transcript, Utterance

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

# The local part may hold any of RFC 5322's "atext" characters, not just the usual ones.
_EMAIL = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
    r"(?![\w-])"
)
# A candidate: optional +CC, optional (area), then digit groups joined by one separator.
_PHONE = re.compile(
    r"(?<![\w+.:/-])"
    r"(?:\+\d{1,3}[ .-]?)?"
    r"(?:\(\d{1,5}\)[ .-]?)?"
    r"\d{1,6}(?:[ .-]\d{2,6}){0,4}"
    r"(?![\w:/]|[.-]\d)"
)
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_SHORT_LOCAL = re.compile(r"\d{3}-\d{4}")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if _DATE.fullmatch(candidate) or _DOTTED_QUAD.fullmatch(candidate):
        return False
    if candidate.startswith("+") or "(" in candidate:
        return 7 <= digits <= 15
    if _SHORT_LOCAL.fullmatch(candidate):
        return True
    groups = re.split(r"[ .-]", candidate)
    if len(groups) < 2:
        return False
    if all(len(g) == 3 for g in groups[1:]) and " " in candidate:
        return False  # "1 000 000": thousands written with spaces
    if all(_YEAR.fullmatch(g) for g in groups):
        return False  # "2022 2023 2024": a run of years
    return 9 <= digits <= 15


def _phone(match: re.Match[str]) -> str:
    return PHONE_MARK if _is_phone(match[0]) else match[0]


def redact_text(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by ``[email]``/``[phone]``."""
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MARK, text)
    if any(c.isdigit() for c in text):
        text = _PHONE.sub(_phone, text)
    return text


def redact_utterance(utterance: Utterance) -> Utterance:
    text = redact_text(utterance.text)
    # A speaker label may itself be an address ("ana@example.com: ..." in a chat export).
    speaker = redact_text(utterance.speaker) if utterance.speaker else utterance.speaker
    if text == utterance.text and speaker == utterance.speaker:
        return utterance
    return utterance.model_copy(update={"text": text, "speaker": speaker})


def redact_transcript(transcript: Transcript) -> Transcript:
    utterances = [redact_utterance(u) for u in transcript.utterances]
    return transcript.model_copy(update={"utterances": utterances})
