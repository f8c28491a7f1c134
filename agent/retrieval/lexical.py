"""A small BM25 index: the lexical half of hybrid search.

Dense embeddings miss exact jargon ("MLflow", "canary", "model card") that decides
which indicator a statement is about; BM25 over chunk text plus keywords catches it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_STOP = frozenset(
    "a an and are as at be been but by can do does for from has have how i if in into is it "
    "its of on or our so that the their them there these they this to was we were what when "
    "which who will with you your us my me not no any all just".split()
)


def tokens(text: str) -> list[str]:
    out = []
    for word in re.findall(r"[a-z0-9][a-z0-9+&/-]*", text.lower()):
        word = word.strip("-/")
        if word in _STOP or not word:
            continue
        # Light stemming: enough to match "models"/"model", "pipelines"/"pipeline".
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


class BM25:
    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(tokens(d)) for d in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.docs else 1.0
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> list[float]:
        terms = tokens(query)
        out = []
        for doc, length in zip(self.docs, self.lengths, strict=True):
            s = 0.0
            for t in terms:
                f = doc.get(t)
                if f:
                    norm = f + self.k1 * (1 - self.b + self.b * length / self.avg)
                    s += self.idf[t] * f * (self.k1 + 1) / norm
            out.append(s)
        return out
