"""A trained indicator classifier: which indicator, if any, a sentence is evidence about.

Softmax regression over sentence embeddings and hashed words and word pairs
(agent.engines.lexical), one model per framework pack. Its classes
are the pack's indicators plus ``NONE`` (the sentence shows no practice: context, a
greeting, a claim, a topic word with nothing behind it). It decides *what a sentence is
about*; the language rules decide *which way* (supports or contradicts), because an
embedding barely moves when "not" is added and a rule that finds the negation's clause
can say why.

Trained by ``scripts/train_reader.py`` on the pack's example statements
(``knowledge/statements``), its indicator texts and the tuning part of the sentence gold;
the weights ship in ``knowledge/reader/<pack>.npz``, together with the name of the
embedder they were trained for and a digest of the training data, so a model is used
only with the embedder it fits and a stale one is caught by a test.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.engines.lexical import lexical_logits, lexical_matrix
from agent.paths import knowledge_dir

NONE = ""  # the class of a sentence that is evidence about no indicator
Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # an indicator id, or NONE
    weight: float = 1.0


@dataclass(frozen=True)
class TrainSettings:
    """Chosen by leave-one-transcript-out runs on the tuning sentence gold
    (scripts/train_reader.py cv --train-grid): along the precision-recall frontier,
    stronger regularisation with fewer NONE examples gave the best precision per recall."""

    l2: float = 1e-2
    steps: int = 400
    rate: float = 0.05
    #: Weight of all NONE examples together relative to all indicator examples, so the
    #: many empty sentences do not drown the few per indicator (nor the reverse).
    none_share: float = 0.25
    #: Logit scale applied to normalised embeddings (cosines are small numbers).
    scale: float = 10.0
    #: Hashed word and word-pair features beside the embedding (agent.engines.lexical):
    #: how many buckets, and their weight against the unit-length embedding. Chosen by
    #: leave-one-transcript-out runs and level agreement on the cases not tagged
    #: other-author: weight 1.5 gave the best precision (0.82 at recall 0.30) but lower
    #: levels (QWK 0.77); 0.75 kept most of the precision (0.78) and raised the levels
    #: (0.785). 2,048 buckets did as well as 8,192 at a quarter of the size.
    lexical_dims: int = 2048
    lexical_weight: float = 0.75


@dataclass
class ReaderModel:
    pack: str
    embedder: str
    classes: list[str]
    weights: Matrix  # (embedding dims + lexical dims, classes)
    bias: Matrix  # (classes,)
    scale: float
    digest: str
    lexical_dims: int = 0
    lexical_weight: float = 0.0

    def probabilities(self, vectors: npt.NDArray[np.floating], texts: Sequence[str],
                      block: int = 2048) -> Matrix:
        """Class probabilities of sentences, given their embeddings and their texts."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts for {len(vectors)} vectors")
        dense = self.weights[: self.weights.shape[0] - self.lexical_dims]
        lexical = self.weights[dense.shape[0]:]
        # In blocks: a float64 copy of every vector of a 5 MB transcript is ~130 MB.
        out = np.empty((len(vectors), len(self.classes)), dtype=np.float64)
        for start in range(0, len(vectors), block):
            part = np.asarray(vectors[start:start + block], dtype=np.float64)
            logits = self.scale * (part @ dense) + self.bias
            if self.lexical_dims:
                logits += lexical_logits(texts[start:start + block], lexical,
                                         self.scale * self.lexical_weight)
            out[start:start + block] = _softmax(logits)
        return out

    def save(self, path: Path) -> None:
        meta = {"pack": self.pack, "embedder": self.embedder, "classes": self.classes,
                "scale": self.scale, "digest": self.digest,
                "lexical_dims": self.lexical_dims, "lexical_weight": self.lexical_weight}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32),
                            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ReaderModel:
        with np.load(path) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            weights = data["weights"].astype(np.float64)
            bias = data["bias"].astype(np.float64)
        return cls(meta["pack"], meta["embedder"], list(meta["classes"]), weights, bias,
                   float(meta["scale"]), meta["digest"], int(meta.get("lexical_dims", 0)),
                   float(meta.get("lexical_weight", 0.0)))


def model_dir() -> Path:
    return knowledge_dir() / "reader"


def model_path(pack_id: str) -> Path:
    return model_dir() / f"{pack_id}.npz"


def load_model(pack_id: str, embedder: str) -> ReaderModel | None:
    """The shipped model for ``pack_id`` if there is one trained for ``embedder``."""
    path = model_path(pack_id)
    if not path.is_file():
        return None
    model = ReaderModel.load(path)
    return model if model.embedder == embedder else None


def digest(examples: Sequence[Example], embedder: str, settings: TrainSettings) -> str:
    h = hashlib.sha256(f"{embedder}|{settings}".encode())
    for e in examples:
        h.update(f"\n{e.label}\t{e.weight:.6f}\t{e.text}".encode())
    return h.hexdigest()[:16]


def _softmax(logits: Matrix) -> Matrix:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Matrix = e / e.sum(axis=1, keepdims=True)
    return out


def train(pack: str, embedder: str, classes: Sequence[str], examples: Sequence[Example],
          vectors: npt.NDArray[np.floating], settings: TrainSettings | None = None) -> ReaderModel:
    """Fit the softmax regression by full-batch Adam: deterministic for the same input."""
    s = settings or TrainSettings()
    index = {c: i for i, c in enumerate(classes)}
    x = np.asarray(vectors, dtype=np.float64)
    if s.lexical_dims:
        texts = [e.text for e in examples]
        x = np.hstack([x, s.lexical_weight * lexical_matrix(texts, s.lexical_dims)])
    y = np.array([index[e.label] for e in examples])
    w = np.array([e.weight for e in examples], dtype=np.float64)
    is_none = y == index.get(NONE, -1)
    if is_none.any() and (~is_none).any():
        # Rebalance: NONE examples together weigh none_share of the indicator examples.
        w[is_none] *= s.none_share * w[~is_none].sum() / w[is_none].sum()
    w /= w.sum()
    onehot = np.zeros((len(y), len(classes)))
    onehot[np.arange(len(y)), y] = 1.0
    weights = np.zeros((x.shape[1], len(classes)))
    bias = np.zeros(len(classes))
    moments = [np.zeros_like(weights), np.zeros_like(bias)]
    squares = [np.zeros_like(weights), np.zeros_like(bias)]
    for step in range(1, s.steps + 1):
        p = _softmax(s.scale * (x @ weights) + bias)
        g = (p - onehot) * w[:, None]
        grads = [s.scale * (x.T @ g) + s.l2 * weights, g.sum(axis=0)]
        for k, param in enumerate((weights, bias)):
            moments[k] = 0.9 * moments[k] + 0.1 * grads[k]
            squares[k] = 0.999 * squares[k] + 0.001 * grads[k] ** 2
            m_hat = moments[k] / (1 - 0.9**step)
            v_hat = squares[k] / (1 - 0.999**step)
            param -= s.rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return ReaderModel(pack, embedder, list(classes), weights, bias, s.scale,
                       digest(examples, embedder, s), s.lexical_dims, s.lexical_weight)
