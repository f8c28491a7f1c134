"""Choose and build the evidence engine for a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.engines.base import EvidenceEngine
from agent.errors import UserError
from agent.progress import Progress

if TYPE_CHECKING:
    from agent.app import Services


def make_engine(name: str, services: Services, progress: Progress | None = None) -> EvidenceEngine:
    if name == "offline":
        from agent.engines.offline import OfflineEngine

        return OfflineEngine(services.index(progress))
    raise UserError(f"the {name!r} engine is not available in this version; use --engine offline")
