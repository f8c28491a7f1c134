"""The assessment history: one SQLite file, ``MATURITY_HOME/history.sqlite``, in WAL mode,
or the PostgreSQL database of ``MATURITY_DATABASE_URL`` (shared by every worker and host).

Each assessment is stored whole (its JSON) with the columns a listing needs: framework,
engine, prompt version, when it was made, where it came from, the level per dimension,
the engagement (client) it belongs to, and the interview session it came from.
Every save is one transaction, so a crash leaves the previous good state. A connection
per call keeps the store safe to share between threads (the Slack surface saves from
its workers); WAL lets readers carry on while one of them writes.

A review never edits an entry: it adds a *revision* (a new entry whose ``revision_of``
is the original's id) and one audit row per change in ``reviews`` (who, when, what, why),
in one transaction. The original proposal stays readable under its own id.

Saving an interview session whose newest stored assessment is the same (resuming a
finished session) returns that entry instead of adding another.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import re
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.storage.postgres import Postgres, configured_postgres
from agent.storage.sql import Sql
from agent.storage_errors import storage_error

if TYPE_CHECKING:
    from agent.app import Services

FILENAME = "history.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS assessments (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    saved TEXT NOT NULL,
    framework TEXT NOT NULL,
    engine TEXT NOT NULL,
    prompt_version TEXT,
    origin TEXT NOT NULL,
    levels TEXT NOT NULL,
    assessment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assessments_created ON assessments (created);
CREATE TABLE IF NOT EXISTS reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    root TEXT NOT NULL,
    revision TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS reviews_root ON reviews (root);
"""
#: PostgreSQL's schema, as versioned migrations (agent.storage.postgres.Postgres.migrate).
#: ``seq`` keeps the order of saving that SQLite's rowid keeps.
_PG_STEPS = [[
    "CREATE TABLE assessments (seq BIGSERIAL NOT NULL, id TEXT PRIMARY KEY,"
    " created TEXT NOT NULL, saved TEXT NOT NULL, framework TEXT NOT NULL,"
    " engine TEXT NOT NULL, prompt_version TEXT, origin TEXT NOT NULL, levels TEXT NOT NULL,"
    " assessment TEXT NOT NULL, engagement TEXT, session TEXT, revision_of TEXT,"
    " revision INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX assessments_created ON assessments (created)",
    "CREATE INDEX assessments_engagement ON assessments (engagement)",
    "CREATE INDEX assessments_session ON assessments (session)",
    "CREATE TABLE reviews (seq BIGSERIAL PRIMARY KEY, root TEXT NOT NULL,"
    " revision TEXT NOT NULL, at TEXT NOT NULL, \"by\" TEXT NOT NULL, action TEXT NOT NULL,"
    " target TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX reviews_root ON reviews (root)",
]]
#: Columns added after the first release; an older history file gains them on open.
_ADDED = {"engagement": "TEXT", "session": "TEXT", "revision_of": "TEXT",
          "revision": "INTEGER NOT NULL DEFAULT 0"}
_ORIGIN = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_COLUMNS = ("id, framework, engine, created, levels, origin, prompt_version, engagement,"
            " revision, revision_of, saved, session")
MAX_ENGAGEMENT_CHARS = 80


@dataclass(frozen=True)
class HistoryEntry:
    id: str
    framework: str
    engine: str
    created: str
    levels: dict[str, int | None] = field(default_factory=dict)
    origin: str = ""
    prompt_version: str | None = None
    engagement: str | None = None
    #: 0 for the machine's assessment; n for the n-th review of it.
    revision: int = 0
    #: The original entry's id, for a revision.
    revision_of: str | None = None
    saved: str = ""
    session: str | None = None

    @property
    def root(self) -> str:
        """The id of the original assessment this entry is (a revision of)."""
        return self.revision_of or self.id

    def public(self) -> dict[str, Any]:
        """The contract's shape for ``maturity history``, plus origin, prompt version,
        engagement and revision."""
        return {"id": self.id, "framework": self.framework, "engine": self.engine,
                "created": self.created, "levels": dict(self.levels), "origin": self.origin,
                "prompt_version": self.prompt_version, "engagement": self.engagement,
                "revision": self.revision, "revision_of": self.revision_of}


@dataclass(frozen=True)
class AuditEntry:
    """One change a review made: who, when, what (action and target), why."""

    by: str
    at: str
    action: str  # "reject" | "accept" | "set"
    target: str  # an evidence ref, or a dimension id
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    revision: str = ""  # the history entry the change produced (filled on save)

    def public(self) -> dict[str, Any]:
        return {"by": self.by, "at": self.at, "action": self.action, "target": self.target,
                "reason": self.reason, "detail": dict(self.detail), "revision": self.revision}


def check_engagement(name: str) -> str:
    """The engagement name to store: trimmed, printable, not too long."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_ENGAGEMENT_CHARS or not cleaned.isprintable():
        raise UserError(f"engagement name {name!r} must be 1 to {MAX_ENGAGEMENT_CHARS} "
                        "printable characters, e.g. --engagement 'Acme Bank 2026'")
    return cleaned


class HistoryStore:
    def __init__(self, path: Path | None = None, *, db: Postgres | None = None) -> None:
        if (path is None) == (db is None):
            raise ValueError("a history store needs a SQLite path or a PostgreSQL database")
        self.path = path
        self.db = db
        #: The column that keeps the order entries were saved in.
        self._seq = "seq" if db is not None else "rowid"
        if db is not None:
            db.migrate("history", _PG_STEPS)
            return
        with self._connect() as sql:
            conn = sql.conn
            assert isinstance(conn, sqlite3.Connection)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(assessments)")}
            for column, kind in _ADDED.items():
                if column not in have:
                    conn.execute(f"ALTER TABLE assessments ADD COLUMN {column} {kind}")
            conn.execute("CREATE INDEX IF NOT EXISTS assessments_engagement"
                         " ON assessments (engagement)")

    @contextmanager
    def _connect(self) -> Iterator[Sql]:
        if self.db is not None:
            with self.db.transaction() as sql:
                yield sql
            return
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise storage_error(self.path, "the history", exc) from None
        try:
            with conn:  # one transaction: committed on success, rolled back on error
                yield Sql(conn)
        except sqlite3.DatabaseError as exc:
            raise storage_error(self.path, "the history", exc) from None
        finally:
            conn.close()

    def save(self, assessment: Assessment, origin: str, *, engagement: str | None = None,
             session: str | None = None) -> str:
        """Store the assessment; returns its id.

        ``session`` defaults to the interview session named by the assessment's source
        (``interview:<id>``). When that session's newest original entry holds the same
        assessment (only the time it was made differs), its id is returned and nothing
        is added: resuming a finished interview does not fill the history.
        """
        if not _ORIGIN.match(origin):
            raise ValueError(f"origin must be a short lowercase word, got {origin!r}")
        engagement = check_engagement(engagement) if engagement is not None else None
        session = session or session_of(assessment)
        with self._connect() as conn:
            if session is not None:
                same = _same_session_entry(conn, session, assessment, self._seq)
                if same is not None:
                    return same
            return _insert(conn, assessment, origin, engagement, session, None, 0)

    def save_revision(self, of: str, assessment: Assessment,
                      changes: Sequence[AuditEntry]) -> str:
        """A reviewed copy of the assessment ``of`` (or of its chain's original) as a new
        entry, with one audit row per change; all in one transaction. Returns the new id."""
        if not changes:
            raise ValueError("a revision needs at least one change")
        base = self.entry(of)
        with self._connect() as conn:
            newest = conn.execute("SELECT MAX(revision) FROM assessments WHERE id = ?"
                                  " OR revision_of = ?", (base.root, base.root)).fetchone()[0]
            new_id = _insert(conn, assessment, base.origin, base.engagement, base.session,
                             base.root, int(newest or 0) + 1)
            conn.executemany(
                "INSERT INTO reviews (root, revision, at, \"by\", action, target, reason, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(base.root, new_id, c.at, c.by, c.action, c.target, c.reason,
                  json.dumps(c.detail, ensure_ascii=False)) for c in changes])
        return new_id

    def audit(self, id_or_prefix: str) -> list[AuditEntry]:
        """Every review change of the assessment (any revision of it names the chain)."""
        root = self.entry(id_or_prefix).root
        with self._connect() as conn:
            rows = conn.execute("SELECT \"by\", at, action, target, reason, detail, revision"
                                " FROM reviews WHERE root = ? ORDER BY seq", (root,)).fetchall()
        return [AuditEntry(by=r[0], at=r[1], action=r[2], target=r[3], reason=r[4],
                           detail=json.loads(r[5]), revision=r[6]) for r in rows]

    def newest_revision(self, id_or_prefix: str) -> HistoryEntry:
        """The latest revision of the assessment (the entry itself when never reviewed)."""
        root = self.entry(id_or_prefix).root
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM assessments WHERE id = ? OR"
                               " revision_of = ? ORDER BY revision DESC LIMIT 1",
                               (root, root)).fetchone()
        return _entry(row)

    def list(self, framework: str | None = None,
             engagement: str | None = None) -> list[HistoryEntry]:
        """Oldest first, as a quarterly series reads; every revision is an entry."""
        query = f"SELECT {_COLUMNS} FROM assessments WHERE 1 = 1"
        args: list[str] = []
        if framework:
            query += " AND framework = ?"
            args.append(framework)
        if engagement is not None:
            query += " AND engagement = ?"
            args.append(check_engagement(engagement))
        with self._connect() as conn:
            rows = conn.execute(query + f" ORDER BY created, {self._seq}", args).fetchall()
        return [_entry(r) for r in rows]

    def latest(self, engagement: str | None = None) -> builtins.list[HistoryEntry]:
        """The newest revision of each assessment, oldest assessment first."""
        newest: dict[str, HistoryEntry] = {}
        for e in self.list(engagement=engagement):
            if e.root not in newest or e.revision > newest[e.root].revision:
                newest[e.root] = e
        return sorted(newest.values(), key=lambda e: (e.created, e.saved))

    def engagement_names(self) -> builtins.list[str]:
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT engagement FROM assessments"
                                " WHERE engagement IS NOT NULL ORDER BY engagement").fetchall()
        return [str(r[0]) for r in rows]

    def rename_engagement(self, old: str, new: str) -> int:
        """Move every entry of ``old`` to ``new``; returns how many moved."""
        old, new = self.known_engagement(old), check_engagement(new)
        if new == old:
            return 0
        if new in self.engagement_names():
            raise UserError(f"engagement {new!r} already exists; choose another name")
        with self._connect() as conn:
            moved = conn.execute("UPDATE assessments SET engagement = ? WHERE engagement = ?",
                                 (new, old)).rowcount
        return int(moved)

    def delete_engagement(self, name: str) -> int:
        """Delete every entry (and review) of the engagement; returns how many entries."""
        name = self.known_engagement(name)
        with self._connect() as conn:
            conn.execute("DELETE FROM reviews WHERE root IN (SELECT id FROM assessments"
                         " WHERE engagement = ?)", (name,))
            gone = conn.execute("DELETE FROM assessments WHERE engagement = ?",
                                (name,)).rowcount
        return int(gone)

    def tag_session(self, session: str, engagement: str) -> int:
        """Put a session's untagged entries in ``engagement`` (a surface that saved them
        without knowing it); returns how many."""
        engagement = check_engagement(engagement)
        with self._connect() as conn:
            tagged = conn.execute("UPDATE assessments SET engagement = ? WHERE session = ?"
                                  " AND engagement IS NULL", (engagement, session)).rowcount
        return int(tagged)

    def session_entry(self, session: str) -> HistoryEntry | None:
        """The newest original entry saved from an interview session, if any."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM assessments WHERE session = ? AND"
                               f" revision_of IS NULL ORDER BY {self._seq} DESC LIMIT 1",
                               (session,)).fetchone()
        return None if row is None else _entry(row)

    def known_engagement(self, name: str) -> str:
        """The stored name of an existing engagement; UserError listing them otherwise."""
        cleaned = check_engagement(name)
        known = self.engagement_names()
        if cleaned not in known:
            listed = ", ".join(repr(n) for n in known[:5]) or "none yet"
            raise UserError(f"no engagement {name!r} in the history (known: {listed}); "
                            "'maturity engagements list' shows them")
        return cleaned

    def get(self, id_or_prefix: str) -> Assessment:
        return self._load(self.resolve(id_or_prefix))

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id, a unique prefix of one, or ``latest``."""
        key = id_or_prefix.strip().lower()
        with self._connect() as conn:
            if key == "latest":
                rows = conn.execute("SELECT id FROM assessments ORDER BY created DESC,"
                                    f" {self._seq} DESC LIMIT 1").fetchall()
            elif re.fullmatch(r"[0-9a-f]+", key):  # hex only: no LIKE wildcards in it
                rows = conn.execute("SELECT id FROM assessments WHERE id LIKE ?",
                                    (key + "%",)).fetchall()
            else:
                rows = []
        ids = sorted({r[0] for r in rows})
        if key in ids:
            return key
        if not ids:
            raise UserError(f"no assessment {id_or_prefix!r} in the history; "
                            "'maturity history' lists the ids")
        if len(ids) > 1:
            raise UserError(f"{id_or_prefix!r} matches {len(ids)} assessments "
                            f"({', '.join(ids[:5])}); give more of the id")
        return str(ids[0])

    def entry(self, id_or_prefix: str) -> HistoryEntry:
        full = self.resolve(id_or_prefix)
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM assessments WHERE id = ?",
                               (full,)).fetchone()
        return _entry(row)

    def _load(self, full_id: str) -> Assessment:
        with self._connect() as conn:
            row = conn.execute("SELECT assessment FROM assessments WHERE id = ?",
                               (full_id,)).fetchone()
        return Assessment.model_validate_json(row[0])


def _entry(row: tuple[Any, ...]) -> HistoryEntry:
    (entry_id, framework, engine, created, levels, origin, prompt_version, engagement,
     revision, revision_of, saved, session) = row
    return HistoryEntry(id=entry_id, framework=framework, engine=engine, created=created,
                        levels=json.loads(levels), origin=origin, prompt_version=prompt_version,
                        engagement=engagement, revision=int(revision or 0),
                        revision_of=revision_of, saved=saved, session=session)


def _insert(conn: Sql, assessment: Assessment, origin: str,
            engagement: str | None, session: str | None, revision_of: str | None,
            revision: int) -> str:
    saved = datetime.now(UTC).isoformat(timespec="seconds")
    row = (assessment.created, saved, assessment.framework, assessment.engine,
           assessment.prompt_version, origin, json.dumps(assessment.levels()),
           assessment.model_dump_json(), engagement, session, revision_of, revision)
    while True:
        entry_id = secrets.token_hex(4)
        added = conn.execute("INSERT INTO assessments (id, created, saved, framework, engine,"
                             " prompt_version, origin, levels, assessment, engagement, session,"
                             " revision_of, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                             " ?) ON CONFLICT (id) DO NOTHING", (entry_id, *row)).rowcount
        if added == 1:
            return entry_id
        # an id already taken: draw another


def session_of(assessment: Assessment) -> str | None:
    """The interview session an assessment came from (its one ``interview:<id>`` source)."""
    found = {s.source.split(":", 1)[1] for s in assessment.sources
             if s.source.startswith("interview:")}
    return found.pop() if len(found) == 1 else None


def _fingerprint(assessment: Assessment) -> str:
    """The assessment's content without when it was made and how long that took."""
    data = assessment.model_dump(mode="json", exclude={"created", "stats"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _same_session_entry(conn: Sql, session: str, assessment: Assessment,
                        seq: str) -> str | None:
    row = conn.execute("SELECT id, assessment FROM assessments WHERE session = ? AND"
                       f" revision_of IS NULL ORDER BY {seq} DESC LIMIT 1", (session,)).fetchone()
    if row is None:
        return None
    stored = Assessment.model_validate_json(row[1])
    return str(row[0]) if _fingerprint(stored) == _fingerprint(assessment) else None


def history_store(services: Services) -> HistoryStore:
    """The history of this installation: PostgreSQL when MATURITY_DATABASE_URL is set,
    else the SQLite file under MATURITY_HOME."""
    from agent.app import ensure_home

    db = configured_postgres()
    if db is not None:
        return HistoryStore(db=db)
    return HistoryStore(ensure_home(services.home) / FILENAME)
