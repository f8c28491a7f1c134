"""Chroma clients: an embedded store under MATURITY_HOME, or a shared Chroma server.

``MATURITY_CHROMA_URL=http://host:port`` switches every run to a Chroma server
(``chroma run --path DIR --port N``), so several machines or Slack workers share one
index instead of each building its own. Without it the index is a local folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.errors import UserError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.config import Settings

URL_VARIABLE = "MATURITY_CHROMA_URL"
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def chroma_url() -> str | None:
    """The configured Chroma server, or None for the embedded store."""
    return os.environ.get(URL_VARIABLE, "").strip() or None


def server_collection_name(embedder_name: str) -> str:
    """One collection per vector space: a shared server may serve several embedders."""
    return "maturity-" + _NOT_A_NAME.sub("-", embedder_name).strip("-._")


def _settings() -> Settings:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=True)


def local_client(path: Path) -> ClientAPI:
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=_settings())


def server_client(url: str) -> ClientAPI:
    """A client for the Chroma server at ``url``; a fixable one-line error if unreachable."""
    import chromadb

    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise UserError(f"{URL_VARIABLE}={url!r} is not a server address; "
                        "use http://HOST:PORT, e.g. http://localhost:8000")
    ssl = parts.scheme == "https"
    try:
        return chromadb.HttpClient(host=parts.hostname, port=port or (443 if ssl else 8000),
                                   ssl=ssl, settings=_settings())
    except ValueError as exc:
        # chromadb reports an unreachable server as ValueError("Could not connect ...").
        raise UserError(
            f"cannot reach the Chroma server at {url} ({exc}); start it with "
            f"'chroma run --path DIR --port N' or unset {URL_VARIABLE}"
        ) from None


def close_client(client: ClientAPI) -> None:
    """Release the client; for a server client also its HTTP connection pool."""
    # chromadb leaves its httpx.Clients open on close(): one for the client and one for
    # the admin client it makes for itself. Close both so no socket leaks.
    owners = (client, getattr(client, "_admin_client", None))
    sessions = [getattr(getattr(o, "_server", None), "_session", None) for o in owners]
    close = getattr(client, "close", None)
    if callable(close):
        close()
    for session in sessions:
        if session is not None:
            session.close()


def chromadb_version() -> str:
    from importlib.metadata import version

    return version("chromadb")


def disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    # Chroma's SQLite layer reports SQLITE_FULL as text inside its own error types.
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text


def database_is_healthy(store: Path) -> bool:
    """Whether the store's SQLite file opens, passes quick_check and has Chroma's tables."""
    database = store / "chroma.sqlite3"
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            ok = db.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False
    return bool(ok and ok[0] == "ok" and "collections" in tables)
