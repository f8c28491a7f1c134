"""The knowledge index: incremental by content hash, rebuilt when broken, hybrid search."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.app import build_services
from agent.knowledge.chunks import Chunk
from agent.retrieval.embedder import HashingEmbedder, MiniLMEmbedder
from agent.retrieval.index import KnowledgeIndex


def _chunks(n: int, text: str = "text") -> list[Chunk]:
    return [Chunk(f"fw:item.{i}", "fw", "dim", 2, "indicator", f"{text} number {i}")
            for i in range(n)]


def test_second_build_with_nothing_changed_embeds_nothing_fast(tmp_path: Path) -> None:
    index = KnowledgeIndex(tmp_path, HashingEmbedder())
    first = index.build(_chunks(40))
    assert (first.embedded, first.deleted) == (40, 0)
    started = time.perf_counter()
    again = KnowledgeIndex(tmp_path, HashingEmbedder()).build(_chunks(40))
    assert again.embedded == 0
    assert time.perf_counter() - started < 0.5


def test_only_changed_chunks_are_embedded_and_removed_ones_deleted(tmp_path: Path) -> None:
    KnowledgeIndex(tmp_path, HashingEmbedder()).build(_chunks(10))
    changed = _chunks(8)
    changed[3] = Chunk("fw:item.3", "fw", "dim", 2, "indicator", "a new wording")
    stats = KnowledgeIndex(tmp_path, HashingEmbedder()).build(changed)
    assert (stats.embedded, stats.deleted) == (1, 2)


_BUILD = """
import sys
from pathlib import Path
from agent.retrieval.index import KnowledgeIndex
from agent.retrieval.embedder import HashingEmbedder
from agent.knowledge.chunks import Chunk
chunks = [Chunk(f"fw:item.{i}", "fw", "dim", 2, "indicator", f"text number {i}") for i in range(5)]
index = KnowledgeIndex(Path(sys.argv[1]), HashingEmbedder())
stats = index.build(chunks)
hit = index.dense_query(index.embedder.embed(["text number 1"]), "fw", 1)[0][0][0]
print(stats.rebuilt, stats.embedded, hit)
"""


def _build_in_a_new_process(home: Path) -> str:
    # A corrupt index is met when a process starts, and Chroma keeps per-process state.
    done = subprocess.run([sys.executable, "-c", _BUILD, str(home)], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_a_corrupt_index_is_rebuilt_not_reported(tmp_path: Path) -> None:
    assert _build_in_a_new_process(tmp_path) == "False 5 fw:item.1"
    (tmp_path / "index" / "manifest.json").write_text("{}")
    for f in (tmp_path / "index").rglob("*.sqlite3"):
        f.write_bytes(b"this is not a database")
    assert _build_in_a_new_process(tmp_path) == "True 5 fw:item.1"
    assert _build_in_a_new_process(tmp_path) == "False 0 fw:item.1"


def test_an_index_from_another_chroma_version_is_rebuilt(tmp_path: Path) -> None:
    import json

    assert _build_in_a_new_process(tmp_path) == "False 5 fw:item.1"
    manifest = tmp_path / "index" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "chromadb": "0.4.0", "digest": "old"}))
    assert _build_in_a_new_process(tmp_path) == "True 5 fw:item.1"


def test_dense_query_filters_by_framework(tmp_path: Path) -> None:
    index = KnowledgeIndex(tmp_path, HashingEmbedder())
    other = Chunk("other:x", "other", None, None, "indicator", "model registry number 0")
    chunks = [*_chunks(3, "model registry"), other]
    index.build(chunks)
    vec = index.embedder.embed(["model registry number 0"])
    (hits,) = index.dense_query(vec, "fw", 10)
    assert {cid for cid, _ in hits} == {"fw:item.0", "fw:item.1", "fw:item.2"}


def test_embedder_is_real_and_verified() -> None:
    emb = MiniLMEmbedder()
    a, b, c = emb.embed(["Every team tracks its experiments in MLflow.",
                         "All our teams log experiment runs to a shared tracker.",
                         "The canteen serves soup on Fridays."])
    assert a @ b > a @ c + 0.3
    with pytest.raises(Exception, match="missing or altered"):
        MiniLMEmbedder(model_path=Path(__file__))


def test_bundled_packs_index_and_search(services: object) -> None:
    from agent.app import Services

    assert isinstance(services, Services)
    hits = services.searcher().search("we keep every production model in a registry with "
                                      "its training data lineage", "enterprise-ai", 5)
    assert hits and all(h.chunk.framework == "enterprise-ai" for h in hits)
    assert any("registry" in h.chunk.text.lower() for h in hits[:3])


def test_retrieval_quality_on_the_query_sets(services: object) -> None:
    from agent.app import Services
    from agent.evals.retrieval import evaluate_retrieval

    assert isinstance(services, Services)
    report = evaluate_retrieval(services.searcher())
    assert report["queries"] >= 40
    hybrid = report["modes"]["hybrid"]
    assert hybrid["recall@5"] >= 0.85, hybrid["misses"]
    assert hybrid["mrr"] >= 0.6


def test_services_detect_an_unwritable_home(tmp_path: Path) -> None:
    from agent.errors import UserError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    services = build_services(blocker / "home", embedder_factory=HashingEmbedder)
    with pytest.raises(UserError, match=r"MATURITY_HOME .* not usable"):
        services.index()
