"""The eval gate: a committed baseline per engine, compared with a fresh run.

A baseline holds the agreement figures of one engine (and model) on the gold cases,
plus a digest of every case's gold labels and transcripts. The gate fails when

- the gold set changed since the baseline (a label edited, a transcript touched, a case
  added): figures from different data are not comparable, so the baseline is re-made
  on purpose, in the same commit, with the command the message names;
- a figure regressed beyond the stated tolerance (higher-is-better figures fell, or
  lower-is-better figures rose);
- an adversarial case now scores above its gold level where it did not before;
- the oracle reader (agent.evals.oracle) agrees less with gold, or the checks keep less
  of the gold evidence, on either path;
- evidence precision or recall against the sentence gold is reliably lower: the paired
  difference per case, bootstrapped over cases, has a 95% interval wholly below zero;
- fewer of the held-out constructed disagreement pairs (evals/disagreements.yaml) are
  flagged than in the baseline.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.evals.dataset import EvalCase
from agent.paths import evals_dir

# Figures the gate watches, and which way is better. Absolute tolerance: a rate may move
# by this much without failing (ties in tiny groups move rates in steps of ~1/n).
HIGHER_IS_BETTER = ("qwk", "within_one", "exact")
LOWER_IS_BETTER = ("mae",)
TOLERANCE = 0.02
REPORT_WIDE_HIGHER = ("quote_grounding_rate", "citation_validity")

RE_BASELINE = "uv run maturity eval --engine {engine} --write-baseline"


def baselines_dir() -> Path:
    return evals_dir() / "baselines"


def baseline_path(engine: str, folder: Path | None = None) -> Path:
    """``offline`` -> offline.json; ``llm:gpt-4o-mini`` -> llm-gpt-4o-mini.json."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", engine).strip("-")
    return (folder or baselines_dir()) / f"{slug}.json"


def case_digest(case: EvalCase) -> str:
    """A fingerprint of what a case claims: its gold labels and its transcripts' bytes."""
    h = hashlib.sha256()
    h.update(case.framework.encode())
    for dim, label in sorted(case.gold.items()):
        h.update(f"{dim}={label.level};".encode())
    for path in case.paths():
        h.update(path.name.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    sentences = evals_dir() / "sentences" / f"{case.id}.yaml"
    if sentences.exists():
        h.update(hashlib.sha256(sentences.read_bytes()).digest())
    return h.hexdigest()[:16]


def gold_digests(cases: Sequence[EvalCase]) -> dict[str, str]:
    return {c.id: case_digest(c) for c in sorted(cases, key=lambda c: c.id)}


def make_baseline(report: dict[str, Any], cases: Sequence[EvalCase]) -> dict[str, Any]:
    return {
        "engine": report["engine"],
        "cases": report["cases"],
        "tolerance": TOLERANCE,
        "gold": gold_digests(cases),
        "metrics": report["metrics"],
        "quote_grounding_rate": report["quote_grounding_rate"],
        "citation_validity": report.get("citation_validity", 1.0),
        "adversarial": report.get("adversarial", {}),
        "ungrounded_dropped": report.get("ungrounded_dropped", 0),
        "seconds_per_case": report.get("seconds_per_case", 0.0),
        "tokens_per_case": report.get("tokens_per_case", 0.0),
        "cost_usd": report.get("cost_usd", 0.0),
        "model_note": report.get("model_note", ""),
        "predicted": {r["id"]: r["predicted"] for r in report["results"]},
        "evidence": report.get("evidence", {}),
        "oracle": report.get("oracle", {}),
        "evidence_cases": report.get("evidence_cases", {}),
        "disagreement_pairs": report.get("disagreement_pairs", {}),
    }


def write_baseline(baseline: dict[str, Any], folder: Path | None = None) -> Path:
    from agent.knowledge.registry import write_atomic

    path = baseline_path(baseline["engine"], folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (json.dumps(baseline, indent=2, sort_keys=True) + "\n").encode())
    return path


def read_baseline(engine: str, folder: Path | None = None) -> dict[str, Any] | None:
    path = baseline_path(engine, folder)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass
class GateResult:
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def check_gold(baseline: dict[str, Any], cases: Sequence[EvalCase]) -> list[str]:
    """Name the cases whose gold labels or transcripts differ from the baseline's."""
    now, then = gold_digests(cases), baseline.get("gold", {})
    changed = sorted(k for k in now.keys() & then.keys() if now[k] != then[k])
    added, removed = sorted(now.keys() - then.keys()), sorted(then.keys() - now.keys())
    if not (changed or added or removed):
        return []
    parts = [f"{label}: {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}"
             for label, ids in (("changed", changed), ("added", added), ("removed", removed))
             if ids]
    return [f"gold set differs from the {baseline['engine']} baseline ({'; '.join(parts)}); "
            f"review the labels, then re-make it: {RE_BASELINE.format(engine=baseline['engine'])}"]


def compare(baseline: dict[str, Any], report: dict[str, Any]) -> GateResult:
    """Regressions of ``report`` against ``baseline`` beyond the tolerance."""
    tol = float(baseline.get("tolerance", TOLERANCE))
    failures: list[str] = []
    for group, old in baseline["metrics"].items():
        new = report["metrics"].get(group)
        if new is None:
            failures.append(f"group {group} has no results any more")
            continue
        failures += [f"{group} {name} fell {old[name]:.3f} -> {new[name]:.3f}"
                     for name in HIGHER_IS_BETTER if new[name] < old[name] - tol]
        failures += [f"{group} {name} rose {old[name]:.3f} -> {new[name]:.3f}"
                     for name in LOWER_IS_BETTER if new[name] > old[name] + tol]
    failures += [f"{name} fell {baseline[name]:.3f} -> {report[name]:.3f}"
                 for name in REPORT_WIDE_HIGHER
                 if name in baseline and report.get(name, 1.0) < baseline[name] - tol]
    old_raised = baseline.get("adversarial", {}).get("raised", 0)
    new_raised = report.get("adversarial", {}).get("raised", 0)
    if new_raised > old_raised:
        failures.append(f"adversarial labels scored above gold rose {old_raised} -> {new_raised}")
    failures += _oracle_failures(baseline, report, tol)
    failures += _evidence_failures(baseline, report)
    failures += _pairs_failures(baseline, report)
    if failures:
        failures.append("if the change is intended, re-make the baseline: "
                        + RE_BASELINE.format(engine=baseline["engine"]))
    return GateResult(failures)


ORACLE_HIGHER = ("within_one", "qwk", "kept")


def _oracle_failures(baseline: dict[str, Any], report: dict[str, Any], tol: float) -> list[str]:
    out = []
    for path, groups in baseline.get("oracle", {}).items():
        for group in ("all", "blind"):
            old = groups.get(group)
            new = report.get("oracle", {}).get(path, {}).get(group)
            if old is None:
                continue
            if new is None:
                out.append(f"oracle {path} {group} has no results any more")
                continue
            out += [f"oracle ({path}) {group} {name} fell {old[name]:.3f} -> {new[name]:.3f}"
                    for name in ORACLE_HIGHER if new[name] < old[name] - tol]
    return out


def _pairs_failures(baseline: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Fewer held-out constructed disagreements flagged than the baseline (a baseline
    made before they were counted holds 0)."""
    new = report.get("disagreement_pairs", {}).get("held_out")
    if new is None:
        return []
    old = baseline.get("disagreement_pairs", {}).get("held_out", {}).get("flagged", 0)
    if new["flagged"] < old:
        return [f"held-out disagreement pairs flagged fell {old} -> {new['flagged']} of "
                f"{new['pairs']}"]
    return []


def _evidence_failures(baseline: dict[str, Any], report: dict[str, Any]) -> list[str]:
    from agent.evals.evidence_quality import paired_difference

    old, new = baseline.get("evidence_cases", {}), report.get("evidence_cases", {})
    out = []
    for name, num, den in (("precision", "right", "cited"), ("recall", "found", "gold")):
        point, _, high = paired_difference(old, new, num, den)
        if high < 0:
            out.append(f"evidence {name} fell by {-point:.3f} (paired by case, 95% interval "
                       f"of the difference below zero)")
    return out
