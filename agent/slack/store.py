"""What the Slack surface must remember across restarts and share between workers.

In ``MATURITY_HOME/slack.sqlite``, or in PostgreSQL when MATURITY_DATABASE_URL is set
(then any number of ``slack serve`` workers share it behind a load balancer):

- the delivery log: every Events API delivery, taken once across all workers (insert on
  conflict, keyed on the event id) and kept with its body until its work is done, so the
  events a killed worker had acknowledged but not finished are taken over by another
  (``claim_orphans``: the worker's heartbeat in ``workers`` stopped);
- the threads bound to an interview session, and the people taking part in each thread
  (name and role, or the answer held while we ask for their role).

Every statement is short; with SQLite one connection behind a lock keeps SQLite's
threading rules simple, with PostgreSQL each call takes a pooled connection.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from agent.storage.postgres import Postgres, configured_postgres
from agent.storage.sql import Sql, sqlite_transaction

ThreadState = Literal["waiting_role", "open", "finished"]

FILENAME = "slack.sqlite"
#: Slack retries for at most about an hour; a day of event ids is plenty.
DEDUP_KEEP_S = 24 * 3600
#: A worker whose heartbeat is older than this is taken for dead.
WORKER_DEAD_S = 5.0

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
CREATE TABLE IF NOT EXISTS workers (id TEXT PRIMARY KEY, heartbeat REAL NOT NULL);
CREATE TABLE IF NOT EXISTS channels (
    team TEXT NOT NULL, channel TEXT NOT NULL, engagement TEXT NOT NULL,
    PRIMARY KEY (team, channel));
"""
#: Delivery-log columns added after the first release (a SQLite file gains them on open).
_ADDED = {"body": "TEXT", "worker": "TEXT", "state": "TEXT NOT NULL DEFAULT 'done'",
          "taken_over": "INTEGER NOT NULL DEFAULT 0"}
_PG_STEPS = [[
    "CREATE TABLE events (event_id TEXT PRIMARY KEY, received DOUBLE PRECISION NOT NULL,"
    " body TEXT, worker TEXT, state TEXT NOT NULL DEFAULT 'done')",
    "CREATE INDEX events_queued ON events (state, received)",
    "CREATE TABLE threads (session_id TEXT PRIMARY KEY, team TEXT NOT NULL,"
    " channel TEXT NOT NULL, thread_ts TEXT NOT NULL, framework TEXT NOT NULL,"
    " state TEXT NOT NULL, starter TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE participants (session_id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " name TEXT NOT NULL, role TEXT, held_answer TEXT, position INTEGER NOT NULL,"
    " PRIMARY KEY (session_id, user_id))",
    "CREATE TABLE workers (id TEXT PRIMARY KEY, heartbeat DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE channels (team TEXT NOT NULL, channel TEXT NOT NULL,"
    " engagement TEXT NOT NULL, PRIMARY KEY (team, channel))",
], [
    # How often a delivery changed hands: the figure the scale-out test reports.
    "ALTER TABLE events ADD COLUMN taken_over INTEGER NOT NULL DEFAULT 0",
]]


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
    def __init__(self, path: Path | None = None, *, db: Postgres | None = None) -> None:
        if (path is None) == (db is None):
            raise ValueError("a Slack store needs a SQLite path or a PostgreSQL database")
        #: This process, in the delivery log and the heartbeat table.
        self.worker = f"w-{uuid.uuid4().hex[:12]}"
        self.db = db
        self._lock = threading.Lock()
        self._inserts = 0
        if db is not None:
            db.migrate("slack", _PG_STEPS)
            return
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        have = {row[1] for row in self._db.execute("PRAGMA table_info(events)")}
        for column, kind in _ADDED.items():
            if column not in have:
                self._db.execute(f"ALTER TABLE events ADD COLUMN {column} {kind}")

    def close(self) -> None:
        if self.db is None:
            with self._lock:
                self._db.close()

    def _tx(self) -> AbstractContextManager[Sql]:
        if self.db is not None:
            return self.db.transaction()
        return sqlite_transaction(self._db, self._lock, begin="BEGIN IMMEDIATE")

    # -- deliveries -----------------------------------------------------------------
    def first_delivery(self, event_id: str, body: str | None = None) -> bool:
        """Record ``event_id``; True only the first time it is ever seen, by any worker.
        With ``body`` the delivery stays queued under this worker until ``finished``."""
        now = time.time()
        with self._tx() as sql:
            added = sql.execute(
                "INSERT INTO events (event_id, received, body, worker, state)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                (event_id, now, body, self.worker, "queued" if body else "done")).rowcount
            self._inserts += 1
            if self._inserts % 500 == 0:
                sql.execute("DELETE FROM events WHERE received < ?", (now - DEDUP_KEEP_S,))
        return added == 1

    def finished(self, event_id: str) -> None:
        """The delivery's work is done (or was nothing to do): no one takes it over."""
        with self._tx() as sql:
            sql.execute("UPDATE events SET state = 'done', body = NULL WHERE event_id = ?",
                        (event_id,))

    def beat(self) -> None:
        """This worker is alive (call every second or so)."""
        with self._tx() as sql:
            sql.execute("INSERT INTO workers (id, heartbeat) VALUES (?, ?) ON CONFLICT (id)"
                        " DO UPDATE SET heartbeat = excluded.heartbeat",
                        (self.worker, time.time()))

    def claim_orphans(self, dead_after: float = WORKER_DEAD_S,
                      limit: int = 50) -> list[tuple[str, str]]:
        """Take over the queued deliveries of workers that stopped beating (killed, or
        this process before a restart): (event id, body), oldest first."""
        alive_since = time.time() - dead_after
        lock = " FOR UPDATE SKIP LOCKED" if self.db is not None else ""
        with self._tx() as sql:
            rows = sql.all(
                "SELECT event_id, body FROM events WHERE state = 'queued' AND body IS NOT NULL"
                " AND worker <> ? AND received < ? AND worker NOT IN"
                " (SELECT id FROM workers WHERE heartbeat >= ?)"
                f" ORDER BY received LIMIT {int(limit)}{lock}",
                (self.worker, alive_since, alive_since))
            for event_id, _ in rows:
                sql.execute("UPDATE events SET worker = ?, taken_over = taken_over + 1"
                            " WHERE event_id = ?", (self.worker, event_id))
            sql.execute("DELETE FROM workers WHERE heartbeat < ?", (time.time() - DEDUP_KEEP_S,))
        return [(str(r[0]), str(r[1])) for r in rows]

    def taken_over(self) -> int:
        """How many deliveries were taken over from a stopped worker, ever (today's log)."""
        with self._tx() as sql:
            return int(sql.one("SELECT COALESCE(SUM(taken_over), 0) FROM events")[0])

    # -- channels -------------------------------------------------------------------
    def channel_engagement(self, team: str, channel: str) -> str | None:
        """The client engagement a channel's assessments belong to, if one was set."""
        with self._tx() as sql:
            row = sql.one("SELECT engagement FROM channels WHERE team = ? AND channel = ?",
                          (team, channel))
        return None if row is None else str(row[0])

    def set_channel_engagement(self, team: str, channel: str, engagement: str) -> None:
        with self._tx() as sql:
            sql.execute("INSERT INTO channels (team, channel, engagement) VALUES (?, ?, ?)"
                        " ON CONFLICT (team, channel) DO UPDATE SET"
                        " engagement = excluded.engagement", (team, channel, engagement))

    # -- threads --------------------------------------------------------------------
    def bind(self, key: ThreadKey, framework: str, starter: str, state: ThreadState) -> bool:
        """Bind a thread to a new session; False when the thread already has one."""
        with self._tx() as sql:
            added = sql.execute(
                "INSERT INTO threads (session_id, team, channel, thread_ts, framework, state,"
                " starter, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id) DO NOTHING",
                (key.session_id, key.team, key.channel, key.thread_ts, framework, state,
                 starter, time.time())).rowcount
        return added == 1

    def thread(self, key: ThreadKey) -> BoundThread | None:
        with self._tx() as sql:
            row = sql.one("SELECT framework, state, starter FROM threads WHERE session_id = ?",
                          (key.session_id,))
        if row is None:
            return None
        return BoundThread(key, row[0], row[1], row[2])

    def set_state(self, key: ThreadKey, state: ThreadState) -> None:
        with self._tx() as sql:
            sql.execute("UPDATE threads SET state = ? WHERE session_id = ?",
                        (state, key.session_id))

    # -- participants ---------------------------------------------------------------
    def participants(self, key: ThreadKey) -> list[Participant]:
        """Everyone in the thread, in the order they first spoke."""
        with self._tx() as sql:
            rows = sql.all("SELECT user_id, name, role, held_answer FROM participants "
                           "WHERE session_id = ? ORDER BY position", (key.session_id,))
        return [Participant(r[0], r[1], r[2], r[3]) for r in rows]

    def participant(self, key: ThreadKey, user_id: str) -> Participant | None:
        for person in self.participants(key):
            if person.user_id == user_id:
                return person
        return None

    def save_participant(self, key: ThreadKey, person: Participant) -> None:
        with self._tx() as sql:
            sql.execute(
                "INSERT INTO participants (session_id, user_id, name, role, held_answer,"
                " position) VALUES (?, ?, ?, ?, ?, (SELECT COUNT(*) FROM participants"
                " WHERE session_id = ?)) ON CONFLICT (session_id, user_id) DO UPDATE SET"
                " name = excluded.name, role = excluded.role,"
                " held_answer = excluded.held_answer",
                (key.session_id, person.user_id, person.name, person.role, person.held_answer,
                 key.session_id))


def slack_store(home: Path) -> SlackStore:
    """The Slack surface's store: PostgreSQL when MATURITY_DATABASE_URL is set, else
    ``MATURITY_HOME/slack.sqlite``."""
    db = configured_postgres()
    return SlackStore(db=db) if db is not None else SlackStore(home / FILENAME)
