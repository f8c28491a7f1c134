"""Documents to request: the interview's "point to the document" follow-ups that went
unanswered, recorded in the assessment and listed in the reports beside the to-verify items."""

from __future__ import annotations

import pytest

from agent.assessment.model import Assessment, DocumentRequest
from agent.interview import Interviewer, Stakeholder
from agent.interview.followups import (
    ASK_ARTEFACT,
    ASK_EXAMPLE,
    ASK_SPECIFICS,
    asks_for_artefact,
    named_artefact,
)
from agent.reports.client_sections import requests_html, requests_markdown, unanswered_documents
from agent.reports.markdown import render_markdown

ADA = Stakeholder("Ada", "Head of Data")
WITH_DOCUMENT = ("See the Confluence page ML-Gov-12: our production datasets are documented "
                 "there with source, schema and refresh timing.")
HEDGE = "I believe we do something like that."
PROMISE = "I'll send it later."


@pytest.mark.parametrize("answer, named", [
    ("See the Confluence page ML-Gov-12", "ML-Gov-12"),
    ("https://wiki.example.com/ml/governance has it.", "https://wiki.example.com/ml/governance"),
    ("The approved version is model-risk-policy-v3.pdf on SharePoint.",
     "model-risk-policy-v3.pdf"),
    ("Ticket MLOPS-231 tracks it.", "MLOPS-231"),
    ("We don't use Confluence; it is in ticket GOV-7.", "GOV-7"),  # an id always counts
    ("We keep it in Notion.", "Notion"),
    ("Yes, the Model Risk Policy covers it.", "Model Risk Policy"),
    ("The AI Strategy deck that the board approved in March.", "AI Strategy deck"),
    ('It is the "Model Risk Standard", owned by Priya.', '"Model Risk Standard"'),
    ("Ask in #ml-governance.", "#ml-governance"),
    ("I'll send it later.", ""),
    ("we don't have that written down", ""),
    ("I'll forward the Jira board to you", ""),  # promised, not handed over
    ("There's no dashboard for that yet.", ""),
    ("Yes, it's documented somewhere.", ""),
    ("The dashboard shows it.", ""),
    ("It's on the wiki, the one Ben's team keeps.", ""),
    ("I'd have to ask Ben.", ""),
])
def test_an_answer_names_a_document_only_when_it_names_a_concrete_one(answer: str,
                                                                      named: str) -> None:
    assert named_artefact(answer) == named


@pytest.mark.parametrize("ask, expected", [
    (ASK_ARTEFACT, True), (ASK_SPECIFICS, False), (ASK_EXAMPLE, False),
    ("Can you share the strategy document and tell me when it was last revised?", True),
    ("Where are those expectations written down?", True),
    ("Can you show me where that guidance lives?", True),
    ("Who sees that report and how often?", False),
])
def test_which_follow_ups_ask_for_a_document(ask: str, expected: bool) -> None:
    assert asks_for_artefact(ask) is expected


def section(md: str) -> str:
    start = md.index("## Documents to request")
    end = md.find("\n## ", start + 1)
    return md[start:end if end > 0 else None]


def test_an_interview_records_document_follow_ups_and_the_report_lists_the_unanswered(
        interviewer: Interviewer) -> None:
    session, first = interviewer.start("enterprise-ai", ADA)
    asked = interviewer.answer(session, ADA, HEDGE)
    assert asked.kind == "follow_up" and ASK_ARTEFACT in asked.text
    moved = interviewer.answer(session, ADA, WITH_DOCUMENT)
    assert moved.kind == "question"  # a specific answer: no more follow-ups on it
    again = interviewer.answer(session, ADA, HEDGE)
    assert again.kind == "follow_up" and ASK_ARTEFACT in again.text
    interviewer.answer(session, ADA, PROMISE)
    interviewer.answer(session, ADA, "done")

    a = interviewer.assessment(session)
    named = [r for r in a.requested_documents if r.answered]
    assert [(r.dimension, r.indicator_id, r.artefact) for r in named] == [
        (first.dimension, first.indicator_id, "ML-Gov-12")]
    assert named[0].asked_of == "Ada" and named[0].answer_excerpt == WITH_DOCUMENT
    promised = [r for r in a.requested_documents if r.answer_excerpt == PROMISE]
    assert len(promised) == 1 and not promised[0].answered
    assert (promised[0].dimension, promised[0].indicator_id) == (again.dimension,
                                                                 again.indicator_id)
    # Stored with the assessment, so a report rendered later (history) has it too.
    stored = Assessment.model_validate_json(a.model_dump_json())
    assert stored.requested_documents == a.requested_documents

    listed = section(render_markdown(a))
    assert PROMISE.rstrip(".") in listed and "ML-Gov-12" not in listed
    html = requests_html(a)
    assert "send it later" in html and "ML-Gov-12" not in html


def _request(dimension: str, indicator: str | None, answer: str = "", *,
             answered: bool = False) -> DocumentRequest:
    return DocumentRequest(dimension=dimension, indicator_id=indicator, asked=ASK_ARTEFACT,
                           asked_of="Ben", answer_excerpt=answer, answered=answered,
                           artefact="DOC-1" if answered else "")


def test_unanswered_follow_ups_are_listed_once_beside_the_to_verify_items(
        example_assessment: Assessment) -> None:
    a = example_assessment.model_copy(deep=True)
    dim = next(d for d in a.dimensions if d.to_verify)
    verify = dim.to_verify[0].indicator_id
    other = next(s.id for d in a.dimensions for s in d.indicators if d.id == dim.id
                 and s.id not in {t.indicator_id for t in dim.to_verify})
    done = next(s.id for s in dim.indicators if s.id not in (verify, other))
    a.requested_documents = [
        _request(dim.id, verify, "We have a process."),       # on the to-verify row
        _request(dim.id, other, "It is in a folder somewhere."),  # a row of its own
        _request(dim.id, other, "Still looking."),            # the same indicator: once
        _request(dim.id, done, "Later."),                     # named afterwards: left out
        _request(dim.id, done, "See DOC-1.", answered=True),
    ]
    assert [(r.indicator_id, r.answer_excerpt) for r in unanswered_documents(a)] == [
        (verify, "We have a process."), (other, "It is in a folder somewhere.")]
    md = "\n".join(requests_markdown(a))
    assert md.count("We have a process") == 1 and "Asked in the interview (Ben)" in md
    assert "### Asked for in the interview, not yet shown" in md
    assert md.count("It is in a folder somewhere.") == 1 and "Still looking" not in md
    assert "Later." not in md and "DOC-1" not in md
    row = next(line for line in md.splitlines() if "We have a process" in line)
    assert f"`{verify}`" in row  # noted on the to-verify row, not repeated below
    html = requests_html(a)
    assert "We have a process" in html and "It is in a folder somewhere." in html


def test_a_transcript_assessment_lists_only_the_to_verify_items(
        example_assessment: Assessment) -> None:
    assert example_assessment.requested_documents == []
    md = "\n".join(requests_markdown(example_assessment))
    assert "Asked for in the interview" not in md and "| Dimension | Level |" in md
