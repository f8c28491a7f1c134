"""Load and validate framework packs (YAML) with errors a pack author can act on."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from agent.errors import PackError
from agent.knowledge.schema import Crosswalk, FrameworkPack
from agent.paths import knowledge_dir


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text; save the pack as UTF-8 YAML") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PackError(f"{path}: bad YAML{where}: {problem}") from None


def _first_error(path: Path, exc: ValidationError) -> PackError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    where = f" at {loc}" if loc else ""
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return PackError(f"{path}: invalid pack{where}: {msg}{more}")


def load_pack(path: Path | str) -> FrameworkPack:
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise PackError(f"{path}: a pack must be a YAML mapping with id, name, levels, ...")
    try:
        return FrameworkPack.model_validate(data)
    except ValidationError as exc:
        raise _first_error(path, exc) from None


def load_crosswalk(path: Path | str) -> Crosswalk:
    path = Path(path)
    data = _read_yaml(path)
    try:
        return Crosswalk.model_validate(data)
    except ValidationError as exc:
        raise _first_error(path, exc) from None


def builtin_pack_paths() -> list[Path]:
    return sorted((knowledge_dir() / "packs").glob("*.yaml"))


@lru_cache(maxsize=1)
def builtin_packs() -> tuple[FrameworkPack, ...]:
    return tuple(load_pack(p) for p in builtin_pack_paths())


def builtin_crosswalk() -> Crosswalk:
    path = knowledge_dir() / "crosswalk.yaml"
    return load_crosswalk(path) if path.exists() else Crosswalk(mappings=[])
