"""The eval gate: the offline engine against its committed baseline, and the gate's teeth."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.app import Services
from agent.engines.offline import OfflineEngine
from agent.evals.dataset import load_cases
from agent.evals.gate import check_gold, compare, make_baseline, read_baseline
from agent.evals.readme import refresh
from agent.evals.runner import run_eval

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def offline_report(real_index_home: Path) -> dict[str, Any]:
    from agent.app import build_services

    services = build_services(real_index_home)
    return run_eval(services, OfflineEngine(services.index()))


def test_offline_engine_holds_its_baseline(offline_report: dict[str, Any]) -> None:
    baseline = read_baseline("offline")
    assert baseline is not None, "make it: uv run maturity eval --engine offline --write-baseline"
    failures = check_gold(baseline, load_cases()) or compare(baseline, offline_report).failures
    assert not failures, "\n".join(failures)


def test_every_quote_and_citation_checks_out(offline_report: dict[str, Any]) -> None:
    assert offline_report["quote_grounding_rate"] == 1.0
    assert offline_report["citation_validity"] == 1.0


def test_adversarial_cases_raise_no_label_above_gold(offline_report: dict[str, Any]) -> None:
    adversarial = offline_report["adversarial"]
    assert adversarial["labels"] > 0
    baseline = read_baseline("offline")
    assert baseline is not None
    assert adversarial["raised"] <= baseline["adversarial"]["raised"]


def test_a_changed_gold_label_fails_the_gate() -> None:
    baseline = read_baseline("offline")
    assert baseline is not None
    cases = load_cases()
    edited = cases[0].model_copy(deep=True)
    dim, label = next(iter(edited.gold.items()))
    edited.gold[dim] = label.model_copy(update={"level": 5 if label.level != 5 else 1})
    failures = check_gold(baseline, [edited, *cases[1:]])
    assert failures and cases[0].id in failures[0]
    assert "--write-baseline" in failures[0]


def test_a_regression_beyond_tolerance_fails_and_a_small_wobble_does_not(
        offline_report: dict[str, Any]) -> None:
    baseline = make_baseline(offline_report, load_cases())
    wobble = copy.deepcopy(offline_report)
    wobble["metrics"]["all"]["qwk"] -= 0.01
    assert compare(baseline, wobble).passed
    worse = copy.deepcopy(offline_report)
    worse["metrics"]["all"]["qwk"] -= 0.1
    worse["adversarial"]["raised"] += 1
    failures = compare(baseline, worse).failures
    assert any("all qwk fell" in f for f in failures)
    assert any("adversarial" in f for f in failures)
    assert "--write-baseline" in failures[-1]


def test_cli_gate_exits_3_when_a_gold_label_was_edited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, services: Services,
        cli: Callable[..., tuple[int, str, str]]) -> None:
    evals = tmp_path / "evals"
    shutil.copytree(ROOT / "evals", evals, ignore=shutil.ignore_patterns("cassettes"))
    monkeypatch.setenv("MATURITY_EVALS_DIR", str(evals))
    first = sorted((evals / "cases").glob("*.yaml"))[0]
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    dim = next(iter(data["gold"]))
    old = data["gold"][dim]["level"]
    data["gold"][dim]["level"] = 5 if old != 5 else 1
    first.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for path in (evals / "cases").glob("*.yaml"):  # keep the run short: the edited case only
        if path != first:
            path.unlink()
    code, _, err = cli("eval", "--engine", "offline", "--format", "json", "--gate")
    assert code == 3
    assert "gold set differs" in err and data["id"] in err


def test_readme_tables_match_the_baselines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- eval:offline -->" in readme
    assert refresh(readme) == readme, "run: uv run python scripts/readme_tables.py"


def test_baselines_are_valid_json_with_gold_digests() -> None:
    for path in (ROOT / "evals" / "baselines").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["gold"] and data["metrics"]["all"]["n"] > 0, path
