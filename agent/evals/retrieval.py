"""Retrieval quality: recall@k and MRR of framework chunks for stakeholder statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from agent.paths import evals_dir
from agent.retrieval.search import HybridSearcher, Mode

K = 5
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")


class RetrievalQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    relevant: list[str]


class RetrievalSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    framework: str
    queries: list[RetrievalQuery]


def load_sets(folder: Path | None = None) -> list[RetrievalSet]:
    folder = folder or evals_dir() / "retrieval"
    return [RetrievalSet.model_validate(yaml.safe_load(p.read_text()))
            for p in sorted(folder.glob("*.yaml"))]


def evaluate_retrieval(searcher: HybridSearcher, sets: list[RetrievalSet] | None = None,
                       k: int = K) -> dict[str, Any]:
    sets = sets if sets is not None else load_sets()
    report: dict[str, Any] = {"k": k, "queries": sum(len(s.queries) for s in sets), "modes": {}}
    for mode in MODES:
        recall = rr = 0.0
        n = 0
        misses: list[str] = []
        for rset in sets:
            texts = [q.query for q in rset.queries]
            results = searcher.search_many(texts, rset.framework, k=max(k, 20), mode=mode)
            for q, hits in zip(rset.queries, results, strict=True):
                ids = [h.chunk.id for h in hits]
                relevant = set(q.relevant)
                top = set(ids[:k])
                recall += len(top & relevant) / len(relevant)
                rank = next((i + 1 for i, cid in enumerate(ids) if cid in relevant), None)
                rr += 1.0 / rank if rank else 0.0
                if not top & relevant:
                    misses.append(q.query)
                n += 1
        report["modes"][mode] = {
            f"recall@{k}": round(recall / n, 3) if n else 0.0,
            "mrr": round(rr / n, 3) if n else 0.0,
            "misses": misses,
        }
    return report


def retrieval_markdown(report: dict[str, Any]) -> str:
    k = report["k"]
    lines = [f"| mode | recall@{k} | MRR |", "|---|---|---|"]
    for mode, m in report["modes"].items():
        lines.append(f"| {mode} | {m[f'recall@{k}']:.3f} | {m['mrr']:.3f} |")
    lines.append(f"\n{report['queries']} queries.")
    return "\n".join(lines) + "\n"
