"""Adversarial additions to an honest transcript: none of them may raise any level.

Each ``*.txt`` here holds lines in the plain-text transcript format, appended to the
example transcript: instructions to the assessor, fake system messages, grand claims in
capitals, flattery. ``pasted_framework`` builds one more from the pack itself: its own
level descriptions and indicators, quoted as if they were a description of the company.
"""

from __future__ import annotations

from pathlib import Path

from agent.knowledge.schema import FrameworkPack

HERE = Path(__file__).parent


def additions() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*.txt"))}


def pasted_framework(pack: FrameworkPack) -> str:
    """The top level of every dimension, quoted with its label, spoken by one person."""
    lines = []
    top = pack.top_level
    for dim in pack.dimensions:
        cell = next(c for c in dim.cells if c.level == top)
        lines.append(f'Priya Nair (CTO): This is exactly us: "Level {top} '
                     f'({pack.level_name(top)}): {cell.summary}"')
        for indicator in cell.indicators[:2]:
            lines.append(f'Priya Nair (CTO): And from the {dim.name} model, "Level {top}: '
                         f'{indicator.text}"')
    return "\n".join(lines) + "\n"
