"""Constructed disagreements (evals/disagreements.yaml): an executive asserts a practice,
an engineer denies it first-hand, in other words.

The pairs go through the whole pipeline (reader, checks, ledger, disagreements) with a
reader that credits them as the pair's rater did, so what is tested is that the level rule
and the disagreement view never let the classic case slip. What the offline reader makes
of the same sentences is the reader's own measurement, reported by ``maturity eval``
(agent.evals.pairs) for evals/disagreements.yaml and for the development pairs of
evals/disagreements-dev.yaml (34 pairs, 12 controls where nobody disagrees).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from agent.app import Services
from agent.assessment.model import Assessment, Evidence
from agent.assessment.pipeline import assess
from agent.engines.base import Proposal
from agent.engines.offline import OfflineEngine
from agent.evals.pairs import expects_conflict, load_pairs, pairs_report, write_meeting
from agent.knowledge.schema import FrameworkPack
from agent.transcripts import read_transcripts
from agent.transcripts.model import Transcript

ROOT = Path(__file__).resolve().parents[1]
PAIRS: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "evals" / "disagreements.yaml").read_text(encoding="utf-8"))
class RaterReader:
    """Credits the executive's words as support and the engineer's as a denial of the
    pair's indicators, exactly as the pair's rater labelled them (as support too, for a
    control where the two agree)."""

    name = "rater"

    def __init__(self, pair: dict[str, Any]) -> None:
        self.pair = pair

    def propose(self, transcripts: list[Transcript], pack: FrameworkPack) -> Proposal:
        said = {u.speaker: u for t in transcripts for u in t.utterances}
        denial = "contradicts" if expects_conflict(self.pair) else "supports"
        out = []
        for who, stance in (("executive", "supports"), ("engineer", denial)):
            u = said[self.pair[who]["name"]]
            out += [Evidence(quote=u.text, source=u.source, line=u.line, speaker=u.speaker,
                             stance=stance, indicator_id=i, strength="specific")  # type: ignore[arg-type]
                    for i in self.pair["indicators"]]
        return Proposal(evidence=out)


def _assess(services: Services, path: Path, framework: str) -> Assessment:
    pack = services.registry.get(framework)
    return assess(read_transcripts([path]), pack, OfflineEngine(services.index()),
                  services.clock())


def test_at_least_nine_of_ten_constructed_disagreements_are_flagged(
        services: Services, tmp_path: Path) -> None:
    flagged = []
    for pair in PAIRS:
        pack = services.registry.get(pair["framework"])
        transcripts = read_transcripts([write_meeting(pair, tmp_path)])
        a = assess(transcripts, pack, RaterReader(pair), services.clock())  # type: ignore[arg-type]
        names = {pair["executive"]["name"], pair["engineer"]["name"]}
        found = [d for d in a.disagreements if d.dimension == pair["dimension"]
                 and names <= {q.speaker for q in d.quotes}]
        flagged.append(bool(found))
        # The engineer's first-hand denial outweighs the executive's assertion.
        states = {s.id: s.status for d in a.dimensions for s in d.indicators}
        assert all(states[i] == "contradicted" for i in pair["indicators"]), pair["id"]
    assert len(PAIRS) == 10
    assert sum(flagged) >= 9, [p["id"] for p, f in zip(PAIRS, flagged, strict=True) if not f]


def test_a_duplicated_source_changes_no_level(services: Services, tmp_path: Path) -> None:
    path = ROOT / "examples" / "northwind-assessment.txt"
    copy = tmp_path / "copy-of-meeting.txt"
    copy.write_bytes(path.read_bytes())
    pack = services.registry.get("enterprise-ai")
    once = _assess(services, path, "enterprise-ai")
    twice = assess(read_transcripts([path, copy]), pack, OfflineEngine(services.index()),
                   services.clock())
    assert twice.levels() == once.levels()
    assert twice.stats.duplicates_dropped >= 1
    assert [d.indicators for d in twice.dimensions] != [] and all(
        [s.status for s in a.indicators] == [s.status for s in b.indicators]
        for a, b in zip(once.dimensions, twice.dimensions, strict=True))


def test_the_offline_reader_takes_the_executives_assertions_as_support(
        services: Services, tmp_path: Path) -> None:
    """The offline engine on the same pairs, measured: it reads 6 of the 10 executives'
    assertions as support on the pair's dimension (gates and ruled-out failures, "the
    change can't go in", "the two can't diverge", are controls, not denials). It flags 0
    of the 10 disagreements: the classifier does not tie the engineers' denials, worded
    unlike the practice, to the indicator asserted (p under 0.13 for 9 of them), and
    crediting such doubtful denials cost more level agreement on the gold cases than it
    gained here (see the offline-reader issue)."""
    read = 0
    for pair in PAIRS:
        a = _assess(services, write_meeting(pair, tmp_path), pair["framework"])
        read += any(e.speaker == pair["executive"]["name"] and e.stance == "supports"
                    and e.strength != "claim"
                    for d in a.dimensions if d.id == pair["dimension"] for e in d.evidence)
    assert read >= 6


class RaterEngine:
    """The rater's reading of whichever pair a meeting holds (its file is the pair's id)."""

    name = "rater"

    def __init__(self) -> None:
        self.pairs = {p["id"]: p for name in ("disagreements.yaml", "disagreements-dev.yaml")
                      for p in load_pairs(name)}

    def propose(self, transcripts: list[Transcript], pack: FrameworkPack) -> Proposal:
        pair = self.pairs[Path(transcripts[0].source).stem]
        return RaterReader(pair).propose(transcripts, pack)


def test_the_pairs_report_counts_flags_and_false_flags(services: Services) -> None:
    report = pairs_report(services, RaterEngine())  # type: ignore[arg-type]
    held_out, dev = report["held_out"], report["dev"]
    assert (held_out["pairs"], held_out["controls"]) == (10, 0)
    assert held_out["flagged"] == 10 and held_out["missed"] == []
    assert (dev["pairs"], dev["controls"]) == (34, 12)
    assert dev["flagged"] >= 31, dev["missed"]
    assert dev["false_flags"] == 0, dev["falsely_flagged"]


def test_the_gate_fails_when_fewer_held_out_pairs_are_flagged() -> None:
    from agent.evals.gate import compare
    from agent.evals.markdown import pairs_markdown

    def pairs(flagged: int) -> dict[str, Any]:
        return {"held_out": {"file": "evals/disagreements.yaml", "pairs": 10,
                             "flagged": flagged, "controls": 0, "false_flags": 0,
                             "missed": [], "falsely_flagged": []}}

    baseline = {"engine": "offline", "metrics": {}, "disagreement_pairs": pairs(2)}
    failures = compare(baseline, {"metrics": {}, "disagreement_pairs": pairs(1)}).failures
    assert any("held-out disagreement pairs flagged fell 2 -> 1" in f for f in failures)
    assert compare(baseline, {"metrics": {}, "disagreement_pairs": pairs(3)}).passed
    # A baseline made before the pairs were counted holds 0.
    assert compare({"engine": "offline", "metrics": {}},
                   {"metrics": {}, "disagreement_pairs": pairs(0)}).passed
    assert "| held out (`evals/disagreements.yaml`) | 2 of 10 |" in "\n".join(
        pairs_markdown({"disagreement_pairs": pairs(2)}))
