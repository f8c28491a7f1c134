"""The assessment history: one SQLite file, ``MATURITY_HOME/history.sqlite``, in WAL mode.

Each assessment is stored whole (its JSON) with the columns a listing needs: framework,
engine, prompt version, when it was made, where it came from, the level per dimension.
Every save is one transaction, so a crash leaves the previous good state. A connection
per call keeps the store safe to share between threads (the Slack surface saves from
its workers); WAL lets readers carry on while one of them writes.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.assessment.model import Assessment
from agent.errors import UserError
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
"""
_ORIGIN = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_COLUMNS = "id, framework, engine, created, levels, origin, prompt_version"


@dataclass(frozen=True)
class HistoryEntry:
    id: str
    framework: str
    engine: str
    created: str
    levels: dict[str, int | None] = field(default_factory=dict)
    origin: str = ""
    prompt_version: str | None = None

    def public(self) -> dict[str, Any]:
        """The contract's shape for ``maturity history``, plus origin and prompt version."""
        return {"id": self.id, "framework": self.framework, "engine": self.engine,
                "created": self.created, "levels": dict(self.levels), "origin": self.origin,
                "prompt_version": self.prompt_version}


class HistoryStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise storage_error(self.path, "the history", exc) from None
        try:
            with conn:  # one transaction: committed on success, rolled back on error
                yield conn
        except sqlite3.DatabaseError as exc:
            raise storage_error(self.path, "the history", exc) from None
        finally:
            conn.close()

    def save(self, assessment: Assessment, origin: str) -> str:
        """Store the assessment; returns its id."""
        if not _ORIGIN.match(origin):
            raise ValueError(f"origin must be a short lowercase word, got {origin!r}")
        saved = datetime.now(UTC).isoformat(timespec="seconds")
        row = (assessment.created, saved, assessment.framework, assessment.engine,
               assessment.prompt_version, origin, json.dumps(assessment.levels()),
               assessment.model_dump_json())
        with self._connect() as conn:
            while True:
                entry_id = secrets.token_hex(4)
                try:
                    conn.execute("INSERT INTO assessments (id, created, saved, framework, engine,"
                                 " prompt_version, origin, levels, assessment)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (entry_id, *row))
                    return entry_id
                except sqlite3.IntegrityError:  # an id already taken: draw another
                    continue

    def list(self, framework: str | None = None) -> list[HistoryEntry]:
        """Oldest first, as a quarterly series reads."""
        query = f"SELECT {_COLUMNS} FROM assessments"
        args: tuple[str, ...] = ()
        if framework:
            query, args = query + " WHERE framework = ?", (framework,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY created, rowid", args).fetchall()
        return [_entry(r) for r in rows]

    def get(self, id_or_prefix: str) -> Assessment:
        return self._load(self.resolve(id_or_prefix))

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id, a unique prefix of one, or ``latest``."""
        key = id_or_prefix.strip().lower()
        with self._connect() as conn:
            if key == "latest":
                rows = conn.execute("SELECT id FROM assessments ORDER BY created DESC, rowid DESC"
                                    " LIMIT 1").fetchall()
            elif re.fullmatch(r"[0-9a-f]+", key):
                rows = conn.execute("SELECT id FROM assessments WHERE id = ? OR substr(id, 1, ?)"
                                    " = ?", (key, len(key), key)).fetchall()
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
    entry_id, framework, engine, created, levels, origin, prompt_version = row
    return HistoryEntry(id=entry_id, framework=framework, engine=engine, created=created,
                        levels=json.loads(levels), origin=origin, prompt_version=prompt_version)


def history_store(services: Services) -> HistoryStore:
    from agent.app import ensure_home

    return HistoryStore(ensure_home(services.home) / FILENAME)
