"""The sessions database: langgraph checkpoints plus a small table of session metadata.

With MATURITY_DATABASE_URL set, both live in PostgreSQL (langgraph's PostgreSQL
checkpointer on the process's shared pool), so any worker on any host can resume any
session; ``session_lock`` then serialises turns across workers.

Otherwise: one SQLite file (``MATURITY_HOME/sessions.sqlite``) in WAL mode, one
connection shared by the checkpointer and the metadata table under the checkpointer's
lock, so threads serving different sessions never see "database is locked".
``synchronous=NORMAL``: a committed turn survives the process being killed (the WAL is
on disk); only a power cut can lose the last turns. The metadata row is written just
after the turn's checkpoint; after a crash between the two it lags by one turn until the
next turn.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.interview.model import SessionSummary
from agent.storage.postgres import Postgres, configured_postgres
from agent.storage.sql import Sql, sqlite_transaction
from agent.storage_errors import storage_error

FILENAME = "sessions.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS interview_sessions (
    id TEXT PRIMARY KEY,
    framework TEXT NOT NULL,
    engine TEXT NOT NULL,
    stakeholders TEXT NOT NULL DEFAULT '[]',
    turns INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
_PG_STEPS = [[
    "CREATE TABLE interview_sessions (id TEXT PRIMARY KEY, framework TEXT NOT NULL,"
    " engine TEXT NOT NULL, stakeholders TEXT NOT NULL DEFAULT '[]',"
    " turns INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0,"
    " created TEXT NOT NULL, updated TEXT NOT NULL, engagement TEXT)",
    "CREATE INDEX interview_sessions_updated ON interview_sessions (updated)",
]]


@dataclass(frozen=True)
class PastTurn:
    """One line of a session's conversation so far, for a surface to show on resume."""

    speaker: Literal["agent", "person"]
    text: str
    name: str | None = None  # the person who answered (None for the agent)
    dimension: str | None = None  # what the question was about
    kind: str = "question"  # the agent's: "question" | "follow_up"; the person's: "answer"
    withdrawn: bool = False  # an answer taken back with "back": shown, no longer evidence


class SessionStore:
    def __init__(self, path: Path | None = None, *, db: Postgres | None = None) -> None:
        if (path is None) == (db is None):
            raise ValueError("a session store needs a SQLite path or a PostgreSQL database")
        self.path = path
        self.db = db
        self.saver: BaseCheckpointSaver[Any]
        if db is not None:
            from langgraph.checkpoint.postgres import PostgresSaver

            saver = PostgresSaver(db.pool)
            db.migrate("sessions", _PG_STEPS, after=saver.setup)
            self.saver = saver
            self._lock = threading.Lock()  # only the SQLite connection needs one
            return
        assert path is not None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(interview_sessions)")}
            if "engagement" not in columns:  # a sessions file from before engagements
                conn.execute("ALTER TABLE interview_sessions ADD COLUMN engagement TEXT")
            conn.commit()
        except sqlite3.Error as exc:
            raise storage_error(path, "the sessions database", exc) from None
        self.conn = conn
        sqlite_saver = SqliteSaver(conn)  # thread-safe: every access holds saver.lock
        sqlite_saver.setup()
        self._lock = sqlite_saver.lock
        self.saver = sqlite_saver

    def close(self) -> None:
        if self.db is None:
            with self._lock:
                self.conn.close()

    def _tx(self) -> AbstractContextManager[Sql]:
        if self.db is not None:
            return self.db.transaction()
        return sqlite_transaction(self.conn, self._lock)

    def session_lock(self, session_id: str) -> AbstractContextManager[None]:
        """Held while a turn runs: across workers with PostgreSQL; one process owns a
        SQLite file, where the Interviewer's own lock is enough."""
        return self.db.session_lock(session_id) if self.db is not None else nullcontext()

    def exists(self, session_id: str) -> bool:
        with self._tx() as sql:
            row = sql.one("SELECT 1 FROM interview_sessions WHERE id = ?", (session_id,))
        return row is not None

    def framework(self, session_id: str) -> str | None:
        with self._tx() as sql:
            row = sql.one("SELECT framework FROM interview_sessions WHERE id = ?", (session_id,))
        return None if row is None else str(row[0])

    def engagement(self, session_id: str) -> str | None:
        """The client engagement the session belongs to (``--engagement``), if any."""
        with self._tx() as sql:
            row = sql.one("SELECT engagement FROM interview_sessions WHERE id = ?",
                          (session_id,))
        return None if row is None or row[0] is None else str(row[0])

    def set_engagement(self, session_id: str, engagement: str) -> None:
        with self._tx() as sql:
            sql.execute("UPDATE interview_sessions SET engagement = ? WHERE id = ?",
                        (engagement, session_id))

    def record(self, session_id: str, framework: str, engine: str, stakeholders: list[str],
               turns: int, finished: bool, now: str) -> None:
        with self._tx() as sql:
            sql.execute(
                "INSERT INTO interview_sessions "
                "(id, framework, engine, stakeholders, turns, finished, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "stakeholders = excluded.stakeholders, turns = excluded.turns, "
                "finished = excluded.finished, updated = excluded.updated, "
                "engine = excluded.engine",
                (session_id, framework, engine, json.dumps(stakeholders), turns, int(finished),
                 now, now))

    def summaries(self) -> list[SessionSummary]:
        with self._tx() as sql:
            rows = sql.all("SELECT id, framework, stakeholders, turns, updated"
                           " FROM interview_sessions ORDER BY updated DESC, id")
        return [SessionSummary(id=r[0], framework=r[1], stakeholders=list(json.loads(r[2])),
                               turns=int(r[3]), updated=r[4]) for r in rows]

    def conversation(self, session_id: str) -> list[PastTurn]:
        """The questions asked and the answers given so far, oldest first, from the last
        checkpoint. Commands (why, status, back) leave no record and are not replayed; a
        skipped question shows as the question and ``skip``; the pending question is not
        included (the surface shows it as the next turn)."""
        values = self._checkpoint_values(session_id)
        answers = sorted((a for a in values.get("answers") or [] if isinstance(a, dict)),
                         key=lambda a: int(a.get("line") or 0))
        log = [r for r in values.get("log") or [] if isinstance(r, dict)]
        asked_by_line = {int(r["line"]): r for r in log if r.get("line") is not None}
        out: list[PastTurn] = []
        done: set[int] = set()

        def answers_up_to(last: float) -> None:
            for a in answers:
                line = int(a.get("line") or 0)
                if line in done or line > last:
                    continue
                done.add(line)
                record = asked_by_line.get(line)
                if record is not None and record.get("text"):
                    out.append(_agent(record))
                elif a.get("asked"):
                    out.append(PastTurn("agent", str(a["asked"])))
                out.append(PastTurn("person", str(a.get("text", "")), name=a.get("name"),
                                    dimension=(record or {}).get("dimension"), kind="answer",
                                    withdrawn=bool(a.get("withdrawn"))))

        for record in log:
            if record.get("outcome") == "skipped":
                out.append(_agent(record))
                out.append(PastTurn("person", "skip", name=record.get("by"),
                                    dimension=record.get("dimension"), kind="skip"))
            elif record.get("line") is not None:
                answers_up_to(int(record["line"]))
        answers_up_to(float("inf"))
        return out

    def _checkpoint_values(self, session_id: str) -> dict[str, Any]:
        """The state the session's graph paused with (empty for an unknown session)."""
        found = self.saver.get_tuple({"configurable": {"thread_id": session_id,
                                                       "checkpoint_ns": ""}})
        if found is None:
            return {}
        values = found.checkpoint.get("channel_values") or {}
        return dict(values)


def session_store(home: Path) -> SessionStore:
    """The sessions of this installation: PostgreSQL when MATURITY_DATABASE_URL is set,
    else ``MATURITY_HOME/sessions.sqlite`` (created)."""
    db = configured_postgres()
    return SessionStore(db=db) if db is not None else SessionStore(home / FILENAME)


def existing_session_store(home: Path) -> SessionStore | None:
    """Like ``session_store``, but None when no SQLite sessions file exists yet (a
    listing must not create one)."""
    db = configured_postgres()
    if db is not None:
        return SessionStore(db=db)
    path = home / FILENAME
    return SessionStore(path) if path.is_file() else None


def _agent(record: dict[str, Any]) -> PastTurn:
    return PastTurn("agent", str(record.get("text", "")), dimension=record.get("dimension"),
                    kind=str(record.get("kind") or "question"))
