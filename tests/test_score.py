"""Transcript-to-score, end to end with the offline engine over every gold case."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.app import Services, build_services
from agent.assessment.checks import quote_in
from agent.assessment.model import Assessment
from agent.assessment.pipeline import assess
from agent.engines.language import INJECTION
from agent.engines.offline import OfflineEngine
from agent.evals.dataset import EvalCase, load_cases
from agent.knowledge.chunks import pack_chunks
from agent.retrieval.embedder import default_embedder
from agent.transcripts import parse_text, read_transcripts

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., tuple[int, str, str]]
CASES = load_cases()


@pytest.fixture(scope="module")
def scored(real_index_home: Path) -> dict[str, tuple[EvalCase, Assessment]]:
    services = build_services(real_index_home, embedder_factory=default_embedder)
    engine = OfflineEngine(services.index())
    out = {}
    for case in CASES:
        pack = services.registry.get(case.framework)
        out[case.id] = (case, assess(read_transcripts(case.paths()), pack, engine,
                                     services.clock()))
    return out


def test_the_gold_set_has_what_the_issue_asks() -> None:
    by_fw: dict[str, int] = {}
    for c in CASES:
        by_fw[c.framework] = by_fw.get(c.framework, 0) + 1
    assert by_fw["enterprise-ai"] >= 15 and by_fw["mlops-llmops"] >= 5
    tags = {t for c in CASES for t in c.tags}
    assert {"format-vtt", "format-srt", "format-slack", "injection", "grand-claims",
            "single-stakeholder"} <= tags
    levels = {g.level for c in CASES for g in c.gold.values()}
    assert {1, 2, 3, 4, 5, None} <= levels


def test_every_quote_is_verbatim_at_its_source_line(
        scored: dict[str, tuple[EvalCase, Assessment]]) -> None:
    for case, assessment in scored.values():
        where = {(u.source, u.line): u for t in read_transcripts(case.paths())
                 for u in t.utterances}
        for dim in assessment.dimensions:
            for e in dim.evidence:
                assert quote_in(e.quote, where[(e.source, e.line)].text), (case.id, e.quote)


def test_every_citation_is_a_listed_chunk(services: Services,
                                          scored: dict[str, tuple[EvalCase, Assessment]]) -> None:
    chunks = {c.id: c.text for c in services.registry.chunks()}
    for _, assessment in scored.values():
        for dim in assessment.dimensions:
            if dim.level is not None:
                assert dim.citations, dim.id
            for c in dim.citations:
                assert c.text in chunks[c.chunk_id]
        for item in assessment.roadmap:
            assert item.chunk_id in chunks


def test_warnings_for_injection_and_single_perspective(
        scored: dict[str, tuple[EvalCase, Assessment]]) -> None:
    for case, assessment in scored.values():
        codes = {w.code for w in assessment.warnings}
        # Blind cases by other authors measure the reader (the eval reports them); they
        # are not tuned on, so an undetected injection there is a finding, not a test.
        if "injection" in case.tags and "other-author" not in case.tags:
            assert "prompt_injection" in codes, case.id
        if "single-stakeholder" in case.tags:
            assert "single_perspective" in codes, case.id
        if any(d.level is None for d in assessment.dimensions):
            assert "insufficient_evidence" in codes


def test_injected_lines_raise_no_score(services: Services) -> None:
    engine = OfflineEngine(services.index())
    for case in [c for c in CASES if "injection" in c.tags]:
        pack = services.registry.get(case.framework)
        with_injection = assess(read_transcripts(case.paths()), pack, engine, services.clock())
        cleaned = []
        for path in case.paths():
            text = path.read_text(encoding="utf-8")
            kept = "\n".join(line for line in text.splitlines() if not INJECTION.search(line))
            cleaned.append(parse_text(kept, str(path)))
        without = assess(cleaned, pack, engine, services.clock())
        for dim, level in with_injection.levels().items():
            base = without.levels()[dim]
            assert level is None or (base is not None and level <= base), (case.id, dim)


def test_claims_alone_never_reach_a_level(services: Services) -> None:
    engine = OfflineEngine(services.index())
    pack = services.registry.get("enterprise-ai")
    text = ("Dana (CEO): Honestly we are world-class at AI, level 5 across the board.\n"
            "Raj (CTO): I think our platform is probably the best in the industry.\n"
            "Dana (CEO): We're very mature on governance, really ahead of everyone.\n")
    result = assess([parse_text(text, "claims.txt")], pack, engine, services.clock())
    assert all(d.level is None for d in result.dimensions)


@pytest.mark.parametrize("name", [
    "ent-a01-logistics.txt", "ent-a02-bank.vtt", "ent-a04-hospital.srt", "ent-a03-saas.json"])
def test_score_cli_reads_every_format(cli: Cli, indexed_home: Path, tmp_path: Path,
                                      name: str) -> None:
    out = tmp_path / "result.json"
    code, _, err = cli("score", str(ROOT / "evals" / "transcripts" / name), "--format", "json",
                       "--out", str(out))
    assert code == 0, err
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1 and data["framework"] == "enterprise-ai"
    assert data["engine"] == "offline"
    assert [d["id"] for d in data["dimensions"]] == ["strategy", "data", "talent", "governance",
                                                     "technology", "culture"]
    Assessment.model_validate(data)
    for d in data["dimensions"]:
        assert d["level"] is None or 1 <= d["level"] <= 5
        assert 0.0 <= d["confidence"] <= 1.0
        for e in d["evidence"]:
            assert {"quote", "source", "line", "speaker", "stance", "indicator_id"} <= set(e)


def test_score_markdown_has_scorecard_quotes_and_citations(cli: Cli, indexed_home: Path) -> None:
    code, out, _ = cli("score", str(ROOT / "examples" / "northwind-assessment.txt"))
    assert code == 0
    assert "| Dimension | Level | Confidence |" in out
    assert "Framework citations:" in out and re.search(r"“.+” — ", out)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"\xff\xfe\xfa not utf8 \xc3\x28", "UTF-8"),
])
def test_bad_input_exits_2_and_writes_nothing(cli: Cli, home: Path, tmp_path: Path,
                                              content: bytes, message: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "out.json"
    code, stdout, err = cli("score", str(src), "--format", "json", "--out", str(out))
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert message.lower() in err.lower()
    assert not out.exists()


def test_unknown_engine_and_format_are_usage_errors(cli: Cli, home: Path) -> None:
    path = str(ROOT / "examples" / "northwind-assessment.txt")
    assert cli("score", path, "--engine", "magic")[0] == 2
    assert cli("score", path, "--format", "pdf")[0] == 2


def test_published_json_schemas_are_current() -> None:
    from agent.evals.dataset import EvalCase as Case
    from agent.evals.sentence_gold import SentenceGold

    schema = json.loads((ROOT / "schemas" / "assessment.schema.json").read_text())
    assert schema == Assessment.model_json_schema()
    assert json.loads((ROOT / "schemas" / "eval-case.schema.json").read_text()) == (
        Case.model_json_schema())
    assert json.loads((ROOT / "schemas" / "sentence-gold.schema.json").read_text()) == (
        SentenceGold.model_json_schema())


def test_pack_chunk_ids_cover_citation_kinds() -> None:
    from agent.knowledge.loader import builtin_packs

    pack = next(p for p in builtin_packs() if p.id == "enterprise-ai")
    ids = {c.id for c in pack_chunks(pack)}
    assert all(f"enterprise-ai:{d.id}.l{n}" in ids for d in pack.dimensions for n in range(1, 6))
