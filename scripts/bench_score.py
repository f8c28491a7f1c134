"""Benchmark: offline scoring time and peak memory by transcript size (index already built).

Usage: uv run python scripts/bench_score.py [WORDS ...]   (default 1000 10000 50000)
Builds transcripts of the requested size from the bundled gold transcripts (plain-text
ones, repeated), scores each in a fresh process, and prints a Markdown table.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from agent.app import build_services
from agent.assessment.pipeline import assess
from agent.engines.offline import OfflineEngine
from agent.transcripts import read_transcripts
services = build_services()
engine = OfflineEngine(services.index())
pack = services.registry.get("enterprise-ai")
started = time.perf_counter()
transcripts = read_transcripts([__import__("pathlib").Path(sys.argv[1])])
assess(transcripts, pack, engine, services.clock())
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": round(seconds, 2), "peak_mib": round(peak)}))
"""


def make_transcript(words: int, folder: Path) -> Path:
    source = [p.read_text(encoding="utf-8").splitlines()
              for p in sorted((ROOT / "evals" / "transcripts").glob("*.txt"))]
    lines: list[str] = []
    count = 0
    while count < words:
        for block in source:
            for line in block:
                if ":" in line and count < words:
                    lines.append(line)
                    count += len(line.split())
    path = folder / f"bench-{words}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(sizes: list[int]) -> None:
    # Build the index first: the benchmark measures scoring, not indexing.
    subprocess.run([sys.executable, "-m", "agent", "knowledge", "search", "warm up", "-k", "1"],
                   capture_output=True, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        print("| words | seconds | peak memory (MiB) |\n|---|---|---|")
        for words in sizes:
            path = make_transcript(words, Path(tmp))
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                 text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(f"| {words} | {result['seconds']} | {result['peak_mib']} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
