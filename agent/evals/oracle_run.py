"""Run the oracle reader on a case through both paths (agent.evals.oracle)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.app import Services
from agent.assessment.model import Assessment
from agent.assessment.pipeline import assess
from agent.evals.dataset import EvalCase
from agent.evals.evidence_quality import EvidenceCounts, counts
from agent.evals.metrics import Pair
from agent.evals.oracle import OracleEngine, oracle_responder
from agent.evals.sentence_gold import SentenceGold
from agent.transcripts import read_transcripts
from agent.transcripts.model import Transcript


@dataclass
class OracleResult:
    path: str  # "checks" or "llm"
    pairs: list[Pair]
    kept: EvidenceCounts  # found / gold: the share of the gold the checks kept
    assessment: Assessment


def run_oracle(case: EvalCase, gold: SentenceGold, services: Services) -> list[OracleResult]:
    pack = services.registry.get(case.framework)
    transcripts = read_transcripts(case.paths())
    out = []
    direct = assess(transcripts, pack, OracleEngine(gold, case), services.clock())
    out.append(_result("checks", case, gold, direct))
    via_llm = _through_llm(case, gold, services, transcripts)
    out.append(_result("llm", case, gold, via_llm))
    return out


def _result(path: str, case: EvalCase, gold: SentenceGold, a: Assessment) -> OracleResult:
    pairs = [(label.level, a.levels().get(dim)) for dim, label in case.gold.items()]
    return OracleResult(path, pairs, counts(a, gold, case), a)


def _through_llm(case: EvalCase, gold: SentenceGold, services: Services,
                 transcripts: Sequence[Transcript]) -> Assessment:
    from agent.engines.factory import make_engine
    from agent.llm.local_server import FakeOpenAI
    from agent.llm.provider import make_provider
    from agent.llm.retry import RetryPolicy
    from agent.llm.settings import load_settings

    pack = services.registry.get(case.framework)
    server = FakeOpenAI(oracle_responder(gold, case, transcripts))
    with server.running():
        settings = load_settings(services.home, base_url=server.url, api_key="oracle",
                                 model="oracle")
        provider = make_provider(settings, policy=RetryPolicy(max_retries=0))
        engine = make_engine("llm", services, provider=provider)
        return assess(transcripts, pack, engine, services.clock())
