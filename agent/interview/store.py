"""The sessions database: langgraph checkpoints plus a small table of session metadata.

One SQLite file (``MATURITY_HOME/sessions.sqlite``) in WAL mode, one connection shared by
the checkpointer and the metadata table under the checkpointer's lock, so threads
serving different sessions never see "database is locked". ``synchronous=NORMAL``: a
committed turn survives the process being killed (the WAL is on disk); only a power
cut can lose the last turns. The metadata row is written just after the turn's
checkpoint; after a crash between the two it lags by one turn until the next turn.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

from agent.interview.model import SessionSummary
from agent.storage_errors import storage_error

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


class SessionStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            conn.commit()
        except sqlite3.Error as exc:
            raise storage_error(path, "the sessions database", exc) from None
        self.conn = conn
        self.saver = SqliteSaver(conn)  # thread-safe: every access holds saver.lock
        self.saver.setup()

    def close(self) -> None:
        with self.saver.lock:
            self.conn.close()

    def exists(self, session_id: str) -> bool:
        with self.saver.lock:
            row = self.conn.execute("SELECT 1 FROM interview_sessions WHERE id = ?",
                                    (session_id,)).fetchone()
        return row is not None

    def framework(self, session_id: str) -> str | None:
        with self.saver.lock:
            row = self.conn.execute("SELECT framework FROM interview_sessions WHERE id = ?",
                                    (session_id,)).fetchone()
        return None if row is None else str(row[0])

    def record(self, session_id: str, framework: str, engine: str, stakeholders: list[str],
               turns: int, finished: bool, now: str) -> None:
        with self.saver.lock:
            self.conn.execute(
                "INSERT INTO interview_sessions "
                "(id, framework, engine, stakeholders, turns, finished, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "stakeholders = excluded.stakeholders, turns = excluded.turns, "
                "finished = excluded.finished, updated = excluded.updated, "
                "engine = excluded.engine",
                (session_id, framework, engine, json.dumps(stakeholders), turns, int(finished),
                 now, now))
            self.conn.commit()

    def summaries(self) -> list[SessionSummary]:
        with self.saver.lock:
            rows = self.conn.execute(
                "SELECT id, framework, stakeholders, turns, updated FROM interview_sessions "
                "ORDER BY updated DESC, id").fetchall()
        return [SessionSummary(id=r[0], framework=r[1], stakeholders=list(json.loads(r[2])),
                               turns=int(r[3]), updated=r[4]) for r in rows]
