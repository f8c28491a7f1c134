"""Benchmark: CLI start, index build cold and warm, offline scoring time and peak memory.

Usage: uv run python scripts/bench_score.py [WORDS ...]   (default 1000 10000 50000)
Prints three Markdown tables:
- ``maturity --help`` wall time (median of 5 fresh processes);
- the knowledge index build: cold (empty MATURITY_HOME, every chunk embedded) and warm
  (a second process, nothing changed), timed inside the process and as a whole run;
- scoring: transcripts of the requested size built from the bundled gold transcripts
  (plain-text ones, repeated), each scored in a fresh process once the index exists.
Runs in a temporary MATURITY_HOME unless one is set.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INDEX_CHILD = """
import json, resource, time
started = time.perf_counter()
from agent.app import build_services, ensure_home
from agent.retrieval.index import KnowledgeIndex
services = build_services()
imported = time.perf_counter()
index = KnowledgeIndex(ensure_home(services.home), services.embedder_factory())
stats = index.build(services.registry.chunks())
built = time.perf_counter()
print(json.dumps({"build_s": round(built - imported, 2), "embedded": stats.embedded,
                  "chunks": stats.total, "peak_mib": round(
                      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""

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


def cli_start(runs: int = 5) -> None:
    script = Path(sys.executable).parent / "maturity"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "agent"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*command, "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    print("| command | median seconds | fastest |\n|---|---|---|")
    print(f"| maturity --help | {statistics.median(times):.2f} | {min(times):.2f} |\n")


def index_build() -> None:
    print("| index build | build seconds | whole process seconds | chunks embedded | "
          "peak memory (MiB) |\n|---|---|---|---|---|")
    for label in ("cold (empty MATURITY_HOME)", "warm (nothing changed)"):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", INDEX_CHILD], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout
        total = time.perf_counter() - started
        result = json.loads(out.strip().splitlines()[-1])
        print(f"| {label} | {result['build_s']} | {total:.2f} | "
              f"{result['embedded']} of {result['chunks']} | {result['peak_mib']} |")
    print()


def main(sizes: list[int]) -> None:
    cli_start()
    index_build()  # also leaves the index built: the scoring runs measure scoring only
    with tempfile.TemporaryDirectory() as tmp:
        print("| words | seconds | peak memory (MiB) |\n|---|---|---|")
        for words in sizes:
            path = make_transcript(words, Path(tmp))
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                 text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(f"| {words} | {result['seconds']} | {result['peak_mib']} |")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 50000]
    if os.environ.get("MATURITY_HOME"):
        main(sizes)
    else:
        with tempfile.TemporaryDirectory(prefix="maturity-bench-") as home:
            os.environ["MATURITY_HOME"] = home  # never the user's own data folder
            main(sizes)
