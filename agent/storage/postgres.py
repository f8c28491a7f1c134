"""PostgreSQL for everything stateful, when ``MATURITY_DATABASE_URL`` names a database.

One connection pool per process, shared by the stores (history, interview sessions and
their checkpoints, the Slack log), so a worker opens a handful of connections, not one
per store. The server is checked once, up front: when it cannot be reached the run
stops with one line (exit 2) and nothing is written anywhere else instead.

Schema changes are versioned migrations per store (``maturity_migrations``), applied on
start inside one transaction that first takes a cluster-wide advisory lock, so two
workers starting at once apply each step exactly once. Two workers never advance the
same interview at once: ``session_lock`` holds a transaction-scoped advisory lock keyed
on the session id for the whole turn; a worker killed mid-turn releases it with its
connection.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from agent.errors import UserError
from agent.storage.sql import Sql

ENV = "MATURITY_DATABASE_URL"
#: Any fixed number: the advisory lock every migration run takes first.
MIGRATION_LOCK = 0x6D61747572697479  # "maturity"
CONNECT_TIMEOUT_S = 5


def database_url() -> str | None:
    """The PostgreSQL URL to keep state in, or None for SQLite under MATURITY_HOME."""
    url = (os.environ.get(ENV) or "").strip()
    if not url:
        return None
    if urlsplit(url).scheme not in ("postgresql", "postgres"):
        raise UserError(f"{ENV} must be a postgresql:// URL, e.g. "
                        "postgresql://maturity@db.example:5432/maturity; unset it to keep "
                        "state in SQLite under MATURITY_HOME")
    return url


def where(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or ''}"


class Postgres:
    def __init__(self, url: str, max_connections: int = 16) -> None:
        self.url = url
        self.where = where(url)
        self._probe()
        self.pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=max_connections, open=False, name="maturity",
            # A pooled connection is checked (one round trip) before use, so a restarted
            # server costs a reconnect, not a failed turn.
            check=ConnectionPool.check_connection,
            # The langgraph checkpointer needs autocommit and dict rows; our own
            # statements open explicit transactions and ask for tuples (see Sql).
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row,
                    "connect_timeout": CONNECT_TIMEOUT_S})
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT_S * 2)
        except PoolTimeout as exc:
            raise self.unreachable(exc) from None
        self._migrated: set[str] = set()

    def _probe(self) -> None:
        try:
            psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S).close()
        except psycopg.Error as exc:
            raise self.unreachable(exc) from None

    def unreachable(self, exc: BaseException) -> UserError:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return UserError(f"cannot use the PostgreSQL database at {self.where} ({detail}); "
                         f"start the server or fix {ENV} (unset it to keep state in SQLite)")

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def transaction(self) -> Iterator[Sql]:
        """One transaction: committed when the block ends, rolled back on an error."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                yield Sql(conn)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise self.unreachable(exc) from None

    @contextmanager
    def session_lock(self, key: str) -> Iterator[None]:
        """Hold the cluster-wide lock of ``key`` (an interview session) for the block."""
        with self.transaction() as sql:
            sql.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))
            yield

    def migrate(self, component: str, steps: Sequence[Sequence[str]],
                after: Callable[[], None] | None = None) -> None:
        """Apply ``component``'s schema steps not yet applied, each once across all
        workers; ``after`` runs under the same lock (the checkpointer's own setup)."""
        if component in self._migrated:
            return
        with self.transaction() as sql:
            sql.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            sql.execute("CREATE TABLE IF NOT EXISTS maturity_migrations ("
                        " component TEXT NOT NULL, version INTEGER NOT NULL,"
                        " applied TIMESTAMPTZ NOT NULL DEFAULT now(),"
                        " PRIMARY KEY (component, version))")
            done = sql.one("SELECT COALESCE(MAX(version), 0) FROM maturity_migrations"
                           " WHERE component = ?", (component,))[0]
            for version, statements in enumerate(steps, start=1):
                if version <= done:
                    continue
                for statement in statements:
                    sql.execute(statement)
                sql.execute("INSERT INTO maturity_migrations (component, version) VALUES (?, ?)",
                            (component, version))
            if after is not None:
                after()
        self._migrated.add(component)


_shared: dict[str, Postgres] = {}
_shared_lock = threading.Lock()


def shared_postgres(url: str) -> Postgres:
    """The process's pool for ``url`` (made on first use)."""
    with _shared_lock:
        found = _shared.get(url)
        if found is None:
            found = _shared[url] = Postgres(url)
        return found


def configured_postgres() -> Postgres | None:
    """The shared pool when MATURITY_DATABASE_URL is set, else None (SQLite)."""
    url = database_url()
    return None if url is None else shared_postgres(url)


def close_all() -> None:
    with _shared_lock:
        for db in _shared.values():
            db.close()
        _shared.clear()
