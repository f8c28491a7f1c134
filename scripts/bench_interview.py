"""Interview benchmarks: simulated stakeholders (default) or turn latency (--latency).

Simulated stakeholders (agent.interview.simulate): every stakeholder of every gold case
not tagged other-author (those are blind: never used for tuning) becomes a persona that
answers from its own sentences; each case is interviewed adaptively (the real
Interviewer) and with the fixed bank in pack order, and the pooled levels are compared
with the case's gold after each number of questions per stakeholder.

    uv run python scripts/bench_interview.py                  # all cases, table on stdout
    uv run python scripts/bench_interview.py --cases ent-a02-bank --json out.json
    uv run python scripts/bench_interview.py --persona informed   # cases with sentence gold
    uv run python scripts/bench_interview.py --sentence-gold      # similar, the same cases

``--persona similar`` (the default) answers by embedding similarity alone; ``informed``
answers first with the sentences the rater labelled for the question's indicator or
dimension (agent.interview.simulate), on the cases with (non-blind) sentence gold only.
Every run also scores the same cases' whole transcripts with the offline engine: the
ceiling an interview that heard everything would reach.
    uv run python scripts/bench_interview.py --latency [--turns N] [--framework ID]

Latency: runs scripted interviews through ``Interviewer.answer`` (the call every surface
makes: read the answer, checks + rubric over the whole session, plan, checkpoint to
SQLite) and prints p50 / p95 / max latency in milliseconds. Specific answers alternate
with vague ones, so follow-ups, moves to the next dimension and finished interviews (then
a second stakeholder joins, then a new session) are all measured. The knowledge index
under MATURITY_HOME is built first if needed; the sessions database is a temporary
file. Loading the embedder happens once, in ``prepare``, before the clock starts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.interview_answers import SCRIPTED_ANSWERS  # noqa: E402

if TYPE_CHECKING:
    from agent.app import Services
    from agent.evals.dataset import EvalCase
    from agent.evals.sentence_gold import SentenceGold
    from agent.knowledge.schema import FrameworkPack

SPECIFIC = SCRIPTED_ANSWERS[:6]  # one checkable answer per enterprise-ai dimension
VAGUE = [
    "I think we are pretty good at that.",
    "Yes, we do that.",
    "We are very mature in this area.",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", action="store_true", help="measure turn latency instead")
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--framework", default="enterprise-ai")
    parser.add_argument("--cases", nargs="*", help="case ids (default: all but other-author)")
    parser.add_argument("--cap", type=int, default=30,
                        help="questions per stakeholder in the adaptive run (the curve's end)")
    parser.add_argument("--target", type=float, default=0.9, help="within-one share to reach")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    parser.add_argument("--persona", choices=("similar", "informed"), default="similar",
                        help="how personas pick their answers (informed: sentence-gold cases)")
    parser.add_argument("--sentence-gold", action="store_true",
                        help="only the cases with non-blind sentence gold (informed: always)")
    args = parser.parse_args(argv)
    if args.latency:
        latency(args)
    else:
        simulate(args)


BUDGETS = (2, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60)


def simulate(args: argparse.Namespace) -> dict[str, object]:
    """The simulated-stakeholder benchmark; prints the tables, returns every figure."""
    from agent.app import build_services
    from agent.evals.dataset import load_cases
    from agent.evals.sentence_gold import load_sentence_gold
    from agent.interview import simulate as sim

    services = build_services()
    informed = getattr(args, "persona", "similar") == "informed"
    golds = {k: g for k, g in load_sentence_gold().items() if not g.blind}
    only_gold = informed or getattr(args, "sentence_gold", False)
    cases = [c for c in load_cases() if "other-author" not in c.tags
             and (not args.cases or c.id in args.cases) and (not only_gold or c.id in golds)]
    embedder = services.index().embedder
    runs: list[sim.Run] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        from agent.interview.turns import TurnLogic

        logic = TurnLogic(services)
        for n, case in enumerate(cases, start=1):
            pack = services.registry.get(case.framework)
            gold = golds.get(case.id)

            def cast(case: EvalCase = case, pack: FrameworkPack = pack,
                     gold: SentenceGold | None = gold) -> list[sim.Persona]:
                return sim.personas(case, embedder, gold, pack, informed)

            runs.append(sim.run_adaptive(services, case, cast(), args.cap,
                                         Path(tmp) / f"{case.id}.sqlite"))
            runs.append(sim.run_fixed(logic, pack, case, cast()))
            print(f"[{n}/{len(cases)}] {case.id} ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
    by_id = {c.id: c for c in cases}
    bank = max(len([q for d in services.registry.get(c.framework).dimensions
                    for q in d.questions]) for c in cases)
    budgets = [b for b in BUDGETS if b <= bank] + ([bank] if bank not in BUDGETS else [])
    ceiling = whole_transcripts(services, cases)
    result: dict[str, object] = {
        "cases": len(cases), "case_ids": [c.id for c in cases], "target": args.target,
        "cap": args.cap, "persona": "informed" if informed else "similar", "ceiling": ceiling}
    for strategy in ("adaptive", "fixed"):
        mine = [r for r in runs if r.strategy == strategy]
        points = sim.curve(mine, by_id, budgets)
        asked = [int(str(p["asked"])) for r in mine for p in r.personas]
        result[strategy] = {
            "curve": points, "reaches_target_at": sim.first_reaching(points, args.target),
            "reaches_ceiling_at": sim.first_reaching(points, float(ceiling["within_one"])),
            "questions_per_stakeholder": round(statistics.mean(asked), 1) if asked else 0,
            "personas": [{"case": r.case, **p} for r in mine for p in r.personas],
            "questions": {r.case: r.questions for r in mine},
            "final": {r.case: r.snapshots[-1].levels if r.snapshots else {} for r in mine}}
    _print(result, budgets)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def whole_transcripts(services: Services, cases: Sequence[EvalCase]) -> dict[str, Any]:
    """The offline engine on each case's whole transcripts: the levels an interview that
    heard every sentence would be read to, and their agreement with gold (the ceiling)."""
    from agent.assessment.pipeline import assess
    from agent.engines.factory import make_engine
    from agent.interview import simulate as sim
    from agent.transcripts import read_transcripts

    engine = make_engine("offline", services)
    levels: dict[str, dict[str, int | None]] = {}
    hits = hits_exact = total = 0.0
    for case in cases:
        pack = services.registry.get(case.framework)
        assessment = assess(read_transcripts(case.paths()), pack, engine, services.clock())
        levels[case.id] = assessment.levels()
        w1, ex, n = sim.agreement(sim.gold_levels(case), levels[case.id])
        hits, hits_exact, total = hits + w1 * n, hits_exact + ex * n, total + n
    return {"within_one": round(hits / total, 3) if total else 0.0,
            "exact": round(hits_exact / total, 3) if total else 0.0, "levels": levels}


def _print(result: dict[str, object], budgets: list[int]) -> None:
    adaptive, fixed = result["adaptive"], result["fixed"]
    assert isinstance(adaptive, dict) and isinstance(fixed, dict)
    print(f"{result['cases']} cases; agreement of the pooled levels with gold, by questions "
          "per stakeholder (follow-ups count)")
    print("| questions | adaptive within-one | adaptive exact | fixed within-one | fixed exact |")
    print("|---|---|---|---|---|")
    for a, f in zip(adaptive["curve"], fixed["curve"], strict=True):
        print(f"| {a['budget']} | {a['within_one']:.3f} | {a['exact']:.3f} | "
              f"{f['within_one']:.3f} | {f['exact']:.3f} |")
    ceiling = result["ceiling"]
    assert isinstance(ceiling, dict)
    never = f"never (up to {budgets[-1]})"
    print(f"whole transcripts, offline engine (the ceiling): within-one "
          f"{ceiling['within_one']:.3f}, exact {ceiling['exact']:.3f}")
    for name, run in (("adaptive", adaptive), ("fixed", fixed)):
        print(f"{name}: {run['questions_per_stakeholder']} questions per stakeholder on "
              f"average; within-one first reaches the ceiling at "
              f"{run['reaches_ceiling_at'] or never}, {result['target']} at "
              f"{run['reaches_target_at'] or never}")
    print(f"\npersonas: {result['persona']}; sentences said / evidence sentences (sentence "
          "gold) said / \"I don't know\" answers")
    print("| case | persona | sentences | evidence | adaptive asked | said | evidence said | "
          "don't know | fixed said | evidence said | don't know |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for a, f in zip(adaptive["personas"], fixed["personas"], strict=True):
        print(f"| {a['case']} | {a['name']} | {a['sentences']} | {a['evidence']} | "
              f"{a['asked']} | {a['said']} | {a['evidence_said']} | {a['unknown']} | "
              f"{f['said']} | {f['evidence_said']} | {f['unknown']} |")


def latency(args: argparse.Namespace) -> None:
    from agent.app import build_services
    from agent.interview import Interviewer, Stakeholder

    services = build_services()
    answers = itertools.cycle(a for pair in zip(SPECIFIC, itertools.cycle(VAGUE)) for a in pair)
    people = itertools.cycle([Stakeholder("Ada", "Head of Data"), Stakeholder("Ben", "CTO"),
                              Stakeholder("Cy", "Chief Risk Officer")])
    timings: list[float] = []
    cpu: list[float] = []  # process CPU time: what the turn costs, whatever else runs
    kinds: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            Interviewer(services, "offline", Path(tmp) / "sessions.sqlite") as interviewer:
        interviewer.prepare(args.framework)
        person = next(people)
        session, _ = interviewer.start(args.framework, person)
        joined = 1
        while len(timings) < args.turns:
            started, started_cpu = time.perf_counter(), time.process_time()
            turn = interviewer.answer(session, person, next(answers))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            kinds[turn.kind] = kinds.get(turn.kind, 0) + 1
            if turn.finished:
                person = next(people)
                if joined < 3:
                    interviewer.join(session, person)
                    joined += 1
                else:
                    session, _ = interviewer.start(args.framework, person)
                    joined = 1
    print(f"turns: {len(timings)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for label, values in (("wall", timings), ("cpu", cpu)):
        print(f"{label}: p50 {statistics.median(values):.0f} ms · "
              f"p95 {percentile(values, 0.95):.0f} ms · max {max(values):.0f} ms")


if __name__ == "__main__":
    main()
