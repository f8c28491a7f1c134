"""A child process that builds the knowledge index, for the kill -9 tests.

    python tests/hardening/index_child.py HOME base|changed build|check [TRANSCRIPT]

``build`` prints one JSON line per committed batch (the parent kills it after the
first); ``check`` builds, builds again, verifies every stored vector and, for the
``base`` corpus, scores TRANSCRIPT. It uses the hashing embedder: fast and exact.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from agent.app import Services, build_services
from agent.knowledge.chunks import Chunk
from agent.retrieval.embedder import HashingEmbedder
from agent.retrieval.index import KnowledgeIndex


def corpus(services: Services, variant: str) -> list[Chunk]:
    chunks = services.registry.chunks()
    if variant == "changed":  # every chunk reworded: the whole index must be re-embedded
        chunks = [dataclasses.replace(c, text=c.text + " (revised)") for c in chunks]
    return chunks


def scores(services: Services, index: KnowledgeIndex, transcript: Path) -> dict[str, Any]:
    """The levels and the evidence (indicator, source, line) the offline engine gives."""
    from agent.assessment.pipeline import assess
    from agent.engines.offline import OfflineEngine
    from agent.transcripts import read_transcripts

    pack = services.registry.get("enterprise-ai")
    result = assess(read_transcripts([transcript]), pack, OfflineEngine(index), services.clock())
    evidence = sorted([e.indicator_id or "", e.source, e.line]
                      for d in result.dimensions for e in d.evidence)
    return {"levels": result.levels(), "evidence": evidence}


def check(home: Path, services: Services, chunks: list[Chunk]) -> dict[str, Any]:
    index = KnowledgeIndex(home, HashingEmbedder())
    stats = index.build(chunks)
    second = KnowledgeIndex(home, HashingEmbedder()).build(chunks)
    stored = index.vectors([c.id for c in chunks])
    fresh = index.embedder.embed([c.search_text or c.text for c in chunks])
    return {"rebuilt": stats.rebuilt, "embedded": stats.embedded, "total": stats.total,
            "second_embedded": second.embedded, "max_error": float(abs(stored - fresh).max()),
            "stores": sorted(p.name for p in (home / "index").glob("chroma*")),
            "index": index}


def main(home: Path, variant: str, action: str, transcript: Path | None) -> None:
    services = build_services(home, embedder_factory=HashingEmbedder)
    chunks = corpus(services, variant)
    if action == "build":
        def report(done: int, total: int) -> None:
            print(json.dumps({"done": done, "total": total}), flush=True)

        KnowledgeIndex(home, HashingEmbedder()).build(chunks, report)
        return
    result = check(home, services, chunks)
    index = result.pop("index")
    if transcript is not None:
        result.update(scores(services, index, transcript))
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3],
         Path(sys.argv[4]) if len(sys.argv) > 4 else None)
