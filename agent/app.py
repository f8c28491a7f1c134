"""One factory that wires the core for every surface (CLI, TUI, Slack) and for tests.

Dependencies travel in one typed object instead of globals, so a test swaps the
embedder, the clock or the data folder by passing them in.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from agent.errors import UserError
from agent.knowledge.registry import Registry, load_registry
from agent.paths import maturity_home
from agent.progress import Progress
from agent.retrieval.embedder import Embedder, default_embedder
from agent.retrieval.index import KnowledgeIndex
from agent.retrieval.search import HybridSearcher

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def ensure_home(home: Path) -> Path:
    """Create MATURITY_HOME if needed and prove it is writable, with a fixable message."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(
            f"MATURITY_HOME {home} is not usable ({reason}); "
            "point MATURITY_HOME at a writable folder"
        ) from None
    return home


@dataclass
class Services:
    home: Path
    registry: Registry
    embedder_factory: Callable[[], Embedder] = default_embedder
    clock: Clock = utc_now
    _index: KnowledgeIndex | None = field(default=None, repr=False)
    _searcher: HybridSearcher | None = field(default=None, repr=False)

    def index(self, progress: Progress | None = None) -> KnowledgeIndex:
        """The knowledge index, brought up to date with the packs (incremental)."""
        if self._index is None:
            index = KnowledgeIndex(ensure_home(self.home), self.embedder_factory())
            index.build(self.registry.chunks(), progress)
            self._index = index
        return self._index

    def searcher(self, progress: Progress | None = None) -> HybridSearcher:
        if self._searcher is None:
            self._searcher = HybridSearcher(self.index(progress), self.registry.chunks())
        return self._searcher


def build_services(
    home: Path | None = None,
    embedder_factory: Callable[[], Embedder] | None = None,
    clock: Clock | None = None,
) -> Services:
    home = home or maturity_home()
    registry = load_registry(home)
    return Services(
        home=home,
        registry=registry,
        embedder_factory=embedder_factory or default_embedder,
        clock=clock or utc_now,
    )


def configured_engine(explicit: str | None = None) -> str:
    """The engine a run uses: the flag, then MATURITY_ENGINE, then ``llm`` when an LLM
    endpoint is configured (OPENAI_API_KEY or OPENAI_BASE_URL), else offline."""
    from agent.llm.settings import llm_configured

    engine = explicit or os.environ.get("MATURITY_ENGINE") or (
        "llm" if llm_configured() else "offline")
    if engine not in ("offline", "llm"):
        raise UserError(f"unknown engine {engine!r}; use 'offline' or 'llm'")
    return engine
