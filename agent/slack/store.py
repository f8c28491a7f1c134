"""What the Slack surface must remember across restarts, in MATURITY_HOME/slack.sqlite.

Three small tables: the Events API deliveries already taken (so a retry that arrives
after a restart is still dropped), the threads bound to an interview session, and the
people taking part in each thread (name and role, or the answer held while we ask for
their role). One connection behind a lock: every write is a single short statement, so
serialising them costs nothing next to the interview work, and it keeps SQLite's
threading rules simple.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ThreadState = Literal["waiting_role", "open", "finished"]

#: Slack retries for at most about an hour; a day of event ids is plenty.
DEDUP_KEEP_S = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, received REAL NOT NULL);
CREATE TABLE IF NOT EXISTS threads (
    session_id TEXT PRIMARY KEY, team TEXT NOT NULL, channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL, framework TEXT NOT NULL, state TEXT NOT NULL,
    starter TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    session_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL, role TEXT,
    held_answer TEXT, position INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id));
"""


@dataclass(frozen=True)
class ThreadKey:
    team: str
    channel: str
    thread_ts: str

    @property
    def session_id(self) -> str:
        return f"slack-{self.team}-{self.channel}-{self.thread_ts}"


@dataclass(frozen=True)
class BoundThread:
    key: ThreadKey
    framework: str
    state: ThreadState
    starter: str


@dataclass(frozen=True)
class Participant:
    user_id: str
    name: str
    role: str | None
    #: None: never asked for a role; "": asked, nothing held; text: their first
    #: message, kept until they have told us their role.
    held_answer: str | None


class SlackStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._inserts = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- deliveries -----------------------------------------------------------------
    def first_delivery(self, event_id: str) -> bool:
        """Record ``event_id``; True only the first time it is ever seen."""
        now = time.time()
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO events (event_id, received) VALUES (?, ?)", (event_id, now))
            self._inserts += 1
            if self._inserts % 500 == 0:
                self._db.execute("DELETE FROM events WHERE received < ?", (now - DEDUP_KEEP_S,))
            return cursor.rowcount == 1

    # -- threads --------------------------------------------------------------------
    def bind(self, key: ThreadKey, framework: str, starter: str, state: ThreadState) -> bool:
        """Bind a thread to a new session; False when the thread already has one."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO threads VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key.session_id, key.team, key.channel, key.thread_ts, framework, state,
                 starter, time.time()))
            return cursor.rowcount == 1

    def thread(self, key: ThreadKey) -> BoundThread | None:
        with self._lock:
            row = self._db.execute(
                "SELECT framework, state, starter FROM threads WHERE session_id = ?",
                (key.session_id,)).fetchone()
        if row is None:
            return None
        return BoundThread(key, row[0], row[1], row[2])

    def set_state(self, key: ThreadKey, state: ThreadState) -> None:
        with self._lock:
            self._db.execute("UPDATE threads SET state = ? WHERE session_id = ?",
                             (state, key.session_id))

    # -- participants ---------------------------------------------------------------
    def participants(self, key: ThreadKey) -> list[Participant]:
        """Everyone in the thread, in the order they first spoke."""
        with self._lock:
            rows = self._db.execute(
                "SELECT user_id, name, role, held_answer FROM participants "
                "WHERE session_id = ? ORDER BY position", (key.session_id,)).fetchall()
        return [Participant(r[0], r[1], r[2], r[3]) for r in rows]

    def participant(self, key: ThreadKey, user_id: str) -> Participant | None:
        for person in self.participants(key):
            if person.user_id == user_id:
                return person
        return None

    def save_participant(self, key: ThreadKey, person: Participant) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO participants (session_id, user_id, name, role, held_answer,"
                " position) VALUES (?, ?, ?, ?, ?, (SELECT COUNT(*) FROM participants"
                " WHERE session_id = ?)) ON CONFLICT (session_id, user_id) DO UPDATE SET"
                " name = excluded.name, role = excluded.role,"
                " held_answer = excluded.held_answer",
                (key.session_id, person.user_id, person.name, person.role, person.held_answer,
                 key.session_id))
