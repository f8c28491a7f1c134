"""Surfaces the CLI can open, found by name in the package's entry points.

The terminal app lives in ``tui/``, a surface, which the core must not import. It
registers itself under the ``maturity.surfaces`` entry-point group (pyproject.toml), so
``maturity interview`` reaches it through package metadata instead of an import, and an
install without it still runs ``--plain``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from agent.errors import UserError

GROUP = "maturity.surfaces"


def surface(name: str, fallback: str) -> Callable[..., Any]:
    """The callable registered as ``name``; UserError naming ``fallback`` when absent."""
    found = entry_points(group=GROUP, name=name)
    if not found:
        raise UserError(f"the {name} surface is not installed; {fallback}")
    launcher: Callable[..., Any] = next(iter(found)).load()
    return launcher
