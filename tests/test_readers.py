"""Transcript readers: formats, line numbers, roles, detection and every kind of bad input."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from agent.errors import UserError
from agent.transcripts import (
    MAX_BYTES,
    Transcript,
    TranscriptError,
    categorise_role,
    parse_bytes,
    parse_text,
    read_transcript,
    read_transcripts,
)

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
MEETING = ["Priya Shah", "Marco Rossi", "Dana Okafor", "Tom Becker"]
# Only what the fixtures use, so the invariant test below stays independent of the
# readers' own tag handling.
TAGS = re.compile(r"</?(?:b|i|c|v|font)\b[^>]*>|<[\d:.]+>|\{\\an\d\}")


def speakers(transcript: Transcript) -> list[str | None]:
    return [u.speaker for u in transcript.utterances]


def lines(transcript: Transcript) -> list[int]:
    return [u.line for u in transcript.utterances]


# --- the four fixtures: one meeting, four formats ---------------------------------


def test_plain_text_meeting() -> None:
    t = read_transcript(FIXTURES / "meeting.txt")
    assert t.format == "text"
    assert t.source == str(FIXTURES / "meeting.txt")
    assert speakers(t) == [None, *MEETING, *MEETING[:3]]
    assert lines(t) == [1, 4, 8, 12, 15, 16, 17, 18]
    preamble, priya, marco = t.utterances[:3]
    assert preamble.text == (
        "AI maturity workshop, Northwind Logistics, 14 March\n"
        "Recorded with consent of all participants."
    )
    assert priya.text == (
        "Thanks everyone. We have a central feature store now,\n"
        "but only two of the five product teams actually use it.\n"
        "The rest still pull straight from the warehouse."
    )
    # "Note:" inside a turn is prose, not a fifth speaker.
    assert marco.text.endswith("\nNote: the ticket template is from 2019.")
    # A colon in the middle of a sentence is not a speaker label either.
    assert t.utterances[-1].text == (
        "Only if we log who approved what, so the plan: an audit trail first."
    )


def test_plain_text_roles_stated_once_apply_to_later_turns() -> None:
    t = read_transcript(FIXTURES / "meeting.txt")
    roles = {(u.speaker, u.role, u.role_category) for u in t.utterances if u.speaker}
    assert roles == {
        ("Priya Shah", "Head of Data", "data"),
        ("Marco Rossi", "CTO", "engineering"),
        ("Dana Okafor", "Chief Risk Officer", "risk"),
        ("Tom Becker", None, None),
    }


def test_vtt_meeting() -> None:
    t = read_transcript(FIXTURES / "meeting.vtt")
    assert t.format == "vtt"
    assert speakers(t) == [*MEETING, "Priya Shah", "Marco Rossi", "Dana Okafor", None]
    # The first payload line of each cue (two voices share line 33).
    assert lines(t) == [13, 18, 22, 27, 30, 33, 33, 36]
    texts = [u.text for u in t.utterances]
    assert texts[0] == (
        "Thanks everyone. We have a central feature store now,\n"
        "but only two of the five product teams actually use it."
    )
    assert texts[1] == (  # <b>, <i> stripped; no closing </v> needed
        "Deployment is the bigger problem. Every model goes to production\n"
        "through a manual ticket to the platform team."
    )
    assert texts[2] == "There is no model inventory at all."  # <v.loud ...> voice class
    assert texts[3] == "Product wants faster experiments."  # "Name (Role):" without <v>
    assert texts[4] == "Experiments wait on data access approvals."  # <c.x>, <00:00:24.500>
    assert texts[5:] == [
        "We could automate approvals",
        "if we log who approved what.",
        "[laughter]",
    ]
    assert [u.role_category for u in t.utterances] == [
        "data", "engineering", "risk", "product", "data", "engineering", "risk", None,
    ]  # fmt: skip


def test_srt_meeting() -> None:
    t = read_transcript(FIXTURES / "meeting.srt")
    assert t.format == "srt"
    assert speakers(t) == [*MEETING, "Priya Shah", None, "Marco Rossi", "Dana Okafor"]
    # The first text line of each cue; cue 7 holds two speakers.
    assert lines(t) == [3, 8, 13, 17, 21, 25, 29, 30]
    texts = [u.text for u in t.utterances]
    assert (
        texts[1] == "Deployment is the bigger problem.\nEvery model goes through a manual ticket."
    )
    assert texts[2] == "There is no model inventory at all."  # {\an8} stripped
    assert texts[3] == "Product wants faster experiments."  # label inside <font>
    assert texts[5] == "and on the warehouse team's backlog."
    assert t.utterances[3].role == "VP Product"


def test_slack_meeting_skips_bots_joins_and_blank_messages() -> None:
    t = read_transcript(FIXTURES / "meeting_slack.json")
    assert t.format == "slack-json"
    # Message 1 is a join, 4 a bot post, 6 has a bot_id, 8 is blank: all skipped, but
    # every message still counts towards the index.
    assert lines(t) == [2, 3, 5, 7, 9]
    # user_name, then user_profile.real_name, then display_name, then the user id.
    assert speakers(t) == ["Priya Shah", "Marco Rossi", "Dana Okafor", "U04TOM", "Priya Shah"]
    assert t.utterances[0].role == "Head of Data"
    assert t.utterances[4].role == "Head of Data"  # stated in message 2 only


def test_slack_text_is_verbatim() -> None:
    raw = json.loads((FIXTURES / "meeting_slack.json").read_text(encoding="utf-8"))
    t = read_transcript(FIXTURES / "meeting_slack.json")
    for u in t.utterances:
        assert u.text == raw[u.line - 1]["text"]
    assert "<!subteam^S01PLAT|platform> &amp; takes" in t.utterances[1].text


@pytest.mark.parametrize("name", ["meeting.txt", "meeting.vtt", "meeting.srt"])
def test_every_utterance_line_is_in_the_file_in_order(name: str) -> None:
    """Quotes can be checked: each text line is on the file's lines from ``line`` on."""
    raw = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    file_lines = [TAGS.sub("", line) for line in raw]
    for u in read_transcript(FIXTURES / name).utterances:
        at = u.line - 1
        first, *rest = u.text.split("\n")
        assert first in file_lines[at], (u, file_lines[at])
        for part in rest:
            at = next(i for i in range(at + 1, len(file_lines)) if part in file_lines[i])
        assert "" not in u.text.split("\n")


def test_read_transcripts_reads_all_in_order() -> None:
    names = ["meeting.srt", "meeting_slack.json", "meeting.txt", "meeting.vtt"]
    ts = read_transcripts([FIXTURES / n for n in names])
    assert [t.format for t in ts] == ["srt", "slack-json", "text", "vtt"]
    assert read_transcripts([]) == []


# --- plain text details ---------------------------------------------------------------


def parse(text: str, roster: dict[str, str] | None = None) -> Transcript:
    return parse_text(text, "t.txt", "text", roster)


def test_plain_text_blank_lines_are_ignored_and_continuations_join() -> None:
    t = parse("Ana (CTO): one\n\n\n   two   \nthree\nBen: four\n")
    assert [(u.speaker, u.text, u.line) for u in t.utterances] == [
        ("Ana", "one\ntwo\nthree", 1),
        ("Ben", "four", 6),
    ]


def test_plain_text_label_with_no_text_takes_the_next_lines() -> None:
    t = parse("Ana (CTO):\nWe ship weekly.\nBen:\nBen (PM):   \nYes.")
    assert [(u.speaker, u.text, u.line) for u in t.utterances] == [
        ("Ana", "We ship weekly.", 1),
        ("Ben", "Yes.", 4),
    ]


@pytest.mark.parametrize(
    ("line", "speaker", "role"),
    [
        ("Priya: hi", "Priya", None),
        ("Priya Shah (Head of Data): hi", "Priya Shah", "Head of Data"),
        ("Priya(CTO): hi", "Priya", "CTO"),
        ("Dr. Ana de Souza (DPO): hi", "Dr. Ana de Souza", "DPO"),
        ("Speaker 2: hi", "Speaker 2", None),
        ("SPEAKER_01: hi", "SPEAKER_01", None),
        ("Seán O'Brien-Murphy: hi", "Seán O'Brien-Murphy", None),
        ("Q: what is your stack?", "Q", None),
        ("Ana (): hi", "Ana", None),
        ("王伟: 你好", "王伟", None),
    ],
)
def test_plain_text_speaker_labels(line: str, speaker: str, role: str | None) -> None:
    (u,) = parse(line).utterances
    assert (u.speaker, u.role) == (speaker, role)
    assert u.text == line.split(":", 1)[1].strip()


@pytest.mark.parametrize(
    "line",
    [
        "so the plan: ship it",  # lowercase
        "The plan for next quarter is simple: ship it",  # more than four words
        "Note: we will revisit this",  # a notes heading, not a person
        "Action Items: none",
        "Next Steps: none",
        "See https://example.com/a:b for details",
        "Meeting at 10:30 tomorrow",
        "Ana:no space after the colon",
        "Ana & Ben: together",
    ],
)
def test_plain_text_prose_colons_are_not_speakers(line: str) -> None:
    (u,) = parse(line).utterances
    assert (u.speaker, u.text, u.line) == (None, line, 1)


def test_plain_text_prose_colon_continues_the_current_turn() -> None:
    t = parse("Ana (CTO): We decided.\nNote: only for prod.\nso the rule: no manual steps")
    (u,) = t.utterances
    assert u.text == "We decided.\nNote: only for prod.\nso the rule: no manual steps"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_for_every_newline_convention(newline: str) -> None:
    text = newline.join(["", "Ana: one", "", "two", "Ben: three", ""])
    t = parse(text)
    assert [(u.line, u.text) for u in t.utterances] == [(2, "one\ntwo"), (5, "three")]


def test_form_feed_and_unicode_separators_do_not_shift_line_numbers() -> None:
    t = parse("Ana: one\x0ctwo\u2028three\nBen: four")
    assert lines(t) == [1, 2]


# --- roles and roster ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "category"),
    [
        ("Head of Data", "data"),
        ("Chief Data Officer", "data"),
        ("Data Engineer", "data"),
        ("Senior Data Scientist", "data"),
        ("CTO", "engineering"),
        ("VP Engineering", "engineering"),
        ("ML Engineer", "engineering"),
        ("Platform Lead", "engineering"),
        ("SRE", "engineering"),
        ("DevOps Engineer", "engineering"),
        ("Head of IT", "engineering"),
        ("Product Manager", "product"),
        ("CPO", "product"),
        ("VP Product", "product"),
        ("Risk", "risk"),
        ("Chief Risk Officer", "risk"),
        ("Compliance Manager", "risk"),
        ("Legal Counsel", "risk"),
        ("Privacy Lead", "risk"),
        ("Security Engineer", "risk"),
        ("Internal Audit", "risk"),
        ("DPO", "risk"),
        ("Data Protection Officer", "risk"),
        ("CISO", "risk"),
        ("Operations", "operations"),
        ("VP Operations", "operations"),
        ("Support Lead", "operations"),
        ("Customer Service Manager", "operations"),
        ("Design", "design"),
        ("UX Researcher", "design"),
        ("Product Designer", "design"),
        ("CEO", "executive"),
        ("COO", "executive"),
        ("Chief Operating Officer", "executive"),
        ("CFO", "executive"),
        ("President", "executive"),
        ("Co-founder", "executive"),
        ("Executive Sponsor", "executive"),
        ("VP", "executive"),
        ("SVP", "executive"),
        ("General Manager", "executive"),
        ("Head of Finance", None),
        ("Managing Partner", "executive"),
        ("Head of Innovation", "executive"),
        ("Quality Manager", "operations"),
        ("Head of Credit Modelling", "data"),
        ("Data Scientist", "data"),
        ("Claims Lead", "operations"),
        ("Intern", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_categorise_role(role: str | None, category: str | None) -> None:
    assert categorise_role(role) == category


def test_role_keywords_are_whole_words() -> None:
    assert categorise_role("guide") is None  # "ui" inside a word
    assert categorise_role("it lead") is None  # "IT" only in capitals
    assert categorise_role("Pops") is None


def test_roster_fills_missing_roles_case_insensitively() -> None:
    roster = {"ben": "Chief Product Officer", "Ana": "Intern"}
    t = parse("Ana (CTO): one\nBen: two\nCy: three", roster=roster)
    got = [(u.speaker, u.role, u.role_category) for u in t.utterances]
    assert got == [
        ("Ana", "CTO", "engineering"),  # the transcript wins over the roster
        ("Ben", "Chief Product Officer", "product"),
        ("Cy", None, None),
    ]


def test_roster_name_counts_as_a_speaker_even_if_lowercase() -> None:
    t = parse("dev-bot: deployed\nstill deploying", roster={"dev-bot": "Platform"})
    (u,) = t.utterances
    assert (u.speaker, u.role_category, u.text) == (
        "dev-bot",
        "engineering",
        "deployed\nstill deploying",
    )


def test_roster_by_slack_user_id_and_name() -> None:
    roster = {"U04TOM": "VP Product", "marco rossi": "CTO"}
    t = read_transcript(FIXTURES / "meeting_slack.json", roster=roster)
    got = {u.speaker: u.role_category for u in t.utterances}
    assert got == {
        "Priya Shah": "data",
        "Marco Rossi": "engineering",
        "Dana Okafor": None,
        "U04TOM": "product",
    }


def test_roster_applies_to_every_format() -> None:
    roster = {"Tom Becker": "VP Product"}
    for name in ("meeting.txt", "meeting.vtt", "meeting.srt"):
        t = read_transcript(FIXTURES / name, roster=roster)
        assert {u.role for u in t.utterances if u.speaker == "Tom Becker"} == {"VP Product"}


# --- WebVTT and SRT details -----------------------------------------------------------


def test_vtt_header_without_blank_line_and_headerless_cues() -> None:
    t = parse_text("WEBVTT\n00:01.000 --> 00:02.000\n<v Ana>hi", "a.vtt")
    assert [(u.speaker, u.text, u.line) for u in t.utterances] == [("Ana", "hi", 3)]
    t = parse_text("00:00:01.000 --> 00:00:02.000\nAna (CTO): hi\n", "cues")
    assert t.format == "vtt"
    assert [(u.speaker, u.role, u.text, u.line) for u in t.utterances] == [("Ana", "CTO", "hi", 2)]


def test_vtt_cue_without_voice_or_label_has_no_speaker() -> None:
    t = parse_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nWe <i>never</i> retrain.\n", "a.vtt"
    )
    (u,) = t.utterances
    assert (u.speaker, u.text, u.line) == (None, "We never retrain.", 5)


def test_vtt_text_before_a_voice_tag_and_unknown_tags() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nIntro <v Ana (CTO)>a < b and <x> stays</v>\n"
    t = parse_text(text, "a.vtt")
    assert [(u.speaker, u.text) for u in t.utterances] == [
        (None, "Intro"),
        ("Ana", "a < b and <x> stays"),
    ]


def test_vtt_text_after_blank_line_inside_a_cue_is_kept() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>first part\n\nsecond part\n"
    (u,) = parse_text(text, "a.vtt").utterances
    assert (u.text, u.line) == ("first part\nsecond part", 4)


def test_srt_without_blank_lines_between_cues() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nAna: one\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n"
    t = parse_text(text, "a.srt")
    assert [(u.speaker, u.text, u.line) for u in t.utterances] == [
        ("Ana", "one", 3),
        (None, "two", 6),
    ]


def test_utf16_and_bom_files_read_like_utf8(tmp_path: Path) -> None:
    text = (FIXTURES / "meeting.vtt").read_text(encoding="utf-8")
    expected = read_transcript(FIXTURES / "meeting.vtt").utterances
    for encoding, prefix in [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16", b""),
        ("utf-16-be", b"\xfe\xff"),
    ]:
        path = tmp_path / f"meeting-{encoding}.vtt"
        path.write_bytes(prefix + text.encode(encoding))
        got = read_transcript(path).utterances
        assert [(u.speaker, u.text, u.line) for u in got] == [
            (u.speaker, u.text, u.line) for u in expected
        ]


# --- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "name", "fmt"),
    [
        ("meeting.vtt", "captions.txt", "vtt"),
        ("meeting.vtt", "captions", "vtt"),
        ("meeting.srt", "subtitles.txt", "srt"),
        ("meeting.srt", "subtitles", "srt"),
        ("meeting.srt", "subtitles.vtt", "vtt"),  # timing lines: the extension decides
        ("meeting_slack.json", "export.txt", "slack-json"),
        ("meeting_slack.json", "export", "slack-json"),
        ("meeting_slack.json", "export.srt", "slack-json"),
        ("meeting.txt", "notes.json", "text"),
        ("meeting.txt", "notes.vtt", "text"),
        ("meeting.txt", "notes", "text"),
    ],
)
def test_detection_by_content(tmp_path: Path, fixture: str, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes((FIXTURES / fixture).read_bytes())
    t = read_transcript(path)
    assert t.format == fmt
    assert t.source == str(path)
    assert {u.speaker for u in t.utterances} >= {"Priya Shah", "Dana Okafor"}


def test_square_bracket_prose_is_plain_text_not_json() -> None:
    t = parse_text("[Music]\nAna: hello", "rec.txt")
    assert t.format == "text"
    assert speakers(t) == [None, "Ana"]


def test_explicit_format_overrides_detection() -> None:
    t = parse_text("Ana: WEBVTT is a format", "x.vtt", fmt="text")
    assert (t.format, t.utterances[0].text) == ("text", "WEBVTT is a format")


# --- bad input: always a one-line UserError naming the file -------------------------


def user_error(path: Path) -> str:
    with pytest.raises(UserError) as info:
        read_transcript(path)
    assert isinstance(info.value, TranscriptError)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    return message


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in user_error(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in user_error(tmp_path)


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in user_error(fifo)


def test_path_with_nul_character() -> None:
    with pytest.raises(UserError, match="cannot be opened"):
        read_transcript(Path("bad\x00name.txt"))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", "Ana: hi")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # chmod 000 does not stop root, so simulate the refusal.
    monkeypatch.setattr(Path, "open", refuse)
    assert "cannot be read (permission denied)" in user_error(path)


@pytest.mark.parametrize(("data", "words"), [(b"", "empty"), (b"\xef\xbb\xbf", "empty")])
def test_empty_file(tmp_path: Path, data: bytes, words: str) -> None:
    assert words in user_error(write(tmp_path, "empty.txt", data))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "only whitespace" in user_error(write(tmp_path, "blank.vtt", " \n\t\r\n  \n"))


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "NUL bytes" in user_error(write(tmp_path, "image.txt", data))


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 20 + bytes(range(0x80, 0x100)) * 4
    assert "binary" in user_error(write(tmp_path, "blob.srt", data))


def test_mostly_control_characters_in_valid_utf8(tmp_path: Path) -> None:
    assert "binary" in user_error(write(tmp_path, "ctl.txt", "Ana: \x01\x02\x03\x04\x05\x06"))


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Ana (CTO): hello\nBen: café".encode("latin-1"))
    message = user_error(path)
    assert "not UTF-8 text (byte 0xe9 at line 2, column 9; probably Windows-1252" in message
    assert "re-save the transcript as UTF-8" in message


def test_a_short_windows_1252_line_is_not_called_binary(tmp_path: Path) -> None:
    # Three accented bytes in a short line: a UTF-8 reading is 8% junk, a cp1252 one clean.
    line = "Zoé (CDO): déjà un modèle en prod, “vraiment”."
    message = user_error(write(tmp_path, "fr.txt", line.encode("cp1252")))
    assert "binary" not in message and "probably Windows-1252 or Latin-1" in message


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    import random

    data = bytes(b for b in random.Random(7).randbytes(4000) if b)  # no NUL bytes
    assert "binary" in user_error(write(tmp_path, "noise.txt", data))


def test_bad_utf16(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.txt", b"\xff\xfeA\x00n\x00a\x00:")
    assert "UTF-16" in user_error(path)


def test_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: no 11 MB written to disk

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    message = user_error(path)
    assert "11,534,336 bytes (11.0 MB)" in message
    assert f"{MAX_BYTES:,} bytes (10.0 MB)" in message


def test_exactly_max_bytes_is_accepted(tmp_path: Path) -> None:
    line = b"Ana: " + b"x" * 94 + b"\n"
    data = line * (MAX_BYTES // len(line))
    data += b"y" * (MAX_BYTES - len(data))
    t = read_transcript(write(tmp_path, "big.txt", data))
    assert len(t.utterances) == MAX_BYTES // len(line)
    assert t.utterances[-1].text.endswith("x\n" + "y" * (MAX_BYTES % len(line)))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            '[\n  {"user": "U1", "text": "hi"}\n  {"user": "U2"}\n]',
            "not valid JSON at line 3, column 3",
        ),
        (
            '[\n  {"user": "U1", "text": "hi"},\n  {"user": "U2", "te',
            "ends too early (unterminated string starting at line 3, column 18)",
        ),
        ('[{"user": "U1"', "ends too early (expecting ',' delimiter at line 1, column 15)"),
        ("[", "ends too early (expecting value at line 1, column 2)"),
        ("[" * 100_000, "nested too deeply"),
        ('{"messages": []}', "JSON is an object, not a list of messages"),
        ('["hello"]', "item 1 is a string, not a message object"),
        ('[{"user": "U1", "text": "a"}, 3]', "item 2 is a number"),
        ('[{"name": "general", "id": "C1"}]', "no user, text or ts"),
        ("[1" + "0" * 5000 + "]", "cannot be read"),
        ('[{"user": "U1", "text": "\\ud800"}]', "message 1 holds invalid Unicode"),
    ],
)
def test_bad_json(tmp_path: Path, data: str, words: str) -> None:
    assert words in user_error(write(tmp_path, "export.json", data))


@pytest.mark.parametrize(
    "messages",
    [
        [],
        [{"user": "U1", "subtype": "channel_join", "text": "joined"}],
        [{"bot_id": "B1", "text": "beep"}, {"user": "U1", "text": "  "}, {"user": "U1"}],
    ],
)
def test_slack_without_human_messages(tmp_path: Path, messages: list[object]) -> None:
    path = write(tmp_path, "export.json", json.dumps(messages))
    assert "no utterances found" in user_error(path)


@pytest.mark.parametrize(
    "text",
    ["WEBVTT\n", "WEBVTT\n\nNOTE nothing here\n", "WEBVTT\n\nhello without timing\n", "no cues"],
)
def test_vtt_with_no_cues(tmp_path: Path, text: str) -> None:
    assert "WebVTT file has no cues" in user_error(write(tmp_path, "captions.vtt", text))


def test_vtt_whose_cues_are_empty(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana></v>\n"
    assert "no utterances found" in user_error(write(tmp_path, "captions.vtt", text))


def test_srt_with_no_cues(tmp_path: Path) -> None:
    assert "SRT file has no cues" in user_error(write(tmp_path, "subs.srt", "1\nhello\n"))


def test_plain_text_with_no_utterances(tmp_path: Path) -> None:
    assert "no utterances found" in user_error(write(tmp_path, "t.txt", "Ana:\nBen (CTO):\n"))


def test_file_name_with_newline_stays_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "two\nlines.txt", b"")
    with pytest.raises(UserError) as info:
        read_transcript(path)
    assert "\n" not in str(info.value)
    assert "two\\nlines.txt" in str(info.value)


def test_unknown_format_and_bad_text_in_memory() -> None:
    with pytest.raises(UserError, match=r"^x: unknown transcript format 'pdf'"):
        parse_text("Ana: hi", "x", fmt="pdf")
    with pytest.raises(UserError, match=r"^x: contains only whitespace"):
        parse_text("\ufeff \n", "x")
    with pytest.raises(UserError, match=r"^x: looks like a binary file"):
        parse_bytes("Ana: hi\x00".encode("utf-16"), "x")
