"""Framework packs: they load, validate, cover what the issue asks, and fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent.errors import PackError
from agent.knowledge.chunks import pack_chunks
from agent.knowledge.loader import builtin_crosswalk, builtin_packs, load_pack
from agent.paths import knowledge_dir

CONTRACT_LEVELS = {
    "enterprise-ai": ["Experimental", "Tactical", "Strategic", "Managed", "Optimizing"],
    "mlops-llmops": ["Ad hoc", "Reproducible", "Continuous integration",
                     "Continuous deployment", "Closed-loop and governed"],
}
CONTRACT_DIMENSIONS = {
    "enterprise-ai": ["strategy", "data", "talent", "governance", "technology", "culture"],
    "mlops-llmops": ["reproducibility", "evaluation", "deployment", "observability", "governance"],
}


def packs() -> dict[str, object]:
    return {p.id: p for p in builtin_packs()}


def test_all_five_packs_load() -> None:
    assert set(packs()) == {"enterprise-ai", "mlops-llmops", "aimm", "mlops-6d", "cx-stages"}
    assert len(packs()["cx-stages"].levels) == 4  # type: ignore[attr-defined]


@pytest.mark.parametrize("framework", sorted(CONTRACT_LEVELS))
def test_contract_ids_and_level_names(framework: str) -> None:
    pack = next(p for p in builtin_packs() if p.id == framework)
    assert [lv.name for lv in pack.levels] == CONTRACT_LEVELS[framework]
    assert [d.id for d in pack.dimensions] == CONTRACT_DIMENSIONS[framework]


def test_enterprise_ai_covers_every_cell_with_indicators_and_questions() -> None:
    pack = next(p for p in builtin_packs() if p.id == "enterprise-ai")
    for dim in pack.dimensions:
        assert [c.level for c in dim.cells] == [1, 2, 3, 4, 5]
        assert all(c.indicators for c in dim.cells), dim.id
        assert len(dim.questions) >= 5, dim.id
        probed = {i for q in dim.questions for i in q.indicators}
        higher = {i.id for c in dim.cells[1:] for i in c.indicators}
        assert higher <= probed, f"{dim.id}: unprobed {sorted(higher - probed)}"
    assert len(pack.roadmap) == 4 and len(pack.benchmarks) == 6
    assert pack.mistakes and pack.tooling and pack.checklist


def test_mlops_llmops_has_tracks_metrics_and_upgrades() -> None:
    pack = next(p for p in builtin_packs() if p.id == "mlops-llmops")
    assert {t.id for t in pack.tracks} == {"classical", "llm"}
    assert len(pack.metrics) == 6
    assert len(pack.upgrades) == 4


def test_crosswalk_names_known_frameworks_and_levels() -> None:
    by_id = packs()
    walk = builtin_crosswalk()
    assert len(walk.mappings) >= 10
    for m in walk.mappings:
        source, target = by_id[m.source], by_id[m.target]
        for lv, targets in m.levels.items():
            assert 1 <= lv <= source.top_level  # type: ignore[attr-defined]
            assert all(1 <= t <= target.top_level for t in targets)  # type: ignore[attr-defined]


def test_chunk_ids_are_unique_and_stable() -> None:
    ids = [c.id for p in builtin_packs() for c in pack_chunks(p)]
    assert len(ids) == len(set(ids))
    again = [c.id for p in builtin_packs() for c in pack_chunks(p)]
    assert ids == again
    assert "enterprise-ai:level.3" in ids and "enterprise-ai:strategy.l3" in ids


def test_packs_are_written_in_our_own_words() -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed documents not present beside the repository")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "copied_runs", Path(__file__).resolve().parents[1] / "scripts" / "copied_runs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    runs = mod.seed_runs(seeds)
    for path in sorted(knowledge_dir().rglob("*.yaml")):
        assert not mod.copied(path.read_text(), runs), f"{path.name} copies seed sentences"


# --- validation errors: one clear line each ---------------------------------------------

def _pack_dict() -> dict[str, object]:
    path = knowledge_dir() / "packs" / "cx-stages.yaml"
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    data["id"] = "my-pack"
    return data


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\nlevels: [1, 2\n  name: ]\n")
    with pytest.raises(PackError, match=r"bad YAML at line \d+"):
        load_pack(path)


def test_unknown_level_is_rejected(tmp_path: Path) -> None:
    data = _pack_dict()
    data["roadmap"][0]["to_level"] = 9  # type: ignore[index]
    with pytest.raises(PackError, match="names level 9"):
        load_pack(_write(tmp_path, data))


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    data = _pack_dict()
    dims = data["dimensions"]
    dims[1]["questions"][0]["id"] = dims[0]["questions"][0]["id"]  # type: ignore[index]
    with pytest.raises(PackError, match="duplicate id"):
        load_pack(_write(tmp_path, data))


def test_indicator_id_must_match_its_cell(tmp_path: Path) -> None:
    data = _pack_dict()
    data["dimensions"][0]["cells"][1]["indicators"][0]["id"] = "wrong.l2.x"  # type: ignore[index]
    with pytest.raises(PackError, match="must start with"):
        load_pack(_write(tmp_path, data))


def test_messages_are_one_line(tmp_path: Path) -> None:
    data = _pack_dict()
    del data["levels"]
    with pytest.raises(PackError) as info:
        load_pack(_write(tmp_path, data))
    assert "\n" not in str(info.value) and "levels" in str(info.value)
