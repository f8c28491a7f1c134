"""Which question to ask next: computerised adaptive testing, applied to maturity.

A test that adapts asks the item that would tell it most about the person, given what it
already knows, and stops once the estimate is settled. Here the estimate is each
dimension's level under the level rule (agent.assessment.rubric), and what would change
it most is an indicator at the dimension's **boundary**: one of the next level's
indicators that nobody has spoken of yet (``not_discussed``). Evidence for it can lift the
level; a denial holds it. The rules, in plain words:

- **Never ask about what is decided.** Only ``not_discussed`` indicators are asked
  about; an indicator already evidenced or contradicted (by anyone, in any answer:
  every answer is read against every dimension) is never the reason for a question.
- **A dimension is settled** when no boundary indicator is left open: the next level's
  indicators are all decided, or a contradiction at the next level already holds the
  dimension below it, or even evidence for every open indicator could not reach the
  next level (half of it), or the top level is reached. A settled dimension is not
  asked about again (until new evidence moves its level and opens a new boundary).
- **The framework's own questions are the bank**, and each is put to the person whose
  role it was written for: a question probes some indicators and names the roles best
  placed to answer it. Every dimension is asked about once first (so stopping early still
  leaves each one touched); then questions written for the person's role come first;
  among them, the dimension asked about least (of this person, then in the session), then
  the question that probes the most open boundary indicators (then indicators higher up);
  a question already put to someone else comes after one nobody has had.
- **What a person cannot answer is not pressed.** After a person says they do not know
  about a dimension, their questions on other dimensions come first; after
  ``MAX_DECLINED`` "I don't know"s on it they are not asked about it again, and nobody is
  asked more than ``MAX_PER_PERSON`` questions on one dimension.
- **A budget the person can see**: at most ``max_questions`` questions per stakeholder
  (follow-ups included); ``DEFAULT_MAX_QUESTIONS`` was chosen with the simulated
  stakeholders of scripts/bench_interview.py (README, "Interview").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.assessment.rubric import ON_BALANCE, DimensionScore
from agent.interview.model import QuestionRecord
from agent.knowledge.schema import Dimension, FrameworkPack, Question

MAX_PER_PERSON = 6
#: "I don't know"s after which a person is not asked about a dimension again. With the
#: simulated stakeholders two-thirds of the questions met "I don't know", half of them
#: put to someone who had already said it on that dimension; after three, fewer questions
#: and no agreement lost with either kind of persona (after two, the similarity personas
#: lost agreement: README, "Interview").
MAX_DECLINED = 3
#: Questions per stakeholder, follow-ups included (``maturity interview --max-questions``).
DEFAULT_MAX_QUESTIONS = 20


@dataclass(frozen=True)
class Coverage:
    asked: Counter[str]  # dimension -> main questions resolved in the session
    asked_by: Counter[tuple[str, str]]  # (person, dimension) -> main questions
    questions: Counter[str]  # question id -> times asked in the session
    questions_by: frozenset[tuple[str, str]]  # (person, question id)
    declined: Counter[tuple[str, str]]  # (person, dimension) -> "I don't know" answers
    put_to: Counter[str]  # person -> every question put to them (follow-ups included)


def coverage(log: Sequence[QuestionRecord]) -> Coverage:
    asked: Counter[str] = Counter()
    asked_by: Counter[tuple[str, str]] = Counter()
    questions: Counter[str] = Counter()
    questions_by: set[tuple[str, str]] = set()
    declined: Counter[tuple[str, str]] = Counter()
    put_to: Counter[str] = Counter()
    for record in log:
        person = str(record.get("by") or record.get("to") or "")
        put_to[person] += 1
        if not record.get("dimension"):
            continue
        dim = str(record["dimension"])
        if record.get("declined"):
            declined[person, dim] += 1
        if record.get("kind") != "question":
            continue
        asked[dim] += 1
        asked_by[person, dim] += 1
        if record.get("question_id"):
            questions[str(record["question_id"])] += 1
            questions_by.add((person, str(record["question_id"])))
    return Coverage(asked, asked_by, questions, frozenset(questions_by), declined, put_to)


def open_boundary(pack: FrameworkPack, dim: Dimension, result: DimensionScore) -> list[str]:
    """The indicators whose evidence could still change the dimension's level: the next
    level's ``not_discussed`` ones, while that level is still within reach. Empty: the
    level is settled."""
    next_level = 2 if result.level is None else result.level + 1
    if next_level > pack.top_level:
        return []
    mine = [s for s in result.statuses if s.level == next_level]
    if not mine or any(s.status == "contradicted" for s in mine):
        return []  # a contradiction at the next level holds the dimension below it
    reachable = sum(s.status != "contradicted" for s in mine) / len(mine) >= ON_BALANCE
    return [s.id for s in mine if s.status == "not_discussed"] if reachable else []


def open_above(dim: Dimension, result: DimensionScore) -> list[str]:
    """``not_discussed`` indicators above the next level, up to the first level a
    contradiction holds: evidence there can lift the level several steps at once (a level
    shown on balance vouches for the ones beneath it), so they are worth asking about
    once the boundary's own questions are spent."""
    next_level = 2 if result.level is None else result.level + 1
    out: list[str] = []
    for level in range(next_level + 1, len(dim.cells) + 1):
        mine = [s for s in result.statuses if s.level == level]
        if any(s.status == "contradicted" for s in mine):
            break
        out += [s.id for s in mine if s.status == "not_discussed"]
    return out


def settled(pack: FrameworkPack, dim: Dimension, result: DimensionScore) -> bool:
    """No answer could move the level any more (it needs at least one fact to exist)."""
    return result.level is not None and not open_boundary(pack, dim, result)


def questions_left(budget: int | None, log: Sequence[QuestionRecord], person: str) -> int | None:
    return None if budget is None else max(0, budget - coverage(log).put_to[person])


def next_question(pack: FrameworkPack, scores: Mapping[str, DimensionScore],
                  log: Sequence[QuestionRecord], person: str, category: str | None,
                  skipped: Sequence[str], budget: int | None = None) -> QuestionRecord | None:
    """The next question for ``person``, or None when every dimension is settled, skipped
    or out of this person's reach, or their ``budget`` of questions is spent.

    ``scores``: the rubric's pooled result per dimension for the session so far.
    """
    cov = coverage(log)
    if budget is not None and cov.put_to[person] >= budget:
        return None
    best: tuple[tuple[int, ...], Dimension, Question, list[str]] | None = None
    for order, dim in enumerate(pack.dimensions):
        if dim.id in skipped or _out_of_reach(cov, person, dim.id):
            continue
        boundary = open_boundary(pack, dim, scores[dim.id])
        if not boundary:
            continue  # settled: no answer could move this level
        above = set(open_above(dim, scores[dim.id]))
        for q_order, question in enumerate(dim.questions):
            hits = len(set(boundary).intersection(question.indicators))
            higher = len(above.intersection(question.indicators))
            if not (hits or higher) or (person, question.id) in cov.questions_by:
                continue
            key = (int(cov.asked[dim.id] > 0), int(category not in question.roles),
                   cov.declined[person, dim.id], cov.asked_by[person, dim.id],
                   cov.asked[dim.id], int(not hits), order, cov.questions[question.id],
                   -hits, -higher, q_order)
            if best is None or key < best[0]:
                best = (key, dim, question, boundary)
    if best is None:
        return None
    _, dim, question, boundary = best
    return {
        "question_id": question.id,
        "dimension": dim.id,
        "indicator_id": target_indicator(question, scores[dim.id], boundary),
        "kind": "question",
        "text": question.text,
        "for_roles": list(question.roles),
        "to": person,
        "follow_ups": 0,
    }


def askable(pack: FrameworkPack, dim: Dimension, result: DimensionScore,
            log: Sequence[QuestionRecord], person: str) -> int:
    """Bank questions on ``dim`` that could still move its level and ``person`` has not had."""
    cov = coverage(log)
    if _out_of_reach(cov, person, dim.id):
        return 0
    boundary = set(open_boundary(pack, dim, result))
    if not boundary:
        return 0
    wanted = boundary | set(open_above(dim, result))
    return sum(1 for q in dim.questions
               if wanted.intersection(q.indicators) and (person, q.id) not in cov.questions_by)


def _out_of_reach(cov: Coverage, person: str, dimension: str) -> bool:
    return (cov.asked_by[person, dimension] >= MAX_PER_PERSON
            or cov.declined[person, dimension] >= MAX_DECLINED)


def target_indicator(question: Question, result: DimensionScore,
                     boundary: Sequence[str] = ()) -> str | None:
    """The indicator a question is mainly after: an open boundary one, else a missing one,
    with the least support."""
    if not question.indicators:
        return None
    support = {s.id: s.support for s in result.statuses}
    pool = ([i for i in question.indicators if i in set(boundary)]
            or [i for i in question.indicators if i in set(result.missing)]
            or list(question.indicators))
    return min(pool, key=lambda i: (support.get(i, 0.0), question.indicators.index(i)))


def find_question(pack: FrameworkPack, question_id: str | None) -> Question | None:
    if not question_id:
        return None
    for dim in pack.dimensions:
        for q in dim.questions:
            if q.id == question_id:
                return q
    return None
