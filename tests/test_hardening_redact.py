"""--redact: e-mail addresses and phone numbers never reach a report, the history or an LLM."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.redact import EMAIL_MARK, PHONE_MARK, redact_text, redact_transcript
from agent.transcripts import parse_text

Cli = Callable[..., tuple[int, str, str]]
CONTACTS = Path(__file__).parent / "hardening" / "privacy" / "contacts.txt"
PERSONAL = re.compile(r"northwind-freight\.com|7946 0958|496 0123")


@pytest.mark.parametrize(("text", "expected"), [
    ("mail ana.lopez+mlops@northwind-bank.co.uk today", f"mail {EMAIL_MARK} today"),
    ("ANA@EXAMPLE.ORG.", f"{EMAIL_MARK}."),
    ("call +44 20 7946 0958 now", f"call {PHONE_MARK} now"),
    ("(555) 123-4567", PHONE_MARK),
    ("555-123-4567 or 555.123.4567", f"{PHONE_MARK} or {PHONE_MARK}"),
    ("ring 555-0143", f"ring {PHONE_MARK}"),
    ("+1-202-555-0143, 020 7946 0958", f"{PHONE_MARK}, {PHONE_MARK}"),
    ("+49 30 901820 and 06 12 34 56 78", f"{PHONE_MARK} and {PHONE_MARK}"),
    ("1-800-555-0199", PHONE_MARK),
])
def test_addresses_and_phone_numbers_are_replaced(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [
    "00:00:01.000 --> 00:00:04.000",
    "00:00:01,000 --> 00:00:04,000",
    "on 2024-01-15 and 15/01/2024",
    "we had 50,000 users and 1,000,000 requests",
    "1 000 000 rows a day",
    "chromadb 1.5.9 on 192.168.1.10:8000",
    "the 2022 2023 2024 roadmaps",
    "p95 of 120 ms, 99.9% uptime, ISO 27001, SOC 2",
    "ticket JIRA-1234, order 123456789, room 4-12",
    "a budget of 640,000 dollars in the 2025 plan",
    "see https://example.com/a/b-1234-5678 and user@ (not an address)",
])
def test_numbers_that_are_evidence_are_kept(text: str) -> None:
    assert redact_text(text) == text


def test_a_transcript_is_redacted_line_by_line_and_keeps_its_shape() -> None:
    transcript = parse_text(CONTACTS.read_text(), str(CONTACTS))
    redacted = redact_transcript(transcript)
    assert [(u.speaker, u.line) for u in redacted.utterances] == \
        [(u.speaker, u.line) for u in transcript.utterances]
    assert not any(PERSONAL.search(u.text) for u in redacted.utterances)
    assert sum(EMAIL_MARK in u.text for u in redacted.utterances) == 2
    assert redact_transcript(redacted) == redacted  # idempotent


def _history_bytes(home: Path) -> bytes:
    # Raw database bytes, the write-ahead log included: text in any page is found.
    return b"".join(p.read_bytes() for p in sorted(home.glob("history.sqlite*")))


def test_score_redact_keeps_personal_data_out_of_report_and_history(
        cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    redacted_out, plain_out = tmp_path / "redacted.json", tmp_path / "plain.json"
    code, _, err = cli("score", str(CONTACTS), "--format", "json", "--redact",
                       "--out", str(redacted_out))
    assert code == 0, err
    text = redacted_out.read_text()
    assert not PERSONAL.search(text)
    report = json.loads(text)
    quotes = [e["quote"] for d in report["dimensions"] for e in d["evidence"]]
    marks = [m for m in (PHONE_MARK, EMAIL_MARK) if any(m in q for q in quotes)]
    assert marks
    stored = _history_bytes(indexed_home)
    assert all(m.encode() in stored for m in marks)
    assert not PERSONAL.search(stored.decode("latin-1"))

    # Without --redact the same data does reach both: the checks above can fail.
    code, _, err = cli("score", str(CONTACTS), "--format", "json", "--out", str(plain_out))
    assert code == 0, err
    assert PERSONAL.search(plain_out.read_text())
    assert PERSONAL.search(_history_bytes(indexed_home).decode("latin-1"))


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(max_size=300), address=st.emails(), digits=st.from_regex(
    r"\+\d{1,3} \d{2,4} \d{3,4} \d{3,4}", fullmatch=True))
def test_redaction_is_idempotent_and_leaves_no_address(text: str, address: str,
                                                       digits: str) -> None:
    mixed = f"{text} write to {address} or call {digits} {text}"
    once = redact_text(mixed)
    assert redact_text(once) == once
    assert address not in once and digits not in once
    assert redact_text(text).count("@") <= text.count("@")
