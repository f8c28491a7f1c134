"""Measure and sweep the offline engine's settings on the gold cases NOT tagged ``holdout``.

Usage:
  uv run python scripts/tune_offline.py                     # agreement on the tuning set
  uv run python scripts/tune_offline.py --diag [CASE ...]   # per-dimension errors + evidence
  uv run python scripts/tune_offline.py --sweep threshold=0.30,0.34,0.38 margin=0.1,0.15
  uv run python scripts/tune_offline.py --split holdout     # report only (never tune on it)

Sentence embeddings are cached in memory, so a sweep re-runs only the rules and the
rubric. Tune on the default split only: holdout cases exist to measure what the rules
do on transcripts they were not chosen for.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.app import Services, build_services  # noqa: E402
from agent.engines.offline import OfflineEngine, OfflineSettings  # noqa: E402
from agent.evals.dataset import EvalCase, load_cases  # noqa: E402
from agent.evals.metrics import Pair, summary  # noqa: E402
from agent.evals.quality import raised_above_gold  # noqa: E402
from agent.evals.runner import CaseResult, run_case  # noqa: E402
from agent.retrieval.embedder import Embedder, Vectors  # noqa: E402

HOLDOUT = "holdout"


class CachedEmbedder:
    """The real embedder, remembered per text: a sweep embeds each sentence once."""

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path and path.exists():
            with np.load(path) as data:
                self.cache = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def save(self) -> None:
        if self.path and self.cache:
            texts = list(self.cache)
            np.savez(self.path, texts=np.array(texts), vectors=np.stack(list(self.cache.values())))

    def embed(self, texts: Sequence[str]) -> Vectors:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for text, vec in zip(todo, self.inner.embed(todo), strict=True):
                self.cache[text] = vec
        if not texts:
            return self.inner.embed([])
        return np.stack([self.cache[t] for t in texts])


def split_cases(split: str) -> list[EvalCase]:
    cases = load_cases()
    if split == "tuning":
        return [c for c in cases if HOLDOUT not in c.tags]
    if split == "holdout":
        return [c for c in cases if HOLDOUT in c.tags]
    return cases


def run(services: Services, engine: OfflineEngine, cases: list[EvalCase]) -> list[CaseResult]:
    return [run_case(case, services, engine) for case in cases]


def metrics(results: list[CaseResult]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Pair]] = {"all": []}
    adversarial: list[Pair] = []
    for r in results:
        groups["all"] += r.pairs
        groups.setdefault(r.case.framework, []).extend(r.pairs)
        if "adversarial" in r.case.tags:
            adversarial += r.pairs
    out = {name: summary(pairs) for name, pairs in groups.items()}
    out["all"]["adversarial_raised"] = raised_above_gold(adversarial)
    return out


def table(rows: dict[str, dict[str, float]]) -> str:
    out = ["| group | n | exact | within-one | MAE | QWK | MSE | null P | null R |",
           "|---|---|---|---|---|---|---|---|---|"]
    for name, m in rows.items():
        out.append(f"| {name} | {m['n']} | {m['exact']:.3f} | {m['within_one']:.3f} | "
                   f"{m['mae']:.3f} | {m['qwk']:.3f} | {m['mean_signed_error']:+.3f} | "
                   f"{m['null_precision']:.2f} | {m['null_recall']:.2f} |")
    return "\n".join(out)


def diagnose(results: list[CaseResult], only_errors: bool) -> None:
    for r in results:
        print(f"\n## {r.case.id}")
        for dim in r.assessment.dimensions:
            gold = r.case.gold.get(dim.id)
            if gold is None:
                continue
            if only_errors and gold.level == dim.level:
                continue
            print(f"- {dim.id}: gold {gold.level} predicted {dim.level}")
            for st in dim.indicators:
                if st.support or st.contradict or st.status == "claimed":
                    print(f"    {st.id:<48} {st.status:<12} +{st.support:.1f} -{st.contradict:.1f}")
            for e in dim.evidence[:40]:
                print(f"      [{e.stance[:3]} {e.strength[:4]} {e.relevance}] {e.indicator_id}: "
                      f"{e.quote[:110]!r} ({e.reason[:50]})")


def parse_sweep(specs: list[str]) -> list[dict[str, float]]:
    types = {f.name: type(f.default) for f in fields(OfflineSettings)}
    axes: list[list[tuple[str, float]]] = []
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in types:
            raise SystemExit(f"unknown setting {name!r}; known: {', '.join(sorted(types))}")
        axes.append([(name, types[name](v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case ids (default: every case of the split)")
    parser.add_argument("--split", choices=["tuning", "holdout", "all"], default="tuning")
    parser.add_argument("--diag", action="store_true", help="print per-dimension evidence")
    parser.add_argument("--all-dims", action="store_true", help="with --diag: correct ones too")
    parser.add_argument("--sweep", nargs="*", default=[], metavar="NAME=V1,V2")
    parser.add_argument("--cache", type=Path, help="keep sentence embeddings in this .npz file")
    args = parser.parse_args()
    if args.split != "tuning" and (args.diag or args.sweep):
        raise SystemExit("diagnose and sweep only on the tuning split")
    cases = split_cases(args.split)
    if args.cases:
        cases = [c for c in cases if c.id in set(args.cases)]
    services = build_services()
    index = services.index()
    cached = CachedEmbedder(index.embedder, args.cache)
    index.embedder = cached
    base = OfflineEngine(index)
    try:
        report(args, services, base, cases)
    finally:
        cached.save()


def report(args: argparse.Namespace, services: Services, base: OfflineEngine,
           cases: list[EvalCase]) -> None:
    index = base.index
    if args.sweep:
        for combo in parse_sweep(args.sweep):
            engine = OfflineEngine(index, replace(base.settings, **combo))  # type: ignore[arg-type]
            m = metrics(run(services, engine, cases))["all"]
            print(f"{combo} exact {m['exact']:.3f} w1 {m['within_one']:.3f} mae {m['mae']:.3f} "
                  f"qwk {m['qwk']:.3f} mse {m['mean_signed_error']:+.3f} "
                  f"nullP {m['null_precision']:.2f} nullR {m['null_recall']:.2f} "
                  f"raised {m['adversarial_raised']}")
        return
    results = run(services, base, cases)
    if args.diag:
        diagnose(results, only_errors=not args.all_dims)
    print(f"\n{args.split}: {len(cases)} cases\n")
    rows = metrics(results)
    print(table(rows))
    print(f"\nadversarial labels raised above gold: {rows['all']['adversarial_raised']}")


if __name__ == "__main__":
    main()
