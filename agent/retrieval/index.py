"""The persistent Chroma collection of framework chunks under MATURITY_HOME.

Indexing is incremental by content hash: each chunk's hash is stored in its Chroma
metadata, and a manifest holds the digest of the whole corpus, so an unchanged corpus
is recognised without embedding anything. The index is derived data: if Chroma
cannot open it (corrupt, or written by an incompatible version) it is rebuilt from
the packs rather than reported as an error.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from agent.knowledge.chunks import Chunk, corpus_digest
from agent.knowledge.registry import write_atomic
from agent.progress import Progress
from agent.retrieval.embedder import Embedder, Vectors

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

COLLECTION = "chunks"
INDEX_FORMAT = 1


@dataclass(frozen=True)
class IndexStats:
    total: int
    embedded: int
    deleted: int
    rebuilt: bool = False


def _chromadb_version() -> str:
    from importlib.metadata import version

    return version("chromadb")


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
    def __init__(self, home: Path, embedder: Embedder) -> None:
        self.folder = home / "index"
        self.embedder = embedder
        self._collection: Collection | None = None
        self._store = self.folder / str(self._read_manifest().get("store", "chroma"))

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data = json.loads(self.manifest_path.read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

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
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings

            client = chromadb.PersistentClient(
                path=str(self._store),
                settings=Settings(anonymized_telemetry=False, allow_reset=True),
            )
            self._collection = client.get_or_create_collection(
                COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        return self._collection

    def is_current(self, chunks: Sequence[Chunk]) -> bool:
        manifest = self._read_manifest()
        return (
            manifest.get("format") == INDEX_FORMAT
            and manifest.get("digest") == corpus_digest(chunks, self.embedder.name)
            and self._store.is_dir()
        )

    def build(self, chunks: Sequence[Chunk], progress: Progress | None = None) -> IndexStats:
        """Bring the collection in line with ``chunks``; embed only what changed."""
        with self._locked():
            if self.is_current(chunks):
                return IndexStats(len(chunks), 0, 0)
            rebuilt = False
            if not self._store_is_healthy():
                # Chroma cannot recover in-process once it has opened a broken store, so
                # a damaged or foreign-version index is set aside before it is touched.
                # It is derived data: rebuilding it from the packs loses nothing.
                broken, rebuilt = self._store, True
                self._store = self.folder / f"chroma-{uuid.uuid4().hex[:8]}"
                shutil.rmtree(broken, ignore_errors=True)
            return self._sync(chunks, progress, rebuilt=rebuilt)

    def _store_is_healthy(self) -> bool:
        if not self._store.exists():
            return True
        if self._read_manifest().get("chromadb") != _chromadb_version():
            return False
        database = self._store / "chroma.sqlite3"
        try:
            with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                ok = db.execute("PRAGMA quick_check").fetchone()
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error:
            return False
        return bool(ok and ok[0] == "ok" and "collections" in tables)

    def _sync(
        self, chunks: Sequence[Chunk], progress: Progress | None, rebuilt: bool
    ) -> IndexStats:
        collection = self._open()
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
        manifest = {"format": INDEX_FORMAT, "embedder": self.embedder.name,
                    "store": self._store.name, "chromadb": _chromadb_version(),
                    "digest": corpus_digest(chunks, self.embedder.name), "chunks": len(chunks)}
        write_atomic(self.manifest_path, json.dumps(manifest, indent=1).encode())
        return IndexStats(len(chunks), len(todo), len(stale), rebuilt)

    def vectors(self, ids: Sequence[str]) -> Vectors:
        """Stored embeddings of the given chunks, in the same order."""
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._open().get(ids=list(ids), include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"] if got["embeddings"] is not None else [],
                         strict=False))
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise LookupError(f"chunks missing from the index: {missing[:3]}")
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

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
        result = self._open().query(
            query_embeddings=vectors.tolist(), n_results=k, where=where, include=["distances"]
        )
        distances = result["distances"] or []
        return [
            [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], distances, strict=True)
        ]
