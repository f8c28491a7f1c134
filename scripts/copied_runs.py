"""List runs of 12+ words that a file shares with the seed documents.

The knowledge packs are written in our own words: facts, level names and figures carry
over from the seeds, sentences do not. Usage: python scripts/copied_runs.py FILE...
Exit code 1 when any file has a copied run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RUN = 12
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def seed_runs(seeds: Path = SEEDS) -> set[str]:
    runs: set[str] = set()
    for f in seeds.glob("*.txt"):
        w = words(f.read_text(errors="ignore"))
        runs.update(" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
    return runs


def copied(text: str, runs: set[str]) -> list[str]:
    w = words(text)
    grams = (" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
    return [g for g in grams if g in runs]


def main(argv: list[str]) -> int:
    runs = seed_runs()
    bad = 0
    for name in argv:
        hits = copied(Path(name).read_text(errors="ignore"), runs)
        if hits:
            bad += 1
            print(f"{name}: {len(hits)} copied {RUN}-word runs, e.g. '{hits[0]}'")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
