"""Train, cross-validate and check the offline reader's indicator classifiers.

    uv run python scripts/train_reader.py train   # fit every built-in pack (knowledge/reader/)
    uv run python scripts/train_reader.py cv [--grid] [--train-grid]
        # leave-one-transcript-out on the tuning sentence gold
    uv run python scripts/train_reader.py check            # are the shipped models current?

``cv`` holds out one tuning case at a time (its sentences leave the training set), reads
its gold sentences with the model trained on the rest, and reports evidence precision
(right indicator, same stance), defensible share and recall, pooled over cases. Blind
cases are never read here: they are for the final measurement only (`maturity eval`).
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from agent.engines.classifier import TrainSettings, model_path, train
from agent.engines.reader import ReaderSettings, StanceReader, pick
from agent.evals.reader_training import classes, stale_models, training_examples
from agent.evals.sentence_gold import SentenceGold, load_sentence_gold
from agent.knowledge.loader import builtin_packs
from agent.knowledge.schema import FrameworkPack
from agent.knowledge.statements import pack_statements
from agent.retrieval.embedder import default_embedder

CACHE = Path("/tmp/maturity-reader-vectors.npz")


class CachedEmbedder:
    """The default embedder with a disk cache of vectors by text (training re-embeds a lot)."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name = self.inner.name
        self.table: dict[str, np.ndarray] = {}
        if CACHE.is_file():
            with np.load(CACHE) as data:
                self.table = dict(zip([str(k) for k in data["keys"]], data["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.table))
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing), strict=True):
                self.table[self.key(text)] = vector
            keys = list(self.table)
            np.savez(CACHE, keys=np.array(keys), vectors=np.stack([self.table[k] for k in keys]))
        return np.stack([self.table[self.key(t)] for t in texts])


def fit(pack: FrameworkPack, golds: list[SentenceGold], embedder: CachedEmbedder,
        settings: TrainSettings):
    examples = training_examples(pack, pack_statements(pack.id), golds)
    vectors = embedder.embed([e.text for e in examples])
    return train(pack.id, embedder.name, classes(pack), examples, vectors, settings)


def cmd_train() -> None:
    embedder = CachedEmbedder()
    golds = list(load_sentence_gold().values())
    for pack in builtin_packs():
        model = fit(pack, golds, embedder, TrainSettings())
        model.save(model_path(pack.id))
        print(f"{pack.id}: {len(model.classes)} classes, digest {model.digest}")


def cmd_check() -> int:
    stale = stale_models(builtin_packs(), load_sentence_gold().values(), default_embedder().name)
    print("stale: " + ", ".join(stale) if stale else "ok")
    return 1 if stale else 0


def _pick(row: np.ndarray, cls: list[str], s: ReaderSettings) -> list[str]:
    return [i for i, _ in pick(row, cls, s)]


def cmd_cv(grid: bool, train_grid: bool = False) -> None:
    if not train_grid:
        return cv_once(grid, TrainSettings())
    for scale, l2, none_share, steps in itertools.product((5.0, 10.0, 20.0), (1e-4, 1e-3, 1e-2),
                                                          (0.25, 0.5, 1.0), (400,)):
        print(f"== scale {scale} l2 {l2} none_share {none_share} steps {steps}")
        cv_once(grid, TrainSettings(l2=l2, steps=steps, none_share=none_share, scale=scale))


def cv_once(grid: bool, train_settings: TrainSettings) -> None:
    embedder = CachedEmbedder()
    golds = [g for g in load_sentence_gold().values() if not g.blind]
    packs = {p.id: p for p in builtin_packs()}
    held: list[tuple[SentenceGold, np.ndarray, list[str], StanceReader]] = []
    for gold in golds:
        pack = packs[gold.framework]
        model = fit(pack, [g for g in golds if g.case != gold.case], embedder, train_settings)
        texts = [s.text for s in gold.sentences]
        probs = model.probabilities(embedder.embed(texts), texts)
        held.append((gold, probs, model.classes, StanceReader(pack)))
    settings = [ReaderSettings()]
    if grid:
        settings = [ReaderSettings(c, s2, r, m) for c, s2, r, m in itertools.product(
            (0.2, 0.3, 0.4, 0.5, 0.6, 0.7), (0.2, 0.35, 0.5), (0.5, 0.8), (1, 2))]
    else:
        settings = [ReaderSettings(c, deny_credit=d) for c in (0.2, 0.3, 0.4) for d in (0.8,)]
    for s in settings:
        cited = right = defensible = found = total = 0
        for gold, probs, cls, stance in held:
            for sentence, row in zip(gold.sentences, probs, strict=True):
                total += len(sentence.supports) + len(sentence.contradicts)
                for ind in _pick(row, cls, s):
                    reading = stance.read(sentence.text, ind, row=row, classes=cls)
                    sure = row[cls.index(ind)] >= s.deny_credit or ind in stance.absence
                    denial = reading.stance == "contradicts"
                    if reading.strength == "claim" or (denial and not sure):
                        continue
                    cited += 1
                    gold_ids = sentence.contradicts if denial else sentence.supports
                    ok = ind in gold_ids
                    right += ok
                    found += ok
                    defensible += ok or ind in sentence.also_ok
        print(f"{s}: cited {cited} precision {right / max(cited, 1):.3f} "
              f"defensible {defensible / max(cited, 1):.3f} recall {found / max(total, 1):.3f}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["train"]:
        cmd_train()
        return 0
    if argv[:1] == ["check"]:
        return cmd_check()
    if argv[:1] == ["cv"]:
        cmd_cv("--grid" in argv, "--train-grid" in argv)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
