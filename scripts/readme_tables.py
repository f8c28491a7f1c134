"""Regenerate the README's eval tables from evals/baselines/*.json (run after --write-baseline)."""

from __future__ import annotations

import sys
from pathlib import Path

from agent.evals.readme import refresh

README = Path(__file__).resolve().parent.parent / "README.md"

if __name__ == "__main__":
    old = README.read_text(encoding="utf-8")
    new = refresh(old)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if new == old else 1)
    README.write_text(new, encoding="utf-8")
    print("README eval tables " + ("updated" if new != old else "already current"))
