"""All framework packs a run can use: the bundled ones plus the user's own."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from agent.errors import PackError, UserError
from agent.knowledge.chunks import Chunk, pack_chunks
from agent.knowledge.loader import builtin_packs, load_pack
from agent.knowledge.schema import FrameworkPack

DEFAULT_FRAMEWORK = "enterprise-ai"


def user_packs_dir(home: Path) -> Path:
    return home / "packs"


@dataclass(frozen=True)
class Registry:
    packs: dict[str, FrameworkPack]

    def get(self, framework_id: str | None) -> FrameworkPack:
        key = framework_id or DEFAULT_FRAMEWORK
        try:
            return self.packs[key]
        except KeyError:
            known = ", ".join(sorted(self.packs))
            raise UserError(f"unknown framework {key!r}; choose one of: {known}") from None

    def chunks(self) -> list[Chunk]:
        return [chunk for pack in self.packs.values() for chunk in pack_chunks(pack)]


def load_registry(home: Path) -> Registry:
    packs = {pack.id: pack for pack in builtin_packs()}
    folder = user_packs_dir(home)
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            pack = load_pack(path)
            packs.setdefault(pack.id, pack)
    return Registry(packs)


def add_user_pack(path: Path, home: Path) -> FrameworkPack:
    """Validate a pack and install it under MATURITY_HOME/packs, atomically."""
    pack = load_pack(path)
    if pack.id in {p.id for p in builtin_packs()}:
        raise PackError(f"{path}: id {pack.id!r} is a bundled framework; give your pack its own id")
    folder = user_packs_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{pack.id}.yaml", path.read_bytes())
    return pack


def write_atomic(target: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_file(target: Path, text: str, what: str = "",
                    fix: str = "choose another --out path") -> None:
    """``write_atomic`` for a report, turning a failed write into a line the person can act on."""
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"{target}: cannot write{' ' + what if what else ''} ({reason}); "
                        f"{fix}") from None
