"""Constructed disagreement pairs: an executive asserts a practice and a practitioner
denies it first-hand, in other words, with neutral chatter around them.

``evals/disagreements.yaml`` (10 pairs) is the held-out measure: never tuned on.
``evals/disagreements-dev.yaml`` (34 pairs and 12 controls where nobody disagrees: the two
agree in other words, the practitioner denies a different practice of the same
dimension, or only qualifies it) is for building on. Each pair becomes a short meeting,
is scored end to end, and counts as flagged when a ``conflict`` disagreement on the
pair's dimension quotes both speakers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from agent.app import Services
from agent.assessment.model import Assessment
from agent.assessment.pipeline import assess
from agent.engines.base import EvidenceEngine
from agent.paths import evals_dir
from agent.transcripts import read_transcripts

HELD_OUT = "disagreements.yaml"
DEV = "disagreements-dev.yaml"


def load_pairs(name: str = HELD_OUT, folder: Path | None = None) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load(
        ((folder or evals_dir()) / name).read_text(encoding="utf-8"))
    return data


def expects_conflict(pair: dict[str, Any]) -> bool:
    return bool(pair.get("expect", "conflict") == "conflict")


def meeting_text(pair: dict[str, Any]) -> str:
    """The pair as a meeting: the assessor opens, a filler line, the executive, the other
    filler lines, then the practitioner."""
    people = [*pair["filler"][:1], pair["executive"], *pair["filler"][1:], pair["engineer"]]
    lines = ["Dana Reyes (Assessor): Thanks all, let's go round the table."]
    lines += [f"{p['name']} ({p['role']}): {p['text']}" for p in people]
    return "\n".join(lines) + "\n"


def write_meeting(pair: dict[str, Any], folder: Path) -> Path:
    path = folder / f"{pair['id']}.txt"
    path.write_text(meeting_text(pair), encoding="utf-8")
    return path


def flagged(assessment: Assessment, pair: dict[str, Any]) -> bool:
    names = {pair["executive"]["name"], pair["engineer"]["name"]}
    return any(d.dimension == pair["dimension"] and "conflict" in d.kinds
               and names <= {q.speaker for q in d.quotes} for d in assessment.disagreements)


def assess_pair(pair: dict[str, Any], services: Services, engine: EvidenceEngine,
                folder: Path) -> Assessment:
    pack = services.registry.get(pair["framework"])
    return assess(read_transcripts([write_meeting(pair, folder)]), pack, engine,
                  services.clock())


def run_pairs(services: Services, engine: EvidenceEngine,
              name: str = HELD_OUT) -> dict[str, Any]:
    """Flagged conflicts and false flags on the controls, with the ids behind each."""
    pairs = load_pairs(name)
    missed, false_flags = [], []
    with tempfile.TemporaryDirectory(prefix="maturity-pairs-") as tmp:
        for pair in pairs:
            hit = flagged(assess_pair(pair, services, engine, Path(tmp)), pair)
            if expects_conflict(pair) and not hit:
                missed.append(pair["id"])
            elif not expects_conflict(pair) and hit:
                false_flags.append(pair["id"])
    conflicts = sum(expects_conflict(p) for p in pairs)
    return {"file": f"evals/{name}", "pairs": conflicts, "flagged": conflicts - len(missed),
            "controls": len(pairs) - conflicts, "false_flags": len(false_flags),
            "missed": missed, "falsely_flagged": false_flags}


def pairs_report(services: Services, engine: EvidenceEngine) -> dict[str, Any]:
    return {"held_out": run_pairs(services, engine, HELD_OUT),
            "dev": run_pairs(services, engine, DEV)}
