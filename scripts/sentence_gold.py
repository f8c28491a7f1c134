"""Tools for raters of the sentence gold (evals/sentences/). Runs no engine.

    uv run python scripts/sentence_gold.py indicators FRAMEWORK   # the ids to label with
    uv run python scripts/sentence_gold.py skeleton CASE_ID       # write the unlabelled file
    uv run python scripts/sentence_gold.py check [CASE_ID ...]     # validate labelled files

``skeleton`` lists every stakeholder sentence of the case's transcripts (facilitator
lines left out) in ``evals/sentences/CASE_ID.yaml``; it refuses to overwrite a file.
The rater fills in ``supports``, ``contradicts``, ``also_ok``, ``claim`` and
``injection`` for each sentence, and ``rater`` at the top. ``check`` validates the file
against the schema and the framework's indicator ids, and that the sentences still match
the transcript.
"""

from __future__ import annotations

import sys

import yaml

from agent.evals.dataset import EvalCase, load_cases
from agent.evals.sentence_gold import SentenceGold, sentences_dir, skeleton
from agent.knowledge.loader import builtin_packs
from agent.knowledge.schema import FrameworkPack
from agent.transcripts import read_transcripts


def _pack(framework: str) -> FrameworkPack:
    for pack in builtin_packs():
        if pack.id == framework:
            return pack
    sys.exit(f"unknown framework {framework!r}")


def indicators(framework: str) -> None:
    pack = _pack(framework)
    for dim in pack.dimensions:
        print(f"\n## {dim.id}: {dim.name}")
        for cell in dim.cells:
            print(f"  level {cell.level}: {cell.summary}")
            for ind in cell.indicators:
                track = f" [track: {ind.track}]" if ind.track else ""
                print(f"    {ind.id}{track}: {ind.text}")


def _case(case_id: str) -> EvalCase:
    for case in load_cases():
        if case.id == case_id:
            return case
    sys.exit(f"no case {case_id!r} under evals/cases")


def _skeleton(case_id: str) -> SentenceGold:
    case = _case(case_id)
    relative = {path: rel for rel, path in case.sources().items()}
    return skeleton(case.id, case.framework, read_transcripts(case.paths()), relative)


def _dump(gold: SentenceGold) -> str:
    """Compact YAML: every sentence shows its three lists; flags only when set."""
    data = gold.model_dump()
    for s in data["sentences"]:
        for key in ("claim", "injection", "note"):
            if not s[key]:
                del s[key]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_skeleton(case_id: str) -> None:
    out = sentences_dir() / f"{case_id}.yaml"
    if out.exists():
        sys.exit(f"{out} exists; edit it, or delete it first to start over")
    out.parent.mkdir(parents=True, exist_ok=True)
    gold = _skeleton(case_id)
    out.write_text(_dump(gold), encoding="utf-8")
    print(f"{out}: {len(gold.sentences)} sentences to label")


def check(case_ids: list[str]) -> int:
    paths = ([sentences_dir() / f"{c}.yaml" for c in case_ids] if case_ids
             else sorted(sentences_dir().glob("*.yaml")))
    bad = 0
    for path in paths:
        try:
            gold = SentenceGold.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except Exception as exc:
            print(f"{path.name}: {exc}")
            bad += 1
            continue
        problems = [f"unknown indicator {i}" for i in gold.check_ids(_pack(gold.framework))]
        fresh = {(s.source, s.line, s.text) for s in _skeleton(gold.case).sentences}
        problems += [f"{s.id} not in the transcript any more: {s.text[:60]!r}"
                     for s in gold.sentences if (s.source, s.line, s.text) not in fresh]
        if not gold.rater:
            problems.append("rater is empty")
        for p in problems:
            print(f"{path.name}: {p}")
        bad += bool(problems)
        if not problems:
            n = sum(bool(s.labelled) for s in gold.sentences)
            print(f"{path.name}: ok, {len(gold.sentences)} sentences, {n} with evidence")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "indicators":
        indicators(argv[1])
        return 0
    if len(argv) == 2 and argv[0] == "skeleton":
        write_skeleton(argv[1])
        return 0
    if argv and argv[0] == "check":
        return check(argv[1:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
