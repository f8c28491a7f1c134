"""The embedder seam: local by default, OpenAI-compatible when configured."""

from __future__ import annotations

import json
import socket

import httpx
import numpy as np
import pytest
from openai import OpenAI

from agent.errors import UserError
from agent.retrieval import embedder as emb


def _fake_openai(seen: list[dict[str, object]]) -> OpenAI:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0]}
                for i, t in enumerate(body["input"])]
        return httpx.Response(200, json={"object": "list", "data": data, "model": body["model"],
                                         "usage": {"prompt_tokens": 3, "total_tokens": 3}})

    return OpenAI(api_key="sk-test", base_url="http://embeddings.invalid/v1",
                  http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_openai_embedder_batches_and_normalises() -> None:
    seen: list[dict[str, object]] = []
    e = emb.OpenAIEmbedder("text-embedding-3-small", client=_fake_openai(seen))
    vectors = e.embed(["a", "bbb"])
    assert e.name == "openai:text-embedding-3-small"
    assert seen[0]["model"] == "text-embedding-3-small" and seen[0]["input"] == ["a", "bbb"]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_embedder_choice_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    emb.default_embedder.cache_clear()
    monkeypatch.setenv("MATURITY_EMBEDDINGS", "local")
    assert isinstance(emb.default_embedder(), emb.MiniLMEmbedder)
    emb.default_embedder.cache_clear()
    monkeypatch.setenv("MATURITY_EMBEDDINGS", "magic")
    with pytest.raises(UserError, match="MATURITY_EMBEDDINGS"):
        emb.default_embedder()
    emb.default_embedder.cache_clear()


def test_tests_cannot_reach_the_network() -> None:
    # pytest runs with --block-network --allow-hosts=<loopback> (pyproject.toml).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(RuntimeError, match="Network is disabled"):
            sock.connect(("192.0.2.1", 80))
    finally:
        sock.close()
