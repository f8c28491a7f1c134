"""Choose and build the evidence engine for a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.engines.base import EvidenceEngine
from agent.errors import UserError
from agent.progress import Progress

if TYPE_CHECKING:
    from agent.app import Services
    from agent.llm.provider import ChatProvider


def make_engine(name: str, services: Services, progress: Progress | None = None, *,
                max_cost: float | None = None,
                provider: ChatProvider | None = None) -> EvidenceEngine:
    """The engine called ``name``. For ``llm``: ``max_cost`` (USD) caps the run's spend;
    ``provider`` replaces the configured endpoint (tests, other surfaces)."""
    if name == "offline":
        from agent.engines.offline import OfflineEngine

        return OfflineEngine(services.index(progress))
    if name == "llm":
        return _llm_engine(services, progress, max_cost, provider)
    raise UserError(f"unknown engine {name!r}; use 'offline' or 'llm'")


def _llm_engine(services: Services, progress: Progress | None, max_cost: float | None,
                provider: ChatProvider | None) -> EvidenceEngine:
    from agent.assessment.relevance import RelevanceCheck
    from agent.engines.llm import LLMEngine
    from agent.engines.offline import OfflineEngine
    from agent.llm.provider import Budget, make_provider
    from agent.llm.settings import load_settings

    if max_cost is not None and max_cost < 0:
        raise UserError(f"--max-cost must be zero or more, got {max_cost}")
    settings = load_settings(services.home)
    if provider is None:
        budget = Budget(max_cost) if max_cost is not None else None
        provider = make_provider(settings, budget=budget)
    index = services.index(progress)
    return LLMEngine(provider, RelevanceCheck(index), OfflineEngine(index),
                     context_tokens=settings.context_tokens,
                     max_completion_tokens=settings.max_completion_tokens)
