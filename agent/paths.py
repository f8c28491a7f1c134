"""Where the project's data lives: bundled data next to the code, user data in MATURITY_HOME."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries the data under agent/_bundled; a source checkout has it at the root.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def knowledge_dir() -> Path:
    return _bundled("knowledge")


def prompts_dir() -> Path:
    return _bundled("prompts")


def examples_dir() -> Path:
    return _bundled("examples")


def evals_dir() -> Path:
    """The gold cases, baselines and cassettes; MATURITY_EVALS_DIR points at another copy."""
    configured = os.environ.get("MATURITY_EVALS_DIR")
    return Path(configured) if configured else _PACKAGE.parent / "evals"


def maturity_home() -> Path:
    """The user's data folder (index, sessions, history, logs); created on demand."""
    configured = os.environ.get("MATURITY_HOME")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "maturity"
