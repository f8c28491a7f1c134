"""Which question to ask next: the least-covered dimension, the question that fits the person.

Coverage is counted from the resolved questions of the session (follow-ups do not
count). The rules, in plain words:

- The interview goes breadth first: the next dimension is the one asked about least
  (then: not yet scored, then one with a question for this person's role, then pack
  order), so stopping early still leaves every dimension touched.
- A dimension is covered for a person when it has a level, that person has been asked
  about it at least once, and the session at least ``MIN_PER_DIMENSION`` times: each
  extra stakeholder adds a second perspective on every dimension.
- Nobody is asked more than ``MAX_PER_PERSON`` questions on one dimension: when three
  questions have not produced a fact, the level stays "not enough evidence".
- Within a dimension the question is one this person has not had, preferring questions
  nobody has had, then those written for the person's role, then those that probe the
  indicators still missing for the next level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.assessment.rubric import DimensionScore
from agent.interview.model import QuestionRecord
from agent.knowledge.schema import Dimension, FrameworkPack, Question

MIN_PER_DIMENSION = 2
MAX_PER_PERSON = 3


@dataclass(frozen=True)
class Coverage:
    asked: Counter[str]  # dimension -> main questions resolved in the session
    asked_by: Counter[tuple[str, str]]  # (person, dimension) -> main questions
    questions: Counter[str]  # question id -> times asked in the session
    questions_by: frozenset[tuple[str, str]]  # (person, question id)


def coverage(log: Sequence[QuestionRecord]) -> Coverage:
    asked: Counter[str] = Counter()
    asked_by: Counter[tuple[str, str]] = Counter()
    questions: Counter[str] = Counter()
    questions_by: set[tuple[str, str]] = set()
    for record in log:
        if record.get("kind") != "question" or not record.get("dimension"):
            continue
        dim, person = str(record["dimension"]), str(record.get("to") or "")
        asked[dim] += 1
        asked_by[person, dim] += 1
        if record.get("question_id"):
            questions[str(record["question_id"])] += 1
            questions_by.add((person, str(record["question_id"])))
    return Coverage(asked, asked_by, questions, frozenset(questions_by))


def next_question(pack: FrameworkPack, scores: Mapping[str, DimensionScore],
                  log: Sequence[QuestionRecord], person: str, category: str | None,
                  skipped: Sequence[str]) -> QuestionRecord | None:
    """The next question for ``person``, or None when every dimension is covered or skipped.

    ``scores``: the rubric's result per dimension for the session so far.
    """
    cov = coverage(log)
    candidates: list[tuple[tuple[int, int, int, int, int], Dimension, Question]] = []
    for order, dim in enumerate(pack.dimensions):
        if dim.id in skipped or _covered(dim, scores[dim.id], cov, person):
            continue
        question = _best_question(dim, scores[dim.id], cov, person, category)
        if question is None:
            continue
        scored = scores[dim.id].level is not None
        fits = category in question.roles
        key = (cov.asked[dim.id], int(scored), cov.asked_by[person, dim.id], int(not fits), order)
        candidates.append((key, dim, question))
    if not candidates:
        return None
    _, dim, question = min(candidates, key=lambda c: c[0])
    return {
        "question_id": question.id,
        "dimension": dim.id,
        "indicator_id": target_indicator(question, scores[dim.id]),
        "kind": "question",
        "text": question.text,
        "for_roles": list(question.roles),
        "to": person,
        "follow_ups": 0,
    }


def _covered(dim: Dimension, result: DimensionScore, cov: Coverage, person: str) -> bool:
    if cov.asked_by[person, dim.id] >= MAX_PER_PERSON:
        return True
    return (result.level is not None and cov.asked_by[person, dim.id] >= 1
            and cov.asked[dim.id] >= MIN_PER_DIMENSION)


def _best_question(dim: Dimension, result: DimensionScore, cov: Coverage, person: str,
                   category: str | None) -> Question | None:
    needed = set(result.missing)
    ranked = []
    for order, q in enumerate(dim.questions):
        if (person, q.id) in cov.questions_by:
            continue
        hits = len(needed.intersection(q.indicators))
        key = (cov.questions[q.id], int(category not in q.roles), -hits, order)
        ranked.append((key, q))
    return min(ranked, key=lambda r: r[0])[1] if ranked else None


def target_indicator(question: Question, result: DimensionScore) -> str | None:
    """The indicator a question is mainly after: a missing one with the least support."""
    if not question.indicators:
        return None
    support = {s.id: s.support for s in result.statuses}
    needed = [i for i in question.indicators if i in set(result.missing)]
    pool = needed or list(question.indicators)
    return min(pool, key=lambda i: (support.get(i, 0.0), question.indicators.index(i)))


def find_question(pack: FrameworkPack, question_id: str | None) -> Question | None:
    if not question_id:
        return None
    for dim in pack.dimensions:
        for q in dim.questions:
            if q.id == question_id:
                return q
    return None
