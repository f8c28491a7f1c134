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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

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
    def __init__(self, path: Path) -> None:
        self.path = path
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

    def engagement(self, session_id: str) -> str | None:
        """The client engagement the session belongs to (``--engagement``), if any."""
        with self.saver.lock:
            row = self.conn.execute("SELECT engagement FROM interview_sessions WHERE id = ?",
                                    (session_id,)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def set_engagement(self, session_id: str, engagement: str) -> None:
        with self.saver.lock:
            self.conn.execute("UPDATE interview_sessions SET engagement = ? WHERE id = ?",
                              (engagement, session_id))
            self.conn.commit()

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


def _agent(record: dict[str, Any]) -> PastTurn:
    return PastTurn("agent", str(record.get("text", "")), dimension=record.get("dimension"),
                    kind=str(record.get("kind") or "question"))
