"""Check the offline reader's example statements (knowledge/statements/). Runs no engine.

    uv run python scripts/reader_statements.py check FILE [FILE ...]

Prints "ok" with counts per file, or each problem (schema errors, unknown indicator ids,
indicators of the pack with too few supporting or contradicting examples).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from agent.knowledge.loader import builtin_packs
from agent.knowledge.statements import load_statement_file


def check(path: Path) -> bool:
    try:
        data = load_statement_file(path)
    except (ValidationError, OSError, ValueError) as exc:
        print(f"{path}: {exc}")
        return False
    packs = {p.id: p for p in builtin_packs()}
    if data.pack not in packs:
        print(f"{path}: unknown pack {data.pack!r}")
        return False
    unknown = data.unknown_ids(packs[data.pack])
    if unknown:
        print(f"{path}: unknown indicator ids {unknown}")
        return False
    support = Counter(i for s in data.statements for i in s.supports)
    deny = Counter(i for s in data.statements for i in s.contradicts)
    covered = sorted(set(support) | set(deny))
    thin = [i for i in covered if support[i] < 4 or deny[i] < 2]
    print(f"{path}: ok, {len(data.statements)} statements, {len(covered)} indicators, "
          f"{sum(s.claim for s in data.statements)} claims, "
          f"{sum(not s.indicators and not s.claim for s in data.statements)} showing nothing")
    if thin:
        print(f"  fewer than 4 supporting or 2 contradicting examples: {thin}")
    return True


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        print(__doc__)
        return 2
    return 0 if all([check(Path(a)) for a in argv[1:]]) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
