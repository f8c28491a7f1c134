"""From scores to decisions: stakeholder views, disagreement, roadmap order, mistakes,
benchmarks, crosswalk and tracks, through the real pipeline with scripted evidence.

The scripted engine proposes evidence for the sentences of a small transcript; the real
checks, rubric and views dispose, so these tests exercise exactly what a run does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from agent.assessment.ledger import Ledger
from agent.assessment.model import Assessment, DimensionResult, Evidence, Strength
from agent.assessment.pipeline import assess
from agent.assessment.roadmap import build_roadmap
from agent.assessment.stakeholders import MIN_SPEAKER_EVIDENCE, find_disagreements
from agent.assessment.views import check_industry
from agent.engines.base import Proposal
from agent.errors import UserError
from agent.knowledge.chunks import pack_chunks
from agent.knowledge.loader import builtin_packs
from agent.knowledge.schema import FrameworkPack
from agent.transcripts import parse_text
from agent.transcripts.model import Transcript

PACKS = {p.id: p for p in builtin_packs()}
ENT = PACKS["enterprise-ai"]
MLOPS = PACKS["mlops-llmops"]
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
CHUNKS = {c.id for p in PACKS.values() for c in pack_chunks(p)}


@dataclass
class Said:
    """One line of the scripted meeting and the indicators the engine credits it with."""

    speaker: str
    role: str
    text: str
    indicators: list[str] = field(default_factory=list)
    stance: str = "supports"
    strength: Strength = "specific"


class ScriptedEngine:
    """Proposes exactly the scripted evidence: the checks and rubric still decide."""

    name = "scripted"

    def __init__(self, said: Sequence[Said], source: str) -> None:
        self.said, self.source = said, source

    def propose(self, transcripts: Sequence[Transcript], pack: FrameworkPack) -> Proposal:
        evidence = [Evidence(quote=s.text, source=self.source, line=n, speaker=None,
                             stance=s.stance, indicator_id=ind, strength=s.strength)  # type: ignore[arg-type]
                    for n, s in enumerate(self.said, start=1) for ind in s.indicators]
        return Proposal(evidence=evidence, sentences=len(self.said))


def run(pack: FrameworkPack, said: Sequence[Said], industry: str | None = None) -> Assessment:
    text = "\n".join(f"{s.speaker} ({s.role}): {s.text}" for s in said)
    transcript = parse_text(text, "meeting.txt")
    return assess([transcript], pack, ScriptedEngine(said, "meeting.txt"), NOW,
                  industry=industry)


def indicators(pack: FrameworkPack, dim: str, level: int) -> list[str]:
    return [i.id for i in pack.dimension(dim).cells[level - 1].indicators]


def up_to(pack: FrameworkPack, dim: str, level: int) -> list[str]:
    return [i for n in range(1, level + 1) for i in indicators(pack, dim, n)]


def statements(speaker: str, role: str, ids: list[str], stance: str = "supports") -> list[Said]:
    """One distinct, checkable sentence per indicator, so every item is its own quote."""
    return [Said(speaker, role, f"{speaker} states fact number {n} about {i} here.", [i],
                 stance) for n, i in enumerate(ids)]


# --- stakeholders and disagreement -------------------------------------------------------


def test_spread_across_three_respondents_is_flagged_with_the_quotes_that_disagree() -> None:
    said = (statements("Ada", "CTO", up_to(ENT, "data", 3))
            + statements("Bo", "Head of Data", up_to(ENT, "data", 1))
            + statements("Cy", "Director of Product", up_to(ENT, "data", 1)))
    a = run(ENT, said)
    spread = next(s for s in a.stakeholders.spread if s.dimension == "data")
    assert spread.levels == {"Ada": 3, "Bo": 1, "Cy": 1}
    assert spread.respondents == 3 and spread.std_dev == pytest.approx(0.94, abs=0.01)
    assert spread.disagree
    dis = next(d for d in a.disagreements if d.dimension == "data")
    assert "spread" in dis.kinds and dis.respondents == 3
    assert dis.levels == {"Ada": 3, "Bo": 1, "Cy": 1}  # the contract's {speaker: level}
    speakers = {q.speaker for q in dis.quotes}
    assert "Ada" in speakers and speakers & {"Bo", "Cy"}
    assert any(q.speaker == "Ada" and q.indicator_id in indicators(ENT, "data", 3)
               for q in dis.quotes)


def test_close_levels_and_thin_respondents_are_not_a_disagreement() -> None:
    said = (statements("Ada", "CTO", up_to(ENT, "data", 3))
            + statements("Bo", "Head of Data", up_to(ENT, "data", 2))
            + statements("Cy", "Director of Product", up_to(ENT, "data", 2))
            # Dee said too little about data to count as a respondent.
            + statements("Dee", "COO", indicators(ENT, "data", 1)[:MIN_SPEAKER_EVIDENCE - 1]))
    a = run(ENT, said)
    spread = next(s for s in a.stakeholders.spread if s.dimension == "data")
    assert set(spread.levels) == {"Ada", "Bo", "Cy"} and not spread.disagree
    assert not [d for d in a.disagreements if d.dimension == "data"]


def test_asserted_and_denied_indicator_is_a_conflict_with_both_quotes() -> None:
    target = indicators(ENT, "governance", 2)[0]
    said = [Said("Ada", "CTO", "Every model passes the written review checklist.", [target]),
            Said("Bo", "Head of Risk", "There is no review checklist for models at all.",
                 [target], "contradicts")]
    dis = find_disagreements(Ledger(ENT, _checked(said)))
    assert [d.dimension for d in dis] == ["governance"]
    assert dis[0].kinds == ["conflict"]
    assert {(q.speaker, q.stance) for q in dis[0].quotes} == {("Ada", "supports"),
                                                             ("Bo", "contradicts")}


def _checked(said: list[Said]) -> list[Evidence]:
    a = run(ENT, said)
    return [e for d in a.dimensions for e in d.evidence]


def test_each_stakeholder_is_scored_alone_and_roles_are_checked_for_coverage() -> None:
    said = (statements("Ada", "VP Engineering", up_to(ENT, "technology", 2))
            + statements("Bo", "Head of Data", up_to(ENT, "data", 3)))
    a = run(ENT, said)
    view = a.stakeholders
    by_name = {s.name: s for s in view.stakeholders}
    assert by_name["Ada"].levels["technology"] == 2 and by_name["Ada"].levels["data"] is None
    assert by_name["Bo"].levels["data"] == 3 and by_name["Bo"].role_category == "data"
    assert view.pooled == a.levels()
    roles = {r.role: r for r in view.roles}
    assert roles["engineering"].levels["technology"] == 2
    assert view.missing_roles == ["product", "executive"]
    coverage = {c.role: c for c in view.coverage}
    assert coverage["data"].dimensions == ["data"] and not coverage["product"].present
    assert "missing_roles" in {w.code for w in a.warnings}


# --- roadmap --------------------------------------------------------------------------


def _profile(pack: FrameworkPack, levels: dict[str, int | None]) -> Assessment:
    dims = []
    for d in pack.dimensions:
        level = levels[d.id]
        nxt = (level or 1) + 1
        missing = indicators(pack, d.id, nxt) if nxt <= pack.top_level else []
        dims.append(DimensionResult(id=d.id, name=d.name, level=level, confidence=0.5,
                                    missing_indicators=missing))
    return Assessment(framework=pack.id, engine="test", created=NOW.isoformat(),
                      dimensions=dims)


def test_roadmap_puts_the_furthest_behind_and_heaviest_first() -> None:
    levels = {"strategy": 2, "data": 1, "talent": 2, "governance": 2, "technology": 3,
              "culture": 1}
    road = build_roadmap(ENT, _profile(ENT, levels))
    order = list(dict.fromkeys(r.dimension for r in road))
    # Target 3 (the strongest dimension): data (gap 2 x 1.3) before culture (2 x 0.9),
    # then strategy and governance (1 x 1.2) before talent (1 x 1.0); technology,
    # already at the target, last.
    assert order == ["data", "culture", "strategy", "governance", "talent", "technology"]
    assert [r.priority for r in road] == list(range(1, len(road) + 1))
    urgency = [r.urgency for r in road]
    assert urgency == sorted(urgency, reverse=True)
    assert all(r.chunk_id in CHUNKS for r in road)
    assert all(r.to_level == levels[r.dimension] + 1 for r in road)


def test_roadmap_uses_the_packs_steps_and_falls_back_to_unmet_indicators() -> None:
    road = build_roadmap(ENT, _profile(ENT, {d.id: 1 for d in ENT.dimensions}))
    by_dim: dict[str, list[str]] = {}
    for r in road:
        by_dim.setdefault(r.dimension, []).append(r.chunk_id)
    assert "enterprise-ai:roadmap.l1-l2.first-use-case" in by_dim["strategy"]
    # The 1 -> 2 transition has no step for governance: its unmet level-2 indicators stand in.
    assert by_dim["governance"] == [f"enterprise-ai:{i}"
                                    for i in indicators(ENT, "governance", 2)[:3]]
    assert {r.kind for r in road if r.dimension == "governance"} == {"indicator"}


def test_a_step_serving_several_dimensions_appears_once() -> None:
    road = build_roadmap(ENT, _profile(ENT, {d.id: 3 for d in ENT.dimensions}))
    chunks = [r.chunk_id for r in road]
    assert len(chunks) == len(set(chunks))
    registry = next(r for r in road if r.chunk_id.endswith("registry-lineage"))
    assert set(registry.dimensions) == {"technology", "governance", "data"}


def test_industry_sets_the_roadmap_target_and_places_each_dimension() -> None:
    said = statements("Ada", "VP Engineering", up_to(ENT, "technology", 2))
    a = run(ENT, said, industry="financial services")
    b = a.benchmark
    assert b is not None and b.id == "benchmark.financial-services" and not b.mapped
    assert b.chunk_id in CHUNKS
    positions = {p.dimension: p.position for p in b.placements}
    assert positions["technology"] == "within" and positions["data"] == "unknown"
    assert all(r.gap == 3 - r.from_level for r in a.roadmap if r.from_level)
    assert "top of the Financial Services typical range" in a.roadmap[0].why


@pytest.mark.parametrize(("typed", "expected"), [
    ("finance", "benchmark.financial-services"), ("SaaS", "benchmark.technology-saas"),
    ("e-commerce", "benchmark.retail-ecommerce"), ("public sector",
                                                    "benchmark.government-public-sector"),
])
def test_industry_names_are_matched_forgivingly(typed: str, expected: str) -> None:
    from agent.assessment.benchmarks import find_benchmark

    assert find_benchmark(ENT.benchmarks, typed).id == expected


def test_unknown_industry_is_a_usage_error_that_lists_the_choices() -> None:
    with pytest.raises(UserError, match="Financial Services"):
        check_industry(ENT, "banking")


def test_other_frameworks_are_benchmarked_through_the_crosswalk() -> None:
    said = statements("Ada", "ML Platform Lead", up_to(MLOPS, "deployment", 3))
    a = run(MLOPS, said, industry="manufacturing")
    placement = next(p for p in a.benchmark.placements if p.dimension == "deployment")
    assert a.benchmark.mapped and a.benchmark.framework == "enterprise-ai"
    assert placement.compared == [3, 4] and placement.position == "leading"  # edge: 3


def test_crosswalk_gives_equivalent_levels_in_the_other_frameworks() -> None:
    said = statements("Ada", "VP Engineering", up_to(ENT, "technology", 2))
    a = run(ENT, said)
    views = {c.target: c for c in a.crosswalk}
    assert set(views) == {"mlops-llmops", "mlops-6d", "aimm", "cx-stages"}
    assert views["mlops-llmops"].levels["technology"] == [1, 2]
    assert views["mlops-llmops"].overall_from == 2
    assert views["mlops-llmops"].overall_names == ["Ad hoc", "Reproducible"]


# --- mistakes, tracks ------------------------------------------------------------------


def test_tooling_ahead_of_governance_is_flagged_with_its_chunk_and_quotes() -> None:
    said = (statements("Ada", "VP Engineering", up_to(ENT, "technology", 3))
            + statements("Bo", "Head of Risk", indicators(ENT, "governance", 1))
            + statements("Cy", "COO", up_to(ENT, "strategy", 3))
            + statements("Dee", "Head of Data", up_to(ENT, "data", 3)))
    a = run(ENT, said)
    assert a.levels()["technology"] == 3 and a.levels()["governance"] == 1
    flags = {m.id: m for m in a.mistakes}
    assert {"mistake.technology-only", "mistake.premature-tooling",
            "mistake.governance-deferred"} <= set(flags)
    flag = flags["mistake.premature-tooling"]
    assert flag.chunk_id in CHUNKS and "Governance" in flag.reason
    assert {q.speaker for q in flag.quotes} >= {"Ada", "Bo"}


def test_a_warning_sign_said_aloud_flags_its_mistake() -> None:
    said = [Said("Ada", "CTO", "Most of our models were deployed by hand last year.",
                 [indicators(ENT, "technology", 1)[0]])]
    a = run(ENT, said)
    flag = next(m for m in a.mistakes if m.id == "mistake.counting-models")
    assert flag.quotes[0].quote == said[0].text and flag.quotes[0].line == 1


def test_balanced_profile_flags_no_mistake() -> None:
    said = [s for d in ENT.dimensions
            for s in statements("Ada", "CTO", up_to(ENT, d.id, 2))]
    assert run(ENT, said).mistakes == []


def _track_ids(dim: str, level: int, track: str | None) -> list[str]:
    cell = MLOPS.dimension(dim).cells[level - 1]
    return [i.id for i in cell.indicators if i.track in (None, track)]


def test_classical_and_llm_tracks_are_scored_separately_with_the_gap() -> None:
    classical = [i for n in range(1, 4) for i in _track_ids("reproducibility", n, "classical")]
    # The LLM side evidences its retrieval stack, and its engineer denies that prompts
    # are in source control (not mentioning them would leave the level to inference).
    llm = ["reproducibility.l3.governed-retrieval-stack"]
    said = (statements("Ada", "ML Platform Lead", classical)
            + statements("Bo", "LLM Engineer", llm)
            + statements("Bo", "LLM Engineer", ["reproducibility.l3.prompts-in-source-control"],
                         "contradicts"))
    a = run(MLOPS, said)
    tracks = {t.id: t for t in a.tracks.tracks}
    assert tracks["classical"].levels["reproducibility"] == 3
    assert tracks["llm"].levels["reproducibility"] == 2
    assert a.tracks.gaps["reproducibility"] == 1
    assert a.levels()["reproducibility"] == 2  # pooled needs both tracks' indicators
    assert "Classical ML leads" in a.tracks.summary


def test_a_track_nobody_spoke_about_is_not_given_the_other_tracks_level() -> None:
    classical = [i for n in range(1, 4) for i in _track_ids("reproducibility", n, "classical")]
    a = run(MLOPS, statements("Ada", "ML Platform Lead", classical))
    tracks = {t.id: t for t in a.tracks.tracks}
    assert tracks["classical"].evidenced and not tracks["llm"].evidenced
    assert tracks["classical"].levels["reproducibility"] == 3
    assert set(tracks["llm"].levels.values()) == {None}
    assert "No evidence specific to the LLM and agents track" in a.tracks.summary


def test_packs_without_tracks_have_no_track_view() -> None:
    assert run(ENT, statements("Ada", "CTO", up_to(ENT, "data", 2))).tracks is None
