"""Benchmark: prompt tokens the llm engine sends per assessment, against a naive prompt.

Usage: uv run python scripts/bench_tokens.py [--cases N]
Runs the real llm engine (prompt rendering, one structured call per dimension, per part
when a transcript does not fit) over the gold eval cases with a recording provider that
answers every call with an empty extraction, so no endpoint is needed and nothing leaves
the machine. Prompt tokens are counted the way the engine budgets them (characters / 4).
The naive baseline is one prompt holding the same instructions, every dimension's levels
and indicators and the transcript once: what "paste it all into one chat" would send.
Completion tokens depend on the model; recorded cassettes (evals/cassettes) hold them.
Runs in a temporary MATURITY_HOME unless one is set (the index is built there first).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

T = TypeVar("T")


@dataclass
class RecordingProvider:
    """Answers every call with an empty extraction and keeps what was sent."""

    model: str = "recording"
    sent: list[list[tuple[str, str]]] = field(default_factory=list)

    def structured(self, messages: list[tuple[str, str]], schema: type[T]) -> Any:
        from agent.llm.provider import CallUsage, Reply, estimate_tokens

        self.sent.append(list(messages))
        value = schema.model_validate({"evidence": [], "injections": []})  # type: ignore[attr-defined]
        usage = CallUsage(self.model, sum(estimate_tokens(c) for _, c in messages), 0, 0.0, 0.0)
        return Reply(value, usage, (usage,))


def naive_tokens(pack: Any, transcripts: list[Any]) -> int:
    """One prompt: the instructions, all dimensions' levels and indicators, the transcript."""
    from agent.llm.extraction import number_lines, prompt_values
    from agent.llm.prompts import load_prompt
    from agent.llm.provider import estimate_tokens

    prompt = load_prompt("extract_evidence")
    lines = number_lines(transcripts)
    first = prompt.render(**prompt_values(pack, pack.dimensions[0], lines))
    total = sum(estimate_tokens(content) for _, content in first)
    for dim in pack.dimensions[1:]:  # the other dimensions add only their own sections
        values = prompt_values(pack, dim, [])
        total += estimate_tokens(f"{dim.name}: {dim.summary}\n{values['levels']}\n"
                                 f"{values['indicators']}")
    return total


def main(limit: int) -> None:
    from agent.app import build_services
    from agent.engines.factory import make_engine
    from agent.evals.dataset import load_cases
    from agent.llm.provider import estimate_tokens
    from agent.transcripts import read_transcripts

    services = build_services()
    services.index()
    print("| case | words | calls | engine prompt tokens | naive prompt tokens | ratio |")
    print("|---|---|---|---|---|---|")
    totals = [0, 0]
    for case in load_cases()[:limit]:
        transcripts = read_transcripts(case.paths())
        pack = services.registry.get(case.framework)
        recorder = RecordingProvider()
        engine = make_engine("llm", services, provider=recorder)
        engine.propose(transcripts, pack)
        sent = sum(estimate_tokens(c) for call in recorder.sent for _, c in call)
        naive = naive_tokens(pack, transcripts)
        words = sum(len(u.text.split()) for t in transcripts for u in t.utterances)
        totals[0] += sent
        totals[1] += naive
        print(f"| {case.id} | {words:,} | {len(recorder.sent)} | {sent:,} | {naive:,} | "
              f"{sent / naive:.1f}x |")
    print(f"| all | | | {totals[0]:,} | {totals[1]:,} | {totals[0] / totals[1]:.1f}x |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="at most this many cases")
    args = parser.parse_args()
    if os.environ.get("MATURITY_HOME"):
        main(args.cases)
    else:
        with tempfile.TemporaryDirectory(prefix="maturity-bench-") as home:
            os.environ["MATURITY_HOME"] = home  # never the user's own data folder
            main(args.cases)
