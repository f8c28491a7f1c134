"""Chroma in client/server mode: a real `chroma run` on localhost, shared by two homes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.app import Services
from agent.errors import UserError
from agent.knowledge.chunks import Chunk
from agent.retrieval.chroma import close_client, server_client, server_collection_name
from agent.retrieval.embedder import HashingEmbedder
from agent.retrieval.index import KnowledgeIndex
from tests.postgres_cluster import free_port

CHROMA = Path(sys.executable).parent / "chroma"
Cli = Callable[..., tuple[int, str, str]]

pytestmark = [
    pytest.mark.skipif(not CHROMA.exists(), reason="the chroma CLI is not installed"),
    # --block-network blocks every host unless a test allows some: here only loopback.
    pytest.mark.block_network(allowed_hosts=[r"^127\.0\.0\.1$", r"^localhost$"]),
]


def _chunks(n: int, extra: str = "") -> list[Chunk]:
    topics = ["model registry", "feature store", "incident review", "data contracts"]
    return [Chunk(f"fw:item.{i}", "fw", "dim", 1 + i % 5, "indicator",
                  f"{topics[i % 4]} practice number {i} {extra}".strip()) for i in range(n)]


def test_two_machines_share_one_index_through_the_server(tmp_path: Path, chroma_url: str) -> None:
    chunks = _chunks(40)
    first = KnowledgeIndex(tmp_path / "a", HashingEmbedder(), server_url=chroma_url)
    try:
        stats = first.build(chunks)
        assert (stats.total, stats.embedded, stats.deleted) == (40, 40, 0)
        # Nothing was stored locally: the state lives on the server.
        assert not first.manifest_path.exists()
        assert not list((tmp_path / "a" / "index").glob("chroma*"))
    finally:
        first.close()

    second = KnowledgeIndex(tmp_path / "b", HashingEmbedder(), server_url=chroma_url)
    try:
        assert second.is_current(chunks)
        assert second.build(chunks).embedded == 0
        (hits,) = second.dense_query(second.embedder.embed(["incident review practice"]), "fw", 3)
        # Every hit is an "incident review" chunk (item 2, 6, 10, ...), best first.
        assert len(hits) == 3
        assert all(int(cid.rsplit(".", 1)[1]) % 4 == 2 for cid, _ in hits)
        vectors = second.vectors(["fw:item.0", "fw:item.1"])
        assert vectors.shape == (2, 256)
        # A changed corpus is synced incrementally on the server too.
        changed = [*chunks[:39], Chunk("fw:item.39", "fw", "dim", 2, "indicator", "new words")]
        stats = second.build(changed[:-5] + changed[-1:])
        assert (stats.embedded, stats.deleted) == (1, 4)
    finally:
        second.close()


def test_services_search_through_the_server(
        fake_services: Services, chroma_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATURITY_CHROMA_URL", chroma_url)
    index = fake_services.index()
    try:
        assert index.server_url == chroma_url
        hits = fake_services.searcher().search(
            "every production model is registered with its lineage", "enterprise-ai", 5)
        assert hits and all(h.chunk.framework == "enterprise-ai" for h in hits)
        client = server_client(chroma_url)
        try:
            names = {c.name for c in client.list_collections()}
            assert server_collection_name("hashing-256") in names
        finally:
            close_client(client)
    finally:
        index.close()


def test_an_unreachable_server_is_one_clear_line(cli: Cli, home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATURITY_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    code, out, err = cli("knowledge", "search", "model registry", "--format", "json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot reach the Chroma server" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("url", ["ftp://host:1", "http://", "http://host:notaport"])
def test_a_malformed_server_url_is_a_user_error(tmp_path: Path, url: str) -> None:
    with pytest.raises(UserError, match="not a server address"):
        KnowledgeIndex(tmp_path, HashingEmbedder(), server_url=url).build(_chunks(2))
