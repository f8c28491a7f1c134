"""Property tests: any input gives a Transcript or a one-line UserError, nothing else."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.errors import UserError
from agent.transcripts import FORMATS, Transcript, parse_bytes, parse_text, read_transcript

# database=None: no .hypothesis directory left in the repository.
FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FORMAT_CHOICES = [None, *FORMATS]
NAMES = ["t.txt", "t.vtt", "t.srt", "t.json", "t"]

# Lines that push the readers into their interesting branches, mixed with noise.
SNIPPETS = [
    "WEBVTT",
    "WEBVTT - title",
    "NOTE a comment",
    "STYLE",
    "1",
    "42",
    "00:00:01.000 --> 00:00:04.000",
    "00:01.000 --> 00:02.000 align:start",
    "00:00:01,000 --> 00:00:04,000",
    "<v Ana (CTO)>We ship weekly.</v>",
    "<v.loud Ben>hi <v Cy (Head of Data)>there",
    "<v>",
    "<v ()>",
    "</v>",
    "<i></i><b> </b>",
    "<00:00:01.000>",
    "{\\an8}",
    "Ana (CTO): hello",
    "Ben:",
    "Speaker 1: ok",
    "Note: prose",
    "so the plan: ship",
    "(): x",
    "A (B (C)): d",
    "[",
    "{",
    "]",
    '[{"user": "U1", "text": "hi"}]',
    "",
    " ",
    "\t",
]
structured_text = st.lists(
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=30)), max_size=25
).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda newline: newline.join(lines))
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
message_values = st.none() | st.integers() | st.text(max_size=20) | st.sampled_from(["", " "])
messages = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.just("message"),
            "user": message_values,
            "user_name": message_values | st.just("Ana Lopez (CTO)"),
            "user_profile": st.dictionaries(
                st.sampled_from(["real_name", "display_name"]), message_values
            )
            | message_values,
            "text": message_values,
            "ts": message_values,
            "thread_ts": message_values,
            "subtype": message_values,
            "bot_id": message_values,
        },
    ),
    max_size=8,
)


def check(result: Transcript, source: str, text: str | None, fmt: str | None) -> None:
    assert isinstance(result, Transcript)
    assert result.format in FORMATS
    if fmt is not None:
        assert result.format == fmt
    assert result.utterances
    for u in result.utterances:
        assert u.line >= 1
        assert u.text.strip()
        assert u.source == source
    if text is None or result.format == "slack-json":
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for u in result.utterances:
        assert u.line <= len(lines)
        if result.format == "text":
            # Plain text is never rewritten: each line of an utterance is on a line of
            # the file, in order, from ``line`` on ("Ana:" alone takes the next line).
            at = u.line - 2
            for part in u.text.split("\n"):
                at = next(i for i in range(at + 1, len(lines)) if part in lines[i])


def check_error(error: UserError, source: str) -> None:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{source}: ")


def run_text(text: str, source: str, fmt: str | None) -> None:
    try:
        result = parse_text(text, source, fmt)
    except UserError as error:
        check_error(error, source)
    else:
        check(result, source, text, fmt)


def run_bytes(data: bytes, source: str, fmt: str | None) -> None:
    try:
        result = parse_bytes(data, source, fmt)
    except UserError as error:
        check_error(error, source)
    else:
        check(result, source, None, fmt)


@pytest.mark.parametrize("fmt", FORMAT_CHOICES)
@FAST
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_any_bytes(fmt: str | None, data: bytes, name: str) -> None:
    run_bytes(data, name, fmt)


@pytest.mark.parametrize("fmt", FORMAT_CHOICES)
@FAST
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"WEBVTT\n\n", b"["]),
    data=st.binary(max_size=500),
    name=st.sampled_from(NAMES),
)
def test_any_bytes_after_a_telling_prefix(
    fmt: str | None, prefix: bytes, data: bytes, name: str
) -> None:
    run_bytes(prefix + data, name, fmt)


@pytest.mark.parametrize("fmt", FORMAT_CHOICES)
@FAST
@given(text=st.text(max_size=2000), name=st.sampled_from(NAMES))
def test_any_text(fmt: str | None, text: str, name: str) -> None:
    run_text(text, name, fmt)


@pytest.mark.parametrize("fmt", FORMAT_CHOICES)
@FAST
@given(text=structured_text, name=st.sampled_from(NAMES))
def test_transcript_like_text(fmt: str | None, text: str, name: str) -> None:
    run_text(text, name, fmt)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
@FAST
@given(text=structured_text, name=st.sampled_from(NAMES))
def test_transcript_like_text_in_any_unicode_encoding(encoding: str, text: str, name: str) -> None:
    run_bytes(text.encode(encoding, errors="surrogatepass"), name, None)


@FAST
@given(value=json_values, fmt=st.sampled_from([None, "slack-json"]))
def test_any_json(value: object, fmt: str | None) -> None:
    run_text(json.dumps(value), "export.json", fmt)


@FAST
@given(value=messages, fmt=st.sampled_from([None, "slack-json"]))
def test_message_like_json(value: object, fmt: str | None) -> None:
    run_text(json.dumps(value), "export.json", fmt)


@settings(FAST, max_examples=50)
@given(data=st.binary(max_size=1000), name=st.sampled_from(NAMES))
def test_any_file(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        try:
            result = read_transcript(path)
        except UserError as error:
            check_error(error, str(path))
        else:
            check(result, str(path), None, None)
