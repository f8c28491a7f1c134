"""The offline reader's training set, per pack: what ``scripts/train_reader.py`` fits.

Three sources, each labelled by someone who saw no engine output:

- every indicator's own text (one example each);
- the example statements of ``knowledge/statements`` (supports, denials, claims, near
  misses, sentences that show nothing);
- the tuning part of the sentence gold (``blind: false``): real transcript sentences in
  other people's voices. Blind cases never train anything.

A sentence labelled with several indicators gives one example per indicator, their
weights adding to one. A claim, an injection and a sentence that shows nothing are
``NONE`` examples. A sentence with only ``also_ok`` labels is left out: raters thought it
arguable, so it teaches neither class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent.engines.classifier import NONE, Example, TrainSettings, digest, load_model
from agent.evals.sentence_gold import SentenceGold
from agent.knowledge.schema import FrameworkPack
from agent.knowledge.statements import Statement, pack_statements

#: A real sentence from a labelled transcript counts more than a constructed one.
GOLD_WEIGHT = 2.0


def _labelled(text: str, labels: Sequence[str], empty_is_none: bool,
              weight: float) -> list[Example]:
    if labels:
        return [Example(text, label, weight / len(labels)) for label in labels]
    return [Example(text, NONE, weight)] if empty_is_none else []


def statement_examples(statements: Iterable[Statement]) -> list[Example]:
    return [e for s in statements for e in _labelled(s.text, s.indicators, True, 1.0)]


def gold_examples(golds: Iterable[SentenceGold]) -> list[Example]:
    out: list[Example] = []
    for gold in golds:
        for s in gold.sentences:
            labels = [*s.supports, *s.contradicts]
            out += _labelled(s.text, labels, not s.also_ok, GOLD_WEIGHT)
    return out


def indicator_examples(pack: FrameworkPack) -> list[Example]:
    return [Example(ind.text, ind_id, 1.0) for ind_id, (_, _, ind) in pack.indicators().items()]


def training_examples(pack: FrameworkPack, statements: Iterable[Statement],
                      golds: Iterable[SentenceGold]) -> list[Example]:
    tuning = [g for g in golds if g.framework == pack.id and not g.blind]
    return [*indicator_examples(pack), *statement_examples(statements), *gold_examples(tuning)]


def classes(pack: FrameworkPack) -> list[str]:
    return [NONE, *pack.indicators()]



def stale_models(packs: Iterable[FrameworkPack], golds: Iterable[SentenceGold],
                 embedder: str) -> list[str]:
    """Packs whose shipped reader was not trained on today's training data (retrain with
    ``uv run python scripts/train_reader.py train``)."""
    gold_list = list(golds)
    stale = []
    for pack in packs:
        model = load_model(pack.id, embedder)
        want = digest(training_examples(pack, pack_statements(pack.id), gold_list), embedder,
                      TrainSettings())
        if model is None or model.digest != want:
            stale.append(pack.id)
    return stale
