"""Hybrid search over framework chunks: dense (Chroma) and lexical (BM25), fused.

Reciprocal-rank fusion is used because the two scores live on different scales; it
needs no tuning beyond the customary constant and is robust when one side is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from agent.knowledge.chunks import Chunk
from agent.retrieval.index import KnowledgeIndex
from agent.retrieval.lexical import BM25

Mode = Literal["hybrid", "dense", "lexical"]
RRF_K = 60
CANDIDATES = 30


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float

    def public(self) -> dict[str, object]:
        return {**self.chunk.public(), "score": round(self.score, 4)}


class HybridSearcher:
    def __init__(self, index: KnowledgeIndex, chunks: Sequence[Chunk]) -> None:
        self.index = index
        self.chunks = {c.id: c for c in chunks}
        self._lexical: dict[str | None, tuple[list[Chunk], BM25]] = {}

    def _bm25(self, framework: str | None) -> tuple[list[Chunk], BM25]:
        if framework not in self._lexical:
            pool = [c for c in self.chunks.values() if framework in (None, c.framework)]
            self._lexical[framework] = (pool, BM25([c.search_text or c.text for c in pool]))
        return self._lexical[framework]

    def search(self, query: str, framework: str | None = None, k: int = 5,
               mode: Mode = "hybrid") -> list[Hit]:
        return self.search_many([query], framework, k, mode)[0]

    def search_many(self, queries: Sequence[str], framework: str | None = None, k: int = 5,
                    mode: Mode = "hybrid") -> list[list[Hit]]:
        dense: list[list[tuple[str, float]]] = [[] for _ in queries]
        if mode != "lexical" and queries:
            vectors = self.index.embedder.embed(list(queries))
            dense = self.index.dense_query(vectors, framework, CANDIDATES)
        results = []
        for query, dense_hits in zip(queries, dense, strict=True):
            lexical_hits: list[tuple[str, float]] = []
            if mode != "dense":
                pool, bm25 = self._bm25(framework)
                scored = sorted(zip(pool, bm25.scores(query), strict=True),
                                key=lambda p: p[1], reverse=True)
                lexical_hits = [(c.id, s) for c, s in scored[:CANDIDATES] if s > 0]
            results.append(self._fuse(dense_hits, lexical_hits, mode)[:k])
        return results

    def _fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
              mode: Mode) -> list[Hit]:
        if mode == "dense":
            return [Hit(self.chunks[c], s) for c, s in dense if c in self.chunks]
        if mode == "lexical":
            return [Hit(self.chunks[c], s) for c, s in lexical]
        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        ordered = sorted(fused.items(), key=lambda p: p[1], reverse=True)
        return [Hit(self.chunks[c], s) for c, s in ordered if c in self.chunks]
