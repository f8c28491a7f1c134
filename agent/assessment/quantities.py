"""Read the quantities people state in meetings: durations, frequencies, percentages.

"about forty deploys a week", "twenty-two minutes", "six percent", "every Tuesday",
"two working days". Each reader returns the verbatim phrase it read and the value in
one unit (hours, events per week, percent), or None. Approximations ("about", "a
couple of") are read as their usual value; the verbatim phrase keeps what was said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_VAGUE = {"a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": 3,
          "half a": 0.5, "half an": 0.5, "a half": 0.5}
_SMALL = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN = "|".join(_TENS)
_VAGUE_RE = "|".join(sorted(_VAGUE, key=len, reverse=True))
NUMBER = (rf"(?:\d+(?:[.,]\d+)?|(?:{_TEN})(?:[- ](?:{_SMALL}))?|{_VAGUE_RE}|{_SMALL})"
          r"(?:\s+hundred)?")

HOURS = {"second": 1 / 3600, "sec": 1 / 3600, "minute": 1 / 60, "min": 1 / 60, "hour": 1.0,
         "hr": 1.0, "day": 24.0, "week": 168.0, "month": 730.0, "quarter": 2190.0,
         "year": 8760.0}
_UNIT_RE = r"(?P<unit>second|sec|minute|min|hour|hr|day|week|month|quarter|year)s?\b"
_DURATION = re.compile(
    rf"\b(?P<num>{NUMBER})\s+(?:(?:working|business|calendar|full|whole)\s+)?{_UNIT_RE}"
    rf"|\b(?P<bare>minutes|hours|days|weeks|months)\b", re.I)
_BARE = {"minutes": 10 / 60, "hours": 3.0, "days": 72.0, "weeks": 504.0, "months": 2190.0}
_PERCENT = re.compile(rf"\b(?P<num>{NUMBER})\s*(?:%|percent\b|per cent\b)"
                      rf"|\bone in (?P<den>{NUMBER})\b", re.I)
_PER = r"(?:a|an|per|each|every)\s+"
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_FREQUENCY = re.compile(
    rf"\b(?P<num>{NUMBER})\s+(?:\S+\s+){{0,4}}?(?:times|deploys|deployments|releases|"
    rf"pushes|rollouts|changes)\s+{_PER}(?P<unit>day|week|month|quarter|year)\b"
    rf"|\b(?P<word>once|twice|thrice)\s+{_PER}(?P<unit2>day|week|month|quarter|year)\b"
    rf"|\bevery\s+(?:(?P<every>{NUMBER}|other)\s+)?(?P<unit3>day|week|month|quarter|year)s?\b"
    rf"|\b(?P<adverb>hourly|daily|nightly|weekly|fortnightly|biweekly|monthly|quarterly|"
    rf"annually|yearly)\b"
    rf"|\bevery\s+(?P<weekday>{_DAYS})\b", re.I)
_PER_WEEK = {"day": 7.0, "week": 1.0, "month": 12 / 52, "quarter": 4 / 52, "year": 1 / 52}
_ADVERB_PER_WEEK = {"hourly": 168.0, "daily": 7.0, "nightly": 7.0, "weekly": 1.0,
                    "fortnightly": 0.5, "biweekly": 0.5, "monthly": 12 / 52,
                    "quarterly": 4 / 52, "annually": 1 / 52, "yearly": 1 / 52}
_WORD_TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0}


@dataclass(frozen=True)
class Quantity:
    text: str  # the phrase as written
    value: float
    start: int = 0  # where the phrase starts in the text read


def number(text: str) -> float | None:
    """'forty' -> 40, 'twenty-two' -> 22, '2.5' -> 2.5, 'a couple of' -> 2, 'six hundred' -> 600."""
    words = " ".join(text.lower().replace("-", " ").split())
    scale = 1.0
    if words.endswith(" hundred"):
        words, scale = words.removesuffix(" hundred"), 100.0
    if re.fullmatch(r"\d+(?:[.,]\d+)?", words):
        return float(words.replace(",", ".")) * scale
    if words in _VAGUE:
        return _VAGUE[words] * scale
    parts = words.split()
    if len(parts) == 1 and parts[0] in _UNITS:
        return _UNITS[parts[0]] * scale
    if parts and parts[0] in _TENS and all(p in _UNITS for p in parts[1:]) and len(parts) <= 2:
        return (_TENS[parts[0]] + sum(_UNITS[p] for p in parts[1:])) * scale
    return None


def duration_hours(text: str) -> Quantity | None:
    """The first duration stated, in hours."""
    for match in _DURATION.finditer(text):
        if match.group("bare"):
            return Quantity(match.group(0), _BARE[match.group("bare").lower()], match.start())
        value = number(match.group("num"))
        unit = match.group("unit").lower()
        if value is not None:
            return Quantity(match.group(0), value * HOURS[unit], match.start())
    return None


def percentage(text: str) -> Quantity | None:
    match = _PERCENT.search(text)
    if not match:
        return None
    if match.group("den"):
        den = number(match.group("den"))
        return Quantity(match.group(0), 100 / den, match.start()) if den else None
    value = number(match.group("num"))
    return Quantity(match.group(0), value, match.start()) if value is not None else None


def per_week(text: str) -> Quantity | None:
    """The first frequency stated, as events per week."""
    for match in _FREQUENCY.finditer(text):
        rate = _rate(match)
        if rate is not None:
            return Quantity(match.group(0), rate, match.start())
    return None


def _rate(match: re.Match[str]) -> float | None:
    if match.group("num"):
        n = number(match.group("num"))
        return None if n is None else n * _PER_WEEK[match.group("unit").lower()]
    if match.group("word"):
        return _WORD_TIMES[match.group("word").lower()] * _PER_WEEK[match.group("unit2").lower()]
    if match.group("unit3"):
        every = match.group("every")
        n = 2.0 if every and every.lower() == "other" else (number(every) if every else 1.0)
        return None if not n else _PER_WEEK[match.group("unit3").lower()] / n
    if match.group("adverb"):
        return _ADVERB_PER_WEEK[match.group("adverb").lower()]
    return 1.0  # every <weekday>
