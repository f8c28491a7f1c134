"""The contract's knowledge commands, their JSON, and their errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from agent.paths import knowledge_dir

Cli = Callable[..., tuple[int, str, str]]


def test_frameworks_list_json(cli: Cli, home: Path) -> None:
    code, out, _ = cli("frameworks", "list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    ent = next(f for f in data if f["id"] == "enterprise-ai")
    assert set(ent) == {"id", "name", "levels", "dimensions"}
    assert ent["levels"][0] == {"level": 1, "name": "Experimental"}
    assert [d["id"] for d in ent["dimensions"]][:2] == ["strategy", "data"]


def test_knowledge_list_json_is_every_chunk(cli: Cli, home: Path) -> None:
    code, out, _ = cli("knowledge", "list", "--framework", "mlops-llmops", "--format", "json")
    assert code == 0
    chunks = json.loads(out)
    assert chunks and all(c["framework"] == "mlops-llmops" for c in chunks)
    assert set(chunks[0]) == {"id", "framework", "dimension", "level", "kind", "text"}
    kinds = {c["kind"] for c in chunks}
    assert {"indicator", "level", "question", "roadmap", "metric"} <= kinds


def test_knowledge_search_json(cli: Cli, indexed_home: Path) -> None:
    code, out, _ = cli("knowledge", "search", "our models get deployed by merging a pull "
                       "request", "--framework", "enterprise-ai", "-k", "3", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 3
    assert set(hits[0]) == {"id", "framework", "dimension", "level", "kind", "text", "score"}
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_unknown_framework_is_exit_2_with_one_line(cli: Cli, home: Path) -> None:
    code, out, err = cli("knowledge", "list", "--framework", "nope", "--format", "json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unknown framework 'nope'" in err


def test_bad_usage_is_exit_2_with_one_line(cli: Cli, home: Path) -> None:
    code, _, err = cli("knowledge", "search")
    assert code == 2 and err.count("\n") == 1 and "--help" in err


def test_knowledge_add_validates_and_indexes(cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    data = yaml.safe_load((knowledge_dir() / "packs" / "cx-stages.yaml").read_text())
    data["id"] = "our-model"
    path = tmp_path / "ours.yaml"
    path.write_text(yaml.safe_dump(data))
    code, out, err = cli("knowledge", "add", str(path))
    assert code == 0, err
    assert "our-model" in out
    code, out, _ = cli("frameworks", "list", "--format", "json")
    assert "our-model" in {f["id"] for f in json.loads(out)}
    code, out, _ = cli("knowledge", "search", "vision", "--framework", "our-model", "--format",
                       "json")
    assert code == 0 and json.loads(out)


def test_knowledge_add_rejects_a_bad_pack_and_writes_nothing(cli: Cli, home: Path,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nname: [unclosed\n")
    code, _, err = cli("knowledge", "add", str(path))
    assert code == 2 and err.count("\n") == 1 and "bad YAML at line" in err
    assert not (home / "packs").exists()


def test_knowledge_add_refuses_to_shadow_a_bundled_framework(cli: Cli, home: Path,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text((knowledge_dir() / "packs" / "cx-stages.yaml").read_text())
    code, _, err = cli("knowledge", "add", str(path))
    assert code == 2 and "bundled framework" in err


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = ("import sys, time; t=time.perf_counter(); from agent.cli import app; "
            "print(time.perf_counter()-t); "
            "print(any(m in sys.modules for m in ('chromadb','onnxruntime','langchain','numpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[1] == "False"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "agent", "--help"], capture_output=True, check=True)
    assert time.perf_counter() - started < 2.0  # generous for a loaded CI machine


def test_core_never_imports_a_surface() -> None:
    code = ("import sys, agent.assessment.pipeline, agent.engines.offline, agent.reports.render, "
            "agent.app; bad=[m for m in sys.modules if m.split('.')[0] in "
            "('textual','slack_bolt','slack_sdk','tui','typer')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
