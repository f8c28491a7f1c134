"""The interview core (agent.interview) with the real offline engine and a real SQLite file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from agent.app import Services
from agent.assessment.checks import quote_in
from agent.engines.offline import OfflineEngine
from agent.errors import UserError
from agent.interview import AgentTurn, Interviewer, Stakeholder
from agent.interview.evidence import AnswerReader, InterviewOfflineEngine
from agent.interview.followups import MAX_FOLLOW_UPS, read_answer
from agent.transcripts import Transcript, Utterance, read_transcripts

ROOT = Path(__file__).resolve().parents[1]
ADA = Stakeholder("Ada", "Head of Data")
BEN = Stakeholder("Ben", "CTO")
DATA_FACT = ("Our production datasets are documented in the project wiki with source, schema "
             "and refresh timing, and they arrive through scripted Airflow pipelines every night.")
TECH_FACT = ("Every team tracks experiments in MLflow, and production models are deployed as "
             "Docker containers on SageMaker endpoints with Grafana latency dashboards.")
TALENT_FACT = ("We have two teams of data scientists and four ML engineers, and in 2024 the "
               "churn team took its first model from prototype to production.")


def test_first_question_comes_from_the_bank_for_the_persons_role(
        interviewer: Interviewer, services: Services) -> None:
    session, turn = interviewer.start("enterprise-ai", ADA)
    pack = services.registry.get("enterprise-ai")
    bank = {q.id: q for d in pack.dimensions for q in d.questions}
    assert turn.kind == "question" and not turn.finished
    assert turn.dimension == "data" and "data" in turn.for_roles
    assert turn.text in {q.text for q in bank.values()}
    assert turn.indicator_id in pack.indicators()
    assert interviewer.pending(session) == turn
    assert interviewer.framework_of(session) == "enterprise-ai"


@pytest.mark.parametrize("answer", ["I think we are pretty good at that.",
                                    "We are very mature in this area.", "Yes, we do.",
                                    "We have a process for it."])
def test_a_vague_answer_gets_a_concrete_follow_up_and_no_credit(
        interviewer: Interviewer, answer: str) -> None:
    session, first = interviewer.start("enterprise-ai", ADA)
    turn = interviewer.answer(session, ADA, answer)
    assert turn.kind == "follow_up" and turn.dimension == first.dimension
    assert turn.indicator_id == first.indicator_id
    concrete = ("which tool", "how many", "since when", "document", "when did", "who owns",
                "share", "where is", "pick one", "give me")
    assert any(word in turn.text.lower() for word in concrete), turn.text
    data = interviewer.assessment(session).dimension("data")
    assert data.level is None  # a claim or a bare statement alone never sets a level


def test_follow_ups_stop_at_the_cap_and_a_fact_moves_on(interviewer: Interviewer) -> None:
    session, _first = interviewer.start("enterprise-ai", ADA)
    kinds = [interviewer.answer(session, ADA, "I think so.").kind
             for _ in range(MAX_FOLLOW_UPS + 1)]
    assert kinds == ["follow_up"] * MAX_FOLLOW_UPS + ["question"]
    session2, first2 = interviewer.start("enterprise-ai", ADA)
    moved = interviewer.answer(session2, ADA, DATA_FACT)
    assert moved.kind == "question" and moved.dimension != first2.dimension
    assert interviewer.assessment(session2).dimension("data").level is not None


def test_the_offline_reading_of_answers() -> None:
    assert read_answer(DATA_FACT).reason == "specific"
    assert read_answer("We don't have a data catalog.").reason == "absence"
    assert read_answer("We're world-class at MLOps.").reason == "claim"
    hedge = read_answer("I believe the pipelines are scripted.")
    assert (hedge.reason, hedge.cue) == ("hedge", "I believe")
    assert read_answer("ok").reason == "empty"
    assert all(r.needs_follow_up for r in map(read_answer, ["ok", "Yes, we do that often."]))


def test_why_cites_framework_chunks_and_keeps_the_question(
        interviewer: Interviewer, services: Services) -> None:
    session, first = interviewer.start("enterprise-ai", ADA)
    turn = interviewer.answer(session, ADA, "  WHY? ")
    assert turn.kind == "explain" and not turn.finished
    assert turn.dimension == first.dimension
    chunks = {c.id: c.text for c in services.registry.chunks()}
    cited = [line.split("]", 1) for line in turn.text.splitlines() if line.startswith("- [")]
    assert cited, turn.text
    for chunk_id, text in cited:
        assert chunks[chunk_id[3:]] == text.strip()
    assert f"[enterprise-ai:{first.dimension}.l2]" in turn.text
    assert first.text in turn.text
    assert interviewer.pending(session) == first


def test_status_lists_every_dimension(interviewer: Interviewer) -> None:
    session, _ = interviewer.start("enterprise-ai", ADA)
    interviewer.answer(session, ADA, DATA_FACT)
    turn = interviewer.answer(session, ADA, "status")
    assert turn.kind == "status"
    for name in ("Strategy", "Data", "Talent", "Governance", "Technology", "Culture"):
        assert name in turn.text
    assert "Data & Infrastructure: level" in turn.text
    assert "not enough evidence yet" in turn.text


def test_skip_moves_to_another_dimension_for_good(interviewer: Interviewer) -> None:
    session, first = interviewer.start("enterprise-ai", ADA)
    turn = interviewer.answer(session, ADA, "skip")
    assert turn.kind == "skip" and turn.dimension != first.dimension
    asked = [turn]
    while not turn.finished:
        turn = interviewer.answer(session, ADA, TECH_FACT if turn.dimension == "technology"
                                  else "We don't have that.")
        asked.append(turn)
    assert first.dimension not in {t.dimension for t in asked}
    assert "skipped" in interviewer.answer(session, ADA, "status").text


def test_back_withdraws_the_last_answer_and_asks_again(interviewer: Interviewer) -> None:
    session, first = interviewer.start("enterprise-ai", ADA)
    interviewer.answer(session, ADA, DATA_FACT)
    turn = interviewer.answer(session, ADA, "back")
    assert turn.kind == "back" and turn.dimension == first.dimension
    assert first.text in turn.text
    assessment = interviewer.assessment(session)
    assert assessment.dimension("data").level is None
    assert all(not d.evidence for d in assessment.dimensions)
    again = interviewer.answer(session, ADA, TALENT_FACT)
    lines = {e.line for d in interviewer.assessment(session).dimensions for e in d.evidence}
    assert lines == {2}  # the withdrawn answer keeps its number; the new one is line 2
    assert again.kind == "question"
    nothing = interviewer.start("enterprise-ai", BEN)[0]
    assert "no earlier answer" in interviewer.answer(nothing, BEN, "back").text


def test_done_finishes_and_the_session_can_be_continued(interviewer: Interviewer) -> None:
    session, _first = interviewer.start("enterprise-ai", ADA)
    interviewer.answer(session, ADA, DATA_FACT)
    done = interviewer.answer(session, ADA, "Done")
    assert done.kind == "finished" and done.finished
    assert "1 of 6 dimensions" in done.text
    pending = interviewer.pending(session)
    assert pending.kind == "question" and not pending.finished  # resumable where it stopped
    assert not interviewer.answer(session, ADA, TECH_FACT).finished


def test_a_complete_interview_scores_every_dimension(services: Services) -> None:
    from test_interview_cli import SCRIPT

    # The budget ends the interview once the script has been put (one question per answer).
    interviewer = Interviewer(services, max_questions=len(SCRIPT))
    session, turn = interviewer.start("enterprise-ai", ADA)
    asked = {turn.dimension}
    for answer in SCRIPT:
        turn = interviewer.answer(session, ADA, answer)
        asked.add(turn.dimension)
        if turn.finished:
            break
    assert turn.finished and turn.kind == "finished"
    assessment = interviewer.assessment(session)
    assert asked >= {d.id for d in assessment.dimensions}
    assert all(d.level is not None for d in assessment.dimensions), assessment.levels()
    assert assessment.sources[0].source == f"interview:{session}"
    assert assessment.sources[0].format == "interview"
    answers = {i + 1: a for i, a in enumerate(SCRIPT)}
    for d in assessment.dimensions:
        for e in d.evidence:
            assert e.source == f"interview:{session}" and e.speaker == "Ada"
            assert quote_in(e.quote, answers[e.line])
    assert f"0 of {len(SCRIPT)} questions left for Ada." in turn.text
    interviewer.close()


def test_two_stakeholders_are_pooled(interviewer: Interviewer) -> None:
    session, _ = interviewer.start("enterprise-ai", ADA)
    interviewer.answer(session, ADA, DATA_FACT)
    for_ben = interviewer.join(session, BEN)
    assert for_ben.kind == "question" and "engineering" in for_ben.for_roles
    interviewer.answer(session, BEN, TECH_FACT)
    assessment = interviewer.assessment(session)
    speakers = {s.name: s.role_category for s in assessment.speakers}
    assert speakers == {"Ada": "data", "Ben": "engineering"}
    by_speaker = {e.speaker for d in assessment.dimensions for e in d.evidence}
    assert by_speaker == {"Ada", "Ben"}
    assert "single_perspective" not in {w.code for w in assessment.warnings}
    assert interviewer.sessions()[0].stakeholders == ["Ada", "Ben"]
    assert interviewer.sessions()[0].turns == 2
    # Ada rejoining gets her own next question; the session keeps both people.
    assert interviewer.join(session, ADA).kind == "question"
    assert [s.name for s in interviewer.stakeholders(session)] == ["Ada", "Ben"]


def test_answers_survive_a_new_interviewer_on_the_same_database(
        interviewer: Interviewer, services: Services) -> None:
    session, _ = interviewer.start("enterprise-ai", ADA)
    interviewer.answer(session, ADA, DATA_FACT)
    waiting = interviewer.answer(session, ADA, TALENT_FACT)
    before = interviewer.assessment(session)
    interviewer.close()
    with Interviewer(services) as again:
        assert again.pending(session) == waiting
        after = again.assessment(session)
        assert after.levels() == before.levels()
        assert after.sources == before.sources
        assert again.current_stakeholder(session) == ADA


def test_unknown_sessions_and_bad_input_are_user_errors(interviewer: Interviewer) -> None:
    for call in (lambda: interviewer.pending("nope"), lambda: interviewer.assessment("nope"),
                 lambda: interviewer.answer("nope", ADA, "hi"),
                 lambda: interviewer.join("nope", ADA), lambda: interviewer.framework_of("nope")):
        with pytest.raises(UserError, match="unknown session 'nope'"):
            call()
    session, _ = interviewer.start("enterprise-ai", ADA, session_id="slack-T1-C1-17.5")
    assert session == "slack-T1-C1-17.5"
    with pytest.raises(UserError, match="already exists"):
        interviewer.start("enterprise-ai", ADA, session_id=session)
    with pytest.raises(UserError, match="unknown framework"):
        interviewer.start("no-such-framework", ADA)
    with pytest.raises(UserError, match="name and a role"):
        interviewer.start("enterprise-ai", Stakeholder(" ", "CTO"))
    with pytest.raises(UserError, match="session id"):
        interviewer.start("enterprise-ai", ADA, session_id="../etc")
    assert interviewer.answer(session, ADA, "   ").kind == "error"
    assert interviewer.sessions()[0].turns == 0


def test_sessions_run_concurrently_from_threads(interviewer: Interviewer) -> None:
    answers = [DATA_FACT, TECH_FACT, TALENT_FACT, "I think so.", "We don't have that."]
    errors: list[BaseException] = []
    turns: dict[str, list[AgentTurn]] = {}

    def run(n: int) -> None:
        try:
            person = Stakeholder(f"P{n}", "Head of Data")
            session, first = interviewer.start("enterprise-ai", person, session_id=f"thread-{n}")
            turns[session] = [first] + [interviewer.answer(session, person, a) for a in answers]
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert {s.id: s.turns for s in interviewer.sessions()} == {f"thread-{n}": 5 for n in range(6)}
    expected = [t.kind for t in turns["thread-0"]]
    for session, got in turns.items():
        assert [t.kind for t in got] == expected  # same script, same conversation
        speakers = {s.name for s in interviewer.assessment(session).speakers}
        assert speakers == {f"P{session.split('-')[1]}"}


def test_answers_to_one_session_from_two_threads_are_all_kept(interviewer: Interviewer) -> None:
    session, _ = interviewer.start("enterprise-ai", ADA)
    people = [Stakeholder(f"Q{n}", "CTO") for n in range(4)]
    threads = [threading.Thread(target=interviewer.answer, args=(session, p, TECH_FACT))
               for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    sources = interviewer.assessment(session).sources
    assert sources[0].utterances == 4
    assert {s.name for s in interviewer.stakeholders(session)} == {"Ada", "Q0", "Q1", "Q2", "Q3"}


def test_the_cached_engine_reads_exactly_like_the_engine_and_embeds_once(
        services: Services) -> None:
    transcripts = read_transcripts([ROOT / "examples" / "northwind-assessment.txt"])
    pack = services.registry.get("enterprise-ai")
    plain = OfflineEngine(services.index())
    cached = InterviewOfflineEngine(plain)
    direct = plain.propose(transcripts, pack)
    first = cached.propose(transcripts, pack)
    embedded = cached.embedder.embedded
    again = cached.propose(transcripts, pack)
    assert first.evidence == direct.evidence and again.evidence == direct.evidence
    assert first.sentences == direct.sentences and first.injections == direct.injections
    assert embedded > 0 and cached.embedder.embedded == embedded  # nothing embedded twice


OUT_OF_TURN = ("Honestly our strategy is whatever the board asks for. Every production dataset "
               "is documented in our Atlan data catalog, with a named owner. Automated dbt "
               "tests check every one of our 60 data pipelines each night.")


def test_an_answer_moves_every_dimension_it_is_evidence_about(interviewer: Interviewer) -> None:
    session, first = interviewer.start("enterprise-ai", Stakeholder("Priya", "CEO"))
    assert first.dimension == "strategy"
    interviewer.answer(session, Stakeholder("Priya", "CEO"), OUT_OF_TURN)
    data = interviewer.assessment(session).dimension("data")
    assert data.level is not None and data.evidence
    assert interviewer.levels(session)["data"] == data.level
    assert any("dbt" in e.quote or "Atlan" in e.quote for e in data.evidence)


def test_the_session_is_read_as_one_transcript_of_exchanges(services: Services) -> None:
    pack = services.registry.get("enterprise-ai")
    plain = OfflineEngine(services.index())
    reader = AnswerReader(InterviewOfflineEngine(plain))
    questions = ["How does data get from source systems into the shape your models need?",
                 "Which AI roles do you have?"]
    answers = [Utterance(speaker="Ada", role="Head of Data", text=text, source="interview:s",
                         line=n) for n, text in enumerate([DATA_FACT, TALENT_FACT], start=1)]
    exchange = Transcript(source="interview:s", format="interview", utterances=[
        u for q, a in zip(questions, answers, strict=True) for u in (
            Utterance(speaker="Interviewer", role="Interviewer", text=q,
                      source="interview:s#question", line=a.line), a)])
    reading = reader.read_session(pack, list(zip(answers, questions, strict=True)))
    assert reading.evidence == plain.propose([exchange], pack).evidence
    assert reader.read_session(pack, list(zip(answers, questions, strict=True))) is reading
    assert reader.reads == 1


def test_the_budget_ends_the_interview_and_status_says_what_is_left(
        services: Services) -> None:
    with Interviewer(services, max_questions=3) as short:
        session, _ = short.start("enterprise-ai", ADA)
        status = short.answer(session, ADA, "status")
        assert "3 of 3 questions left for Ada." in status.text and "still open" in status.text
        turns = [short.answer(session, ADA, a) for a in ("I think so.", DATA_FACT, TECH_FACT)]
        assert turns[-1].finished and "0 of 3 questions left for Ada." in turns[-1].text
        assert short.standing(session).endswith("0 of 3 questions left for Ada.")
    with pytest.raises(UserError, match="max-questions"):
        Interviewer(services, max_questions=-1)


def test_an_answer_is_read_once_as_the_engine_reads_the_exchange(services: Services) -> None:
    pack = services.registry.get("enterprise-ai")
    question = "How do your teams keep track of experiments, and is it the same system everywhere?"
    text = f"Not formally. {TECH_FACT}"
    exchange = Transcript(source="interview:s", format="interview", utterances=[
        Utterance(speaker="Interviewer", role="Interviewer", text=question,
                  source="interview:s#question", line=3),
        Utterance(speaker="Ada", role="Head of Data", text=text, source="interview:s", line=3)])
    answer = exchange.utterances[1]
    plain = OfflineEngine(services.index())
    reader = AnswerReader(InterviewOfflineEngine(plain))
    reading = reader.read(pack, answer, question)
    assert reading.evidence == plain.propose([exchange], pack).evidence
    assert reading.evidence and reader.read(pack, answer, question) is reading
    assert reader.reads == 1
