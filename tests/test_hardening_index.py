"""A damaged or foreign knowledge index, met by the real CLI: rebuilt, never reported.

The index is derived data (the packs are the source), so the promise is a recovered
run: exit 0, nothing on stderr, the same report as from a healthy index, one store
left on disk, and nothing else under MATURITY_HOME touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"


def _report(cli: Cli, out: Path) -> dict[str, Any]:
    code, stdout, err = cli("score", str(EXAMPLE), "--format", "json", "--out", str(out))
    assert (code, stdout, err) == (0, "", ""), err
    data: dict[str, Any] = json.loads(out.read_text())
    data.pop("created")
    data["stats"].pop("seconds")
    return data


def _stores(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "index").iterdir() if p.name.startswith("chroma"))


def test_a_corrupt_chroma_database_is_rebuilt(cli: Cli, indexed_home: Path,
                                              tmp_path: Path) -> None:
    healthy = _report(cli, tmp_path / "healthy.json")
    keep = indexed_home / "packs" / "notes.txt"
    keep.parent.mkdir()
    keep.write_text("user data beside the index")
    (database,) = (indexed_home / "index").rglob("chroma.sqlite3")
    database.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * 4096)

    assert _report(cli, tmp_path / "rebuilt.json") == healthy
    assert len(_stores(indexed_home)) == 1 and not database.exists()
    assert keep.read_text() == "user data beside the index"


def test_an_index_written_by_an_older_chromadb_is_rebuilt(cli: Cli, indexed_home: Path,
                                                          tmp_path: Path) -> None:
    healthy = _report(cli, tmp_path / "healthy.json")
    manifest = indexed_home / "index" / "manifest.json"
    old = json.loads(manifest.read_text())
    # Everything as before except the chromadb version that wrote it: the corpus digest
    # still matches, so only the version tells that Chroma's files may not be readable.
    manifest.write_text(json.dumps({**old, "chromadb": "0.4.24"}))

    assert _report(cli, tmp_path / "rebuilt.json") == healthy
    new = json.loads(manifest.read_text())
    assert new["chromadb"] == old["chromadb"] and new["store"] != old["store"]
    assert _stores(indexed_home) == [new["store"]]


def test_damage_only_a_query_meets_is_healed_by_one_rebuild(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows lost from Chroma's tables pass the start-up check; the first read that needs
    them rebuilds the index from the packs and is answered. (Damaged HNSW files behave
    the same way; their on-disk layout is Chroma's, so the test damages the tables.)"""
    import sqlite3
    import subprocess
    import sys

    from agent.app import build_services
    from agent.retrieval.embedder import HashingEmbedder
    from agent.retrieval.index import KnowledgeIndex

    home = tmp_path / "home"
    monkeypatch.setenv("MATURITY_HOME", str(home))  # where the rebuild's reason is logged
    child = Path(__file__).parent / "hardening" / "index_child.py"
    subprocess.run([sys.executable, str(child), str(home), "base", "check"], check=True,
                   capture_output=True, cwd=ROOT, timeout=600)
    with sqlite3.connect(home / "index" / "chroma" / "chroma.sqlite3") as db:
        lost = db.execute("DELETE FROM embeddings WHERE embedding_id LIKE "
                          "'enterprise-ai:technology%'").rowcount
    db.close()
    assert lost > 10

    chunks = build_services(home, embedder_factory=HashingEmbedder).registry.chunks()
    index = KnowledgeIndex(home, HashingEmbedder())
    assert index.build(chunks).embedded == 0  # the database still passes its checks
    ids = [c.id for c in chunks]
    vectors = index.vectors(ids)
    assert vectors.shape == (len(chunks), 256)
    expected = index.embedder.embed([c.search_text or c.text for c in chunks])
    assert float(abs(vectors - expected).max()) < 1e-6
    assert _stores(home) == [json.loads((home / "index" / "manifest.json").read_text())["store"]]
    assert "chunks missing from the index" in (home / "logs" / "maturity.log").read_text()
