"""The persistent Chroma collection of framework chunks under MATURITY_HOME.

Indexing is incremental by content hash: each chunk's hash is stored in its Chroma
metadata, and a manifest holds the digest of the whole corpus, so an unchanged corpus
is recognised without embedding anything. The index is derived data: if Chroma
cannot open it (corrupt, written by another chromadb version or another embedder, or
left half-built by a killed run) it is rebuilt from the packs rather than reported as
an error, and a store that fails under a query is rebuilt once and the query retried.

With ``MATURITY_CHROMA_URL`` set the collection lives on a Chroma server instead (see
agent.retrieval.chroma) and the manifest is kept in the collection's own metadata, so
every client of that server sees the same state; the API is the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from agent.errors import UserError
from agent.knowledge.chunks import Chunk, corpus_digest
from agent.knowledge.registry import write_atomic
from agent.progress import Progress
from agent.retrieval.chroma import (
    chroma_url,
    chromadb_version,
    close_client,
    database_is_healthy,
    disk_full,
    local_client,
    server_client,
    server_collection_name,
)
from agent.retrieval.embedder import Embedder, Vectors

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

COLLECTION = "chunks"
INDEX_FORMAT = 1
_SERVER_KEY = "maturity_"  # prefix of the manifest entries in a server collection's metadata
T = TypeVar("T")


@dataclass(frozen=True)
class IndexStats:
    total: int
    embedded: int
    deleted: int
    rebuilt: bool = False


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    # Chroma metadata cannot hold None: "" and 0 stand for "not set".
    return {
        "framework": chunk.framework,
        "dimension": chunk.dimension or "",
        "level": chunk.level or 0,
        "kind": chunk.kind,
        "hash": chunk.content_hash,
    }


class KnowledgeIndex:
    def __init__(self, home: Path, embedder: Embedder, server_url: str | None = None) -> None:
        """``server_url`` None: the Chroma server from MATURITY_CHROMA_URL, if any."""
        self.folder = home / "index"
        self.embedder = embedder
        self.server_url = server_url or chroma_url()
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._chunks: list[Chunk] | None = None  # what the last build indexed, to heal
        self._open_lock = threading.Lock()
        self._heal_lock = threading.Lock()
        local = {} if self.server_url else self._read_manifest()
        self._store = self.folder / str(local.get("store", "chroma"))

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        if self.server_url:
            metadata = self._open().metadata or {}
            return {k.removeprefix(_SERVER_KEY): v for k, v in metadata.items()
                    if k.startswith(_SERVER_KEY)}
        try:
            data = json.loads(self.manifest_path.read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        if self.server_url:
            self._open().modify(metadata={_SERVER_KEY + k: v for k, v in manifest.items()})
        else:
            write_atomic(self.manifest_path, json.dumps(manifest, indent=1).encode())

    def close(self) -> None:
        """Release the Chroma client (and, for a server, its connections)."""
        with self._open_lock:
            if self._client is not None:
                close_client(self._client)
            self._client, self._collection = None, None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _open(self) -> Collection:
        # Threads (batch scoring, Slack workers) share one index: Chroma's client set-up
        # is not safe to race, so the first one opens it and the others wait.
        with self._open_lock:
            return self._collection or self._connect()

    def _connect(self) -> Collection:
        if self.server_url:
            client = server_client(self.server_url)
            name = server_collection_name(self.embedder.name)
        else:
            client, name = local_client(self._store), COLLECTION
        self._client = client
        self._collection = client.get_or_create_collection(
            name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        return self._collection

    def is_current(self, chunks: Sequence[Chunk]) -> bool:
        manifest = self._read_manifest()
        current = (
            manifest.get("format") == INDEX_FORMAT
            and manifest.get("digest") == corpus_digest(chunks, self.embedder.name)
            and manifest.get("complete", True) is not False
        )
        if self.server_url:
            return current
        return (current and manifest.get("chromadb") == chromadb_version()
                and self._store.is_dir())

    def build(self, chunks: Sequence[Chunk], progress: Progress | None = None) -> IndexStats:
        """Bring the collection in line with ``chunks``; embed only what changed."""
        self._chunks = list(chunks)
        with self._locked():
            # An up-to-date manifest does not prove the files behind it are readable: a
            # damaged database is caught here (a few ms) rather than mid-query.
            if self.is_current(chunks) and (self.server_url or self._store_is_reusable()):
                return IndexStats(len(chunks), 0, 0)
            rebuilt = not self.server_url and not self._store_is_reusable()
            if rebuilt:
                # Chroma cannot recover in-process once it has opened a broken store, so
                # a damaged, foreign or half-built index is set aside before it is
                # touched. It is derived data: rebuilding it from the packs loses nothing.
                self._move_to_new_store()
            return self._sync_reporting_full_disk(chunks, progress, rebuilt)

    def _move_to_new_store(self) -> None:
        with self._open_lock:
            broken = self._store
            self._client, self._collection = None, None
            self._store = self.folder / f"chroma-{uuid.uuid4().hex[:8]}"
        shutil.rmtree(broken, ignore_errors=True)

    def _sync_reporting_full_disk(self, chunks: Sequence[Chunk], progress: Progress | None,
                                  rebuilt: bool) -> IndexStats:
        try:
            stats = self._sync(chunks, progress, rebuilt=rebuilt)
        except Exception as exc:
            if disk_full(exc):
                raise UserError(
                    f"the disk holding {self.folder} is full, so the knowledge index "
                    "cannot be built; free some space or point MATURITY_HOME elsewhere"
                ) from None
            raise
        if rebuilt:
            self._remove_other_stores()
        return stats

    def _remove_other_stores(self) -> None:
        # Stores left by a run killed in the middle of a rebuild: nothing points at them.
        for path in self.folder.glob("chroma*"):
            if path.is_dir() and path != self._store:
                shutil.rmtree(path, ignore_errors=True)

    def _store_is_reusable(self) -> bool:
        if not self._store.exists():
            return True
        manifest = self._read_manifest()
        if (manifest.get("chromadb") != chromadb_version()
                or manifest.get("embedder") != self.embedder.name
                or manifest.get("complete", True) is False):
            # Another chromadb version's files, another vector space, or a build that
            # was interrupted while Chroma was writing (its HNSW files may be torn).
            return False
        return database_is_healthy(self._store)

    def _sync(
        self, chunks: Sequence[Chunk], progress: Progress | None, rebuilt: bool
    ) -> IndexStats:
        collection = self._open()
        manifest = {"format": INDEX_FORMAT, "embedder": self.embedder.name,
                    "store": self._store.name, "chromadb": chromadb_version(),
                    "digest": corpus_digest(chunks, self.embedder.name), "chunks": len(chunks)}
        # Marked incomplete until the last batch is in: a run killed in between is seen
        # by the next one, which rebuilds instead of trusting half-written files.
        self._write_manifest({**manifest, "complete": False})
        existing = collection.get(include=["metadatas"])
        have = {
            cid: str((meta or {}).get("hash", ""))
            for cid, meta in zip(existing["ids"], existing["metadatas"] or [], strict=False)
        }
        wanted = {c.id: c for c in chunks}
        stale = [cid for cid in have if cid not in wanted]
        todo = [c for c in chunks if have.get(c.id) != c.content_hash]
        if stale:
            collection.delete(ids=stale)
        batch = 128
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            vectors = self.embedder.embed([c.search_text or c.text for c in part])
            collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors.tolist(),
                documents=[c.text for c in part],
                metadatas=[_metadata(c) for c in part],
            )
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        self._write_manifest({**manifest, "complete": True})
        return IndexStats(len(chunks), len(todo), len(stale), rebuilt)

    def _healing(self, read: Callable[[Collection], T]) -> T:
        """Run a read; if the local store fails under it, rebuild once and read again.

        Damage the start-up check cannot see (Chroma's HNSW files) only shows when a
        query touches it; the packs are still there, so the index is rebuilt from them.
        """
        collection = self._open()
        try:
            return read(collection)
        except Exception as exc:
            if self.server_url or self._chunks is None or isinstance(exc, UserError):
                raise
            from agent.logs import log_exception

            log_exception(exc)  # why the index was rebuilt, for whoever looks
        with self._heal_lock:
            if self._collection is collection:  # the first thread to notice rebuilds
                with self._locked():
                    self._move_to_new_store()
                    self._sync_reporting_full_disk(self._chunks, None, rebuilt=True)
        return read(self._open())

    def vectors(self, ids: Sequence[str]) -> Vectors:
        """Stored embeddings of the given chunks, in the same order."""
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)

        def read(collection: Collection) -> Vectors:
            got = collection.get(ids=list(ids), include=["embeddings"])
            stored = got["embeddings"] if got["embeddings"] is not None else []
            by_id = dict(zip(got["ids"], stored, strict=False))
            missing = [i for i in ids if i not in by_id]
            if missing:
                raise LookupError(f"chunks missing from the index: {missing[:3]}")
            return np.asarray([by_id[i] for i in ids], dtype=np.float32)

        return self._healing(read)

    def dense_query(self, vectors: Vectors, framework: str | None, k: int,
                    kinds: Sequence[str] | None = None) -> list[list[tuple[str, float]]]:
        """Nearest chunks by cosine similarity for each query vector."""
        clauses: list[dict[str, Any]] = []
        if framework:
            clauses.append({"framework": framework})
        if kinds:
            clauses.append({"kind": {"$in": list(kinds)}})
        where: dict[str, Any] | None = None
        if len(clauses) == 1:
            where = clauses[0]
        elif clauses:
            where = {"$and": clauses}
        result = self._healing(lambda collection: collection.query(
            query_embeddings=vectors.tolist(), n_results=k, where=where, include=["distances"]
        ))
        distances = result["distances"] or []
        return [
            [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], distances, strict=True)
        ]
