"""Interview sessions on a real PostgreSQL server: resumed from another MATURITY_HOME
(another host), one turn at a time across workers, and a redelivered answer taken once."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from agent.app import build_services
from agent.interview import Interviewer, Stakeholder
from agent.retrieval.embedder import default_embedder
from agent.storage.postgres import shared_postgres

ADA = Stakeholder("Ada", "Head of Data")
FACT = ("Our production datasets are documented in the project wiki with source, schema "
        "and refresh timing, and they arrive through scripted Airflow pipelines every night.")


def _interviewer(home: Path) -> Interviewer:
    return Interviewer(build_services(home, embedder_factory=default_embedder))


def test_a_session_started_under_one_home_resumes_under_another(
        postgres_url: str, tmp_path: Path, real_index_home: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(real_index_home, one)
    shutil.copytree(real_index_home, two)
    with _interviewer(one) as first:
        session, question = first.start("enterprise-ai", ADA)
        first.answer(session, ADA, FACT)
        pending = first.pending(session)
    with _interviewer(two) as second:
        assert second.framework_of(session) == "enterprise-ai"
        assert second.pending(session) == pending
        assert [s.id for s in second.sessions()] == [session]
        assert question.text in [t.text for t in second.store.conversation(session)]
        assert second.answer(session, ADA, "skip").text
    assert not (one / "sessions.sqlite").exists() and not (two / "sessions.sqlite").exists()


def test_a_redelivered_answer_is_recorded_once(postgres_url: str, indexed_home: Path) -> None:
    with _interviewer(indexed_home) as core:
        session, _ = core.start("enterprise-ai", ADA)
        reply = core.answer(session, ADA, FACT, delivery="Ev1")
        again = core.answer(session, ADA, FACT, delivery="Ev1")
        assert again == reply == core.pending(session)
        answers = [a for a in core._values(session).get("answers", [])]
        assert [a["text"] for a in answers] == [FACT]


def test_two_workers_never_advance_one_session_at_once(postgres_url: str,
                                                         indexed_home: Path) -> None:
    db = shared_postgres(postgres_url)
    inside: list[str] = []
    overlap: list[bool] = []

    def hold(name: str) -> None:
        with db.session_lock("s-1"):
            inside.append(name)
            overlap.append(len(inside) > 1)
            time.sleep(0.2)
            inside.remove(name)

    workers = [threading.Thread(target=hold, args=(f"w{i}",)) for i in range(3)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert overlap == [False, False, False]
    assert time.perf_counter() - started >= 0.6  # they took turns
    with db.session_lock("s-2"), db.session_lock("s-3"):
        pass  # different sessions do not wait for each other
