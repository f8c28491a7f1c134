"""One way to run SQL on either store: SQLite (``?`` placeholders) or PostgreSQL.

The stores write their statements once, in the common subset of both dialects
(``INSERT ... ON CONFLICT``, ``?`` placeholders); ``Sql`` turns the placeholders into
psycopg's ``%s`` when the connection is PostgreSQL. Only the schema differs between the
two, and each store keeps its own DDL per dialect.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import psycopg
from psycopg.rows import tuple_row


class Rows(Protocol):
    """What both drivers' cursors offer after ``execute``."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Sql:
    """One open transaction on either driver."""

    def __init__(self, conn: sqlite3.Connection | psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.postgres = isinstance(conn, psycopg.Connection)

    def execute(self, query: str, args: Sequence[Any] = ()) -> Rows:
        if isinstance(self.conn, psycopg.Connection):
            cursor = self.conn.cursor(row_factory=tuple_row)
            cursor.execute(query.replace("?", "%s"), tuple(args))
            return cursor
        return self.conn.execute(query, tuple(args))

    def executemany(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        if isinstance(self.conn, psycopg.Connection):
            with self.conn.cursor() as cursor:
                cursor.executemany(query.replace("?", "%s"), rows)
        else:
            self.conn.executemany(query, rows)

    def one(self, query: str, args: Sequence[Any] = ()) -> Any:
        return self.execute(query, args).fetchone()

    def all(self, query: str, args: Sequence[Any] = ()) -> list[Any]:
        return self.execute(query, args).fetchall()


@contextmanager
def sqlite_transaction(conn: sqlite3.Connection, lock: AbstractContextManager[Any],
                       begin: str | None = None) -> Iterator[Sql]:
    """One transaction on a SQLite connection that threads share: held under ``lock``,
    opened with ``begin`` if given (``BEGIN IMMEDIATE`` takes the write lock up front),
    committed when the block ends and rolled back on an error."""
    with lock:
        if begin:
            conn.execute(begin)
        try:
            yield Sql(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
